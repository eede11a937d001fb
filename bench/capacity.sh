#!/usr/bin/env bash
# The replica's capacity curve on the api route: a warm replica, then the built-in generator at each rate
# (open model), with a wrk cross-check when wrk is on PATH. Prints a Markdown table, also written to
# experiments/cli/target/capacity.md. About 2 minutes plus 12 s per rate.
# Usage: bench/capacity.sh [rates=250,500,1000,1500,2000,3000,4000] [seconds-per-rate=10] [warm-seconds=30]
# The replica's JVMs take extra options from BLASTRADIUS_REPLICA_JVM_OPTIONS and another JDK from
# BLASTRADIUS_REPLICA_JAVA, e.g.  BLASTRADIUS_REPLICA_JVM_OPTIONS=-XX:TieredStopAtLevel=1 bench/capacity.sh
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
rates="${1:-250,500,1000,1500,2000,3000,4000}"
"$home/blastradius" --help >/dev/null   # builds the services' jars first, outside the measurement
cd "$home"
./mvnw -q -B -ntp -pl experiments/cli -am install -DskipTests
./mvnw -q -B -ntp -pl experiments/cli surefire:test -Dtest='CapacityBenchmark#capacityCurve' -Dsurefire.failIfNoSpecifiedTests=false \
  -Drates="$rates" -Dseconds="${2:-10}" -Dwarm="${3:-30}" | sed -n '/^## Capacity/,$p'
