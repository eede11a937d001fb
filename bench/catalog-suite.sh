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

wall() {   # mode, extra args...: runs the catalog, prints its wall-time line, returns its seconds in $secs
  local mode="$1"; shift
  local began ended code=0
  began=$(date +%s.%N)
  "$home/blastradius" run --seed "$seed" --out "$out/$mode" "$@" >"$out/$mode.console" 2>&1 || code=$?
  ended=$(date +%s.%N)
  secs=$(python3 -c "print(round($ended - $began, 1))")
  echo "$mode: exit $code, $secs s by the clock; $(grep '^Wall time:' "$out/$mode.console")"
  grep -E '^  [0-9]+ of [0-9]+ experiment' "$out/$mode.console" || true
}

wall shared
shared=$secs
wall isolated --isolate
isolated=$secs
python3 -c "print(f'shared / isolated wall time: {$shared / $isolated:.2f}x')"
echo "consoles and reports: $out"
