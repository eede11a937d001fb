#!/usr/bin/env bash
# The replica under the catalog's mixed load (api 50/s, app 10/s from 20 users, login 3/s, logout 0.2/s) for
# a long time, with a fault in each minute (its 10th to 30th second, five kinds in turn), sampling every 10 s
# the resident memory, open files and threads of each process and the keys in Redis. Prints a Markdown table
# (also experiments/cli/target/soak.md; every sample in soak.csv). It sends traffic to 127.0.0.1 only.
# Usage: bench/soak.sh [minutes=30]
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
"$home/blastradius" --help >/dev/null   # builds the services' jars first, outside the measurement
cd "$home"
./mvnw -q -B -ntp -pl experiments/cli -am install -DskipTests
./mvnw -q -B -ntp -pl experiments/cli surefire:test -Dtest='SoakBenchmark#soak' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dminutes="${1:-30}" | sed -n '/^## Soak/,$p'
