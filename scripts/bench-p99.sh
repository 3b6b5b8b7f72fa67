#!/usr/bin/env bash
# p99 of overview_stats at 1k and 1M runs, side by side (BENCHMARKS.md section 11). BIN: the
# binary; SITE_ROOT: its built front end. Works in /tmp/p99 (generates and imports the files once).
set -euo pipefail
BIN=${BIN:-/tmp/p99/automation-runs}
SITE_ROOT=${SITE_ROOT:-/work/main/target/site}
cd /tmp/p99
if [ ! -f 1m.db ]; then
  $BIN generate --sites 1000 --runs-per-site 1000 --seed 1 --anchor 2026-11-29T00:00:00Z > 1m.ndjson
  DATABASE_URL=sqlite:///tmp/p99/1m.db $BIN import 1m.ndjson > /dev/null
  rm -f 1m.ndjson
fi
if [ ! -f 1k.db ]; then
  $BIN generate --sites 1 --runs-per-site 1000 --seed 1 --anchor 2026-11-29T00:00:00Z > 1k.ndjson
  DATABASE_URL=sqlite:///tmp/p99/1k.db $BIN import 1k.ndjson > /dev/null
fi
T1M=$(DATABASE_URL=sqlite:///tmp/p99/1m.db $BIN token create --account 50 --name p99 --scope read | tail -1)
T1K=$(DATABASE_URL=sqlite:///tmp/p99/1k.db $BIN token create --account 1 --name p99 --scope read | tail -1)
DATABASE_URL=sqlite:///tmp/p99/1m.db LEPTOS_SITE_ADDR=127.0.0.1:3901 LEPTOS_SITE_ROOT=$SITE_ROOT RUST_LOG=warn AUTOMATION_RUNS_NO_SIMULATOR=1 $BIN serve > s1m.log 2>&1 &
P1=$!
DATABASE_URL=sqlite:///tmp/p99/1k.db LEPTOS_SITE_ADDR=127.0.0.1:3902 LEPTOS_SITE_ROOT=$SITE_ROOT RUST_LOG=warn AUTOMATION_RUNS_NO_SIMULATOR=1 $BIN serve > s1k.log 2>&1 &
P2=$!
trap 'kill $P1 $P2' EXIT
sleep 3
U1M='http://127.0.0.1:3901/api/v1/automation/overview_stats/?site_id=500'
U1K='http://127.0.0.1:3902/api/v1/automation/overview_stats/?site_id=1'
curl -sf -H "Authorization: Bearer $T1M" "$U1M" > /dev/null
curl -sf -H "Authorization: Bearer $T1K" "$U1K" > /dev/null
uptime
for r in 1 2 3; do
  for which in 1k 1m; do
    if [ $which = 1m ]; then U=$U1M; T=$T1M; else U=$U1K; T=$T1K; fi
    wrk -t2 -c16 -d3s -H "Authorization: Bearer $T" "$U" > /dev/null
    out=$(wrk -t2 -c16 -d10s --latency -H "Authorization: Bearer $T" "$U")
    p50=$(echo "$out" | awk '$1=="50%"{print $2}'); p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}'); non2xx=$(echo "$out" | awk '/Non-2xx/{print $NF}')
    echo "round $r $which p50 $p50 p99 $p99 req/s $rps non2xx ${non2xx:-0}"
  done
done
uptime
