#!/usr/bin/env bash
# Per experiment of a suite's results folder, in the order they ran: how long the settle step warmed and
# whether it judged the replica warm, and the api route's baseline p99 (what the blast-radius matrix measured).
# The first experiment of a suite runs on the coldest JITs: its baseline p99 against the last one's shows
# whether warming put them on the same footing (the last of the first one's profile: a coupled gateway's
# api is slower by design).
# Usage: bench/suite-baselines.sh RESULTS_FOLDER      (e.g. runs/run-20261204-174811-5dea)
set -euo pipefail
python3 - "${1:?the results folder of a run of several experiments}" <<'PY'
import glob, json, re, sys
journals = [json.load(open(f)) for f in glob.glob(f"{sys.argv[1]}/*/journal.json")]
journals.sort(key=lambda j: j["startedAt"])
print("| # | experiment | settle s | warm | api p99 at the settle's end ms | api baseline p99 ms |")
print("|---|---|---|---|---|---|")
first = last = None
profile = journals[0]["experiment"].get("profile") if journals else None
for i, j in enumerate(journals, 1):
    settle = j.get("settle") or {}
    api = (settle.get("latency") or {}).get("api") or {}
    cell = (j.get("blastRadius", {}).get("api") or {}).get("baseline") or {}
    m = re.search(r"p99 (\d+) ms", cell.get("why", ""))
    p99 = int(m.group(1)) if m else None
    if p99 is not None and j["experiment"].get("profile") == profile:
        first = p99 if first is None else first
        last = p99
    print(f"| {i} | {j['experiment']['name']} | {settle.get('seconds', '–')} | {settle.get('warm', '–')} | "
          f"{round(api['p99Ms']) if api else '–'} | {p99 if p99 is not None else '–'} |")
if first and last:
    print(f"\napi baseline p99, first experiment / last of the same profile ({profile}): {first} / {last} ms = {first / last:.2f}")
PY
