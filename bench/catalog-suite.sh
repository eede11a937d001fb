#!/usr/bin/env bash
# The catalog's wall time as one suite on a shared, reset replica against one replica per experiment
# (--isolate), one after the other in one sitting, and how each splits between experiment phases and
# the rest (start-ups, settling, resets, reports).
# Usage: bench/catalog-suite.sh [seed=42]     (about 22 minutes on two cores)
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
seed="${1:-42}"
out="$home/runs/bench-catalog-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
"$home/blastradius" --help >/dev/null   # builds the jars first, outside the measurement

wall() {   # mode, extra args...: runs the catalog, prints its wall-time line
  local mode="$1"; shift
  local code=0
  "$home/blastradius" run --seed "$seed" --out "$out/$mode" "$@" >"$out/$mode.console" 2>&1 || code=$?
  echo "$mode: exit $code; $(grep '^Wall time:' "$out/$mode.console")"
  grep -E '^  [0-9]+ of [0-9]+ experiment' "$out/$mode.console" || true
}

wall shared
wall isolated --isolate
# the CLI's own figures, from the suite's start to its last report (a build of the jars is not in them)
python3 - "$out/shared.console" "$out/isolated.console" <<'PY'
import re, sys
def split(path):
    line = next(l for l in open(path) if l.startswith("Wall time:"))
    secs = [int(m) * 60 + int(s) if m else int(s2) for m, s, s2 in re.findall(r"(?:(\d+)m(\d+)s|(\d+) s)", line)]
    return secs[0], secs[2]  # wall, outside the phases
(shared, shared_out), (isolated, isolated_out) = split(sys.argv[1]), split(sys.argv[2])
print(f"shared / isolated: wall time {shared / isolated:.2f}x, time outside experiment phases {shared_out / isolated_out:.2f}x")
PY
echo "consoles and reports: $out"
