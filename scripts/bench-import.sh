#!/usr/bin/env bash
# Import of the 1M file (BENCHMARKS.md section 10): an empty database, then the re-import, with
# time, peak RSS and blocks written. Usage: scripts/bench-import.sh BINARY NAME [import options]
# Expects /tmp/p99/1m.ndjson (automation-runs generate --sites 1000 --runs-per-site 1000 --seed 1
# --anchor 2026-11-29T00:00:00Z).
set -uo pipefail
BIN=$1; NAME=$2; shift 2
cd /tmp/p99
rm -f imp-$NAME.db*
for pass in empty reimport; do
  /usr/bin/time -f "$NAME $pass %e s %M KB %O blocks" env DATABASE_URL=sqlite:///tmp/p99/imp-$NAME.db $BIN import "$@" /tmp/p99/1m.ndjson > /tmp/p99/imp-$NAME-$pass.out 2>/tmp/p99/imp-$NAME-$pass.err
  tail -1 /tmp/p99/imp-$NAME-$pass.err
done
