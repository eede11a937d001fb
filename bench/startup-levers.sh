#!/usr/bin/env bash
# The replica's cold start to all-healthy under each start-up lever, the variants interleaved in one sitting
# (median of RUNS), with the CPU the services' JVMs and the launcher had used by then.
# Usage: bench/startup-levers.sh [runs=3]        (about 40 s per run and variant)
# A JDK 25 or later for the AOT-cache rows: BLASTRADIUS_BENCH_JDK25=/path/to/jdk (found under /usr/lib/jvm otherwise).
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
out="$home/runs/bench-levers-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
"$home/blastradius" --help >/dev/null   # builds the jars first, outside the measurement
jdk25="${BLASTRADIUS_BENCH_JDK25:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1 || true)}"

# name | java for the services | their extra JVM options | up's options
variants=(
  "no archive, C1+C2||-XX:TieredStopAtLevel=4|--no-cds"
  "no archive, C1 only|||--no-cds"
  "class-data archive, C1+C2||-XX:TieredStopAtLevel=4|"
  "class-data archive, C1 only (default)|||"
  "class-data archive, C1 only, lazy beans||-Dspring.main.lazy-initialization=true|"
)
if [[ -n "$jdk25" && -x "$jdk25/bin/java" ]]; then
  variants+=("JDK 25 AOT cache, C1+C2|$jdk25/bin/java|-XX:TieredStopAtLevel=4|" "JDK 25 AOT cache, C1 only|$jdk25/bin/java||")
fi

start_once() {   # java, jvm options, up options, run folder: prints "seconds services-cpu launcher-cpu"
  local dir="$4"
  BLASTRADIUS_REPLICA_JAVA="$1" BLASTRADIUS_REPLICA_JVM_OPTIONS="$2" "$home/blastradius" up --out "$dir" $3 >"$dir.console" 2>&1 &
  local launcher=$!
  for _ in $(seq 1 1800); do
    grep -q "all healthy in" "$dir.console" 2>/dev/null && break
    kill -0 "$launcher" 2>/dev/null || { cat "$dir.console" >&2; exit 1; }
    sleep 0.1
  done
  local t; t=$(grep -o "all healthy in [0-9.]* s" "$dir.console" | grep -o "[0-9.]*")
  local java_pid; java_pid=$(pgrep -P "$launcher" -f blastradius-cli.jar || echo "$launcher")
  python3 - "$dir/replica.json" "$java_pid" "$t" <<'PY'
import json, os, sys
tck = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tck
info = json.load(open(sys.argv[1]))
services = sum(cpu(s["pid"]) for n, s in info["services"].items())
print(sys.argv[3], f"{services:.1f}", f"{cpu(int(sys.argv[2])):.1f}")
PY
  kill -TERM "$launcher"; wait "$launcher" || true
}

declare -A results=()
n=0
for i in $(seq 0 "$runs"); do      # run 0 makes each variant's archives and is not counted
  for v in "${variants[@]}"; do
    IFS='|' read -r name java opts upopts <<<"$v"
    n=$((n + 1))
    r=$(start_once "$java" "$opts" "$upopts" "$out/run-$n")
    [[ $i -gt 0 ]] && results["$name"]+="$r;"
    [[ $i -gt 0 ]] && echo "run $i, $name: all healthy in ${r%% *} s" >&2
  done
done
echo
echo "| lever | all healthy, median of $runs | range | CPU of the services by then | launcher CPU |"
echo "|---|---|---|---|---|"
for v in "${variants[@]}"; do
  IFS='|' read -r name _ <<<"$v"
  printf '%s' "${results[$name]}" | tr ';' '\n' | sort -n | awk -v name="$name" '
    NF {t[++n]=$1; c[n]=$2; l[n]=$3}
    END {m=int((n+1)/2); printf "| %s | %.1f s | %.1f – %.1f s | %.1f s | %.1f s |\n", name, t[m], t[1], t[n], c[m], l[m]}'
done
