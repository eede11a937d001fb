#!/usr/bin/env bash
# The fault proxy as its own process against a direct connection and, when a Toxiproxy server is at hand,
# against Toxiproxy, in the same run, interleaved round by round. Each proxy is pinned to core 0; nginx
# (the upstream) and the clients (wrk, curl) to core 1. Per round and path:
#   small HTTP answers (64 bytes) with wrk, 32 connections: req/s, p50/p99, and the proxy's CPU per request
#   a bulk download (256 MiB) with curl: MB/s
#   a latency toxic of 100 ms downstream, 4 connections: p50/p99 (the direct path has none)
# and, after the rounds, each proxy's resident memory once idle for 5 s. Prints medians and ratios.
#
# Usage: bench/fault-proxy-vs-toxiproxy.sh [rounds=3] [seconds=10]
#   TOXIPROXY_SERVER=/path/to/toxiproxy-server   (else toxiproxy-server on PATH; without one, Toxiproxy is left out)
#   FAULT_PROXY_JAVA_OPTIONS="..."                (added to the options of fault-proxy/fault-proxy-server, which starts it)
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light), taskset, curl, python3.
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
seconds="${2:-10}"
for tool in wrk nginx taskset curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (Debian: apt-get install wrk nginx-light util-linux curl python3)" >&2; exit 2; }
done
toxiproxy="${TOXIPROXY_SERVER:-$(command -v toxiproxy-server || true)}"
"$home/blastradius" --help >/dev/null   # builds the jars first, outside the measurement
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_seconds() { python3 -c "import os, sys; f = open('/proc/$1/stat').read().rsplit(')', 1)[1].split(); print((int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK'))"; }
rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
await_api() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/version" >/dev/null && return 0; sleep 0.1; done; echo "bench: no API on port $1" >&2; exit 1; }

# the upstream: nginx on core 1
mkdir -p "$work/www" "$work/nginx"
head -c 64 /dev/zero | tr '\0' 'x' >"$work/www/small"
head -c $((256 * 1024 * 1024)) /dev/zero >"$work/www/big"
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/small" "$work/www/big"   # nginx's workers may run as another user
nginx_port=$(free_port)
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 10000000;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work/www; location / { } }
}
EOF
taskset -c 1 nginx -p "$work/nginx" -c "$work/nginx.conf" &
pids+=($!)

# the proxies under test: core 0
fp_options="$(sed -n 's/^options="\(.*\)"$/\1/p' "$home/fault-proxy/fault-proxy-server") ${FAULT_PROXY_JAVA_OPTIONS:-}"
fp_api=$(free_port)
taskset -c 0 "$home/fault-proxy/fault-proxy-server" -host 127.0.0.1 -port "$fp_api" >"$work/fault-proxy.log" 2>&1 &
fp_pid=$!
pids+=("$fp_pid")
servers=("fault-proxy|$fp_api|$fp_pid")
if [[ -n "$toxiproxy" ]]; then
  tp_api=$(free_port)
  taskset -c 0 "$toxiproxy" -host 127.0.0.1 -port "$tp_api" >"$work/toxiproxy.log" 2>&1 &
  tp_pid=$!
  pids+=("$tp_pid")
  servers+=("toxiproxy|$tp_api|$tp_pid")
fi
paths=("direct|$nginx_port|")
for s in "${servers[@]}"; do
  IFS='|' read -r name api pid <<<"$s"
  await_api "$api"
  port=$(free_port)
  curl -sf -X POST "http://127.0.0.1:$api/proxies" \
    -d "{\"name\":\"web\",\"listen\":\"127.0.0.1:$port\",\"upstream\":\"127.0.0.1:$nginx_port\"}" >/dev/null
  paths+=("$name|$port|$pid|$api")
done
echo "fault proxy: java $fp_options; Toxiproxy: ${toxiproxy:-none (set TOXIPROXY_SERVER or put toxiproxy-server on PATH)}" >&2

