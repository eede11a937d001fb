#!/usr/bin/env bash
# How long after Ctrl-C (or SIGTERM) the last fault of a run is undone, seen from outside: the run is in
# its fault phase with a latency toxic on gateway->auth-service and session-cache paused (SIGSTOP); the
# signal is sent, and the fault proxy's API and /proc are polled every 2 ms until no toxic is left and
# session-cache runs again. Also the time until the launcher has ended (replica stopped, reports written).
# Prints each run and the medians.
# Usage: bench/abort-speed.sh [runs=5] [signal=INT]
set -euo pipefail
set -m   # job control: a background job of a script otherwise starts with SIGINT ignored, and so would the run
home="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
signal="${2:-INT}"
"$home/blastradius" --help >/dev/null   # builds the jars first, outside the measurement
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/abort.yaml" <<'EOF'
apiVersion: blastradius/v1
kind: Experiment
metadata: { name: abort-speed, title: How fast an abort undoes the faults }
traffic: [ { route: api, rate: 20/s } ]
phases: { warmup: 1s, baseline: 2s, fault: 60s, recovery: 2s }
faults:
  - { target: gateway->auth-service, latency: { delay: 200ms } }
  - { target: session-cache, pause: {} }
hypotheses: [ { name: api-ok, route: api, during: [baseline], success-rate: ">= 0%" } ]
EOF
for i in $(seq 1 "$runs"); do
  out="$work/run-$i"
  "$home/blastradius" run --seed "$i" --out "$out" "$work/abort.yaml" >"$out.console" 2>&1 &
  launcher=$!
  for _ in $(seq 1 1800); do
    [[ $(grep -c "fault: applied" "$out.console" 2>/dev/null || true) -ge 2 ]] && break
    kill -0 "$launcher" 2>/dev/null || { cat "$out.console" >&2; exit 1; }
    sleep 0.1
  done
  java_pid=$(pgrep -P "$launcher" -f blastradius-cli.jar || echo "$launcher")
  (python3 - "$out/replica-1-decoupled/replica.json" "$java_pid" "$signal" <<'PY'
import json, os, signal, sys, time, urllib.request
info = json.load(open(sys.argv[1]))
api, pid = info["faultProxyUrl"], int(sys.argv[2])
paused = info["services"]["session-cache"]["pid"]
def toxics():
    return sum(len(p.get("toxics", [])) for p in json.load(urllib.request.urlopen(api + "/proxies", timeout=2)).values())
def stopped():
    return open(f"/proc/{paused}/stat").read().rsplit(")", 1)[1].split()[0] == "T"
assert toxics() > 0 and stopped(), "the faults are not in place"
began = time.monotonic()
os.kill(pid, getattr(signal, "SIG" + sys.argv[3]))
undone = None
while undone is None:
    try:
        if toxics() == 0 and not stopped():
            undone = time.monotonic() - began
    except (OSError, ValueError):
        pass   # the API answers until the launcher has ended; it outlives the undo
    time.sleep(0.002)
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    time.sleep(0.01)
print(f"{undone * 1000:.0f} {(time.monotonic() - began) * 1000:.0f}")
PY
  ) >>"$work/results"
  wait "$launcher" || true
  tail -1 "$work/results" | awk -v i="$i" '{print "run " i ": last fault undone after " $1 " ms, launcher ended after " $2 " ms"}' >&2
done
sort -n -k1 "$work/results" | awk '{u[NR]=$1} END {printf "median of %d: last fault undone %d ms after SIG'"$signal"'\n", NR, u[int((NR+1)/2)]}'
sort -n -k2 "$work/results" | awk '{e[NR]=$2} END {printf "median of %d: launcher ended %d ms after it\n", NR, e[int((NR+1)/2)]}'
