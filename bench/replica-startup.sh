#!/usr/bin/env bash
# Cold start of the whole replica to all-healthy, and each process's resident memory once settled.
# Usage: bench/replica-startup.sh [runs=3] [settle-seconds=15]
# Starts `./blastradius up` RUNS times, one after the other, reads "all healthy in X s" from its output,
# waits SETTLE seconds, reads VmRSS of every process from /proc, stops it, and prints the median.
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
settle="${2:-15}"
out="$home/runs/bench-startup-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
"$home/blastradius" --help >/dev/null   # builds the jars first, outside the measurement

times=()
for i in $(seq 1 "$runs"); do
  dir="$out/run-$i"
  "$home/blastradius" up --out "$dir" >"$out/run-$i.console" 2>&1 &
  launcher=$!
  for _ in $(seq 1 1800); do
    grep -q "all healthy in" "$out/run-$i.console" 2>/dev/null && break
    kill -0 "$launcher" 2>/dev/null || { cat "$out/run-$i.console"; exit 1; }
    sleep 0.1
  done
  t=$(grep -o "all healthy in [0-9.]* s" "$out/run-$i.console" | grep -o "[0-9.]*")
  times+=("$t")
  sleep "$settle"
  echo "run $i: all healthy in $t s; resident memory after ${settle} s:"
  python3 - "$dir/replica.json" <<'PY'
import json, sys
info = json.load(open(sys.argv[1]))
for name, svc in info["services"].items():
    rss = "?"
    try:
        for line in open(f"/proc/{svc['pid']}/status"):
            if line.startswith("VmRSS:"):
                rss = str(int(line.split()[1]) // 1024) + " MiB"
    except OSError:
        pass
    print(f"  {name:15} {rss}")
PY
  kill -TERM "$launcher"; wait "$launcher" || true
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median cold start to all-healthy: " a[int((NR+1)/2)] " s over " NR " runs (" a[1] " .. " a[NR] ")"}'