results="$work/results.tsv"
small() {   # name port pid: one wrk run of small answers
  local before after out
  before=$([[ -n "$3" ]] && cpu_seconds "$3" || echo 0)
  out=$(taskset -c 1 wrk -t1 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$2/small")
  after=$([[ -n "$3" ]] && cpu_seconds "$3" || echo 0)
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "bench: $1 answered errors:" >&2; echo "$out" >&2; exit 1; fi
  python3 - "$1" "$before" "$after" <<PY >>"$results"
import re, sys
out = """$out"""
def ms(v, u): return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]
n = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups())
p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups())
cpu = (float(sys.argv[3]) - float(sys.argv[2])) / n * 1e6
print(f"{sys.argv[1]}\tsmall\t{rps:.0f}\t{p50:.3f}\t{p99:.3f}\t{cpu:.2f}")
PY
}
bulk() {   # name port
  local speed
  read -r code speed size < <(taskset -c 1 curl -s -o /dev/null -w '%{http_code} %{speed_download} %{size_download}\n' "http://127.0.0.1:$2/big")
  if [[ "$code" != 200 || "$size" != $((256 * 1024 * 1024)) ]]; then echo "bench: $1 bulk answered $code with $size bytes" >&2; exit 1; fi
  printf '%s\tbulk\t%.0f\n' "$1" "$(python3 -c "print($speed / 1e6)")" >>"$results"
}
latency() {   # name port api: a latency toxic of 100 ms downstream, 4 connections
  local out
  if [[ -n "$3" ]]; then
    curl -sf -X POST "http://127.0.0.1:$3/proxies/web/toxics" -d '{"name":"slow","type":"latency","attributes":{"latency":100}}' >/dev/null
  fi
  out=$(taskset -c 1 wrk -t1 -c4 -d"$((seconds / 2 + 1))s" --latency "http://127.0.0.1:$2/small")
  if [[ -n "$3" ]]; then
    curl -sf -X DELETE "http://127.0.0.1:$3/proxies/web/toxics/slow" >/dev/null
  fi
  python3 - "$1" <<PY >>"$results"
import re, sys
out = """$out"""
def ms(v, u): return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]
p50 = ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups())
p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups())
print(f"{sys.argv[1]}\tlatency\t{p50:.2f}\t{p99:.2f}")
PY
}

for p in "${paths[@]}"; do   # one short warm-up per path, not counted
  IFS='|' read -r name port pid api <<<"$p"
  taskset -c 1 wrk -t1 -c32 -d3s "http://127.0.0.1:$port/small" >/dev/null
  taskset -c 1 curl -s -o /dev/null "http://127.0.0.1:$port/big"
done
for r in $(seq 1 "$rounds"); do
  for p in "${paths[@]}"; do
    IFS='|' read -r name port pid api <<<"$p"
    small "$name" "$port" "$pid"
    bulk "$name" "$port"
    latency "$name" "$port" "$api"
  done
  echo "round $r of $rounds done" >&2
done
sleep 5
for s in "${servers[@]}"; do
  IFS='|' read -r name api pid <<<"$s"
  printf '%s\trss\t%s\n' "$name" "$(rss_mib "$pid")" >>"$results"
done

python3 - "$results" "$rounds" "$seconds" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
names = list(dict.fromkeys(r[0] for r in rows))
def med(name, kind, col):
    values = [float(r[col]) for r in rows if r[0] == name and r[1] == kind]
    return statistics.median(values) if values else None
def fmt(v, digits=0):
    return "–" if v is None else f"{v:,.{digits}f}"
print(f"\nMedians of {sys.argv[2]} rounds, {sys.argv[3]} s each (proxy on core 0; nginx, wrk and curl on core 1):\n")
print("| path | small req/s | p50 ms | p99 ms | proxy CPU µs/request | bulk MB/s | latency toxic 100 ms: p50 ms | p99 ms | RSS idle MiB |")
print("|---|---|---|---|---|---|---|---|---|")
for n in names:
    print(f"| {n} | {fmt(med(n, 'small', 2))} | {fmt(med(n, 'small', 3), 3)} | {fmt(med(n, 'small', 4), 3)} | "
          f"{fmt(med(n, 'small', 5), 2) if n != 'direct' else '–'} | {fmt(med(n, 'bulk', 2))} | "
          f"{fmt(med(n, 'latency', 2), 2) if n != 'direct' else '–'} | {fmt(med(n, 'latency', 3), 2) if n != 'direct' else '–'} | "
          f"{fmt(med(n, 'rss', 2))} |")
if "toxiproxy" in names:
    f, t = "fault-proxy", "toxiproxy"
    print("\n| fault proxy / Toxiproxy | ratio | goal |\n|---|---|---|")
    print(f"| small req/s | {med(f, 'small', 2) / med(t, 'small', 2):.2f} | ≥ 1.0 |")
    print(f"| CPU per request | {med(f, 'small', 5) / med(t, 'small', 5):.2f} | ≤ 0.8 |")
    print(f"| bulk MB/s | {med(f, 'bulk', 2) / med(t, 'bulk', 2):.2f} | ≥ 1.0 |")
    print(f"| latency toxic p99 − 100 ms | {med(f, 'latency', 3) - 100:.1f} ms against {med(t, 'latency', 3) - 100:.1f} ms | within 3 ms |")
    print(f"| RSS idle | {med(f, 'rss', 2):.0f} MiB against {med(t, 'rss', 2):.0f} MiB | ≤ 64 MiB |")
PY
