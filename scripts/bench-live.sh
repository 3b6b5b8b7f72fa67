#!/usr/bin/env bash
# The live API's speed figures (BENCHMARKS.md, section 6) against one database:
#
#   scripts/bench-live.sh DATABASE_URL ACCOUNT_ID SITE_ID WRITE_SITE_ID
#
# Starts the release server on that database (no demo engine), creates an `ingest` token for
# the account, and runs examples/live_bench.rs and wrk: the writes go to WRITE_SITE_ID (another
# site of the account, so they do not change the figures the API is timed on), the reads and the
# event streams to SITE_ID:
#   1. single-record ingest, 1 and 4 clients;   2. 1,000-record bodies;
#   3. commit to event over 1 and 100 streams;
#   4. the server's memory and the API's p99 (overview_stats, run_detail, history) with no
#      stream open, then with 1,000 streams open.
# Build first: scripts/build.sh && cargo build --release --features ssr --example live_bench
# The benchmark writes runs to the site (run ids starting `bench_`): use a copy of a database.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 4 ]; then
    echo "usage: $0 DATABASE_URL ACCOUNT_ID SITE_ID WRITE_SITE_ID" >&2
    exit 2
fi
export DATABASE_URL=$1
ACCOUNT=$2
SITE=$3
WRITE_SITE=$4
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=${BIN:-$TARGET_DIR/release/automation-runs}
BENCH=${BENCH:-$TARGET_DIR/release/examples/live_bench}
PORT=${PORT:-3917}
BASE=http://127.0.0.1:$PORT
WRK_SECONDS=${WRK_SECONDS:-20}
LOG=$(mktemp)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# 1,000 streams on each side of loopback, plus wrk's connections.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

AUTOMATION_RUNS_NO_SIMULATOR=1 LEPTOS_SITE_ADDR=127.0.0.1:$PORT LEPTOS_SITE_ROOT=target/site \
    RUST_LOG=warn "$BIN" serve >"$LOG" 2>&1 &
SERVER=$!
finish() {
    local rc=$?
    kill $SERVER 2>/dev/null || true
    wait $SERVER 2>/dev/null || true
    if [ $rc -ne 0 ]; then
        echo "the benchmark failed; the server's log:" >&2
        tail -n 40 "$LOG" >&2
    fi
    rm -f "$LOG"
}
trap finish EXIT
for _ in $(seq 1 120); do
    curl -sf "$BASE/healthz" >/dev/null && break
    kill -0 $SERVER 2>/dev/null || { cat "$LOG" >&2; exit 1; }
    sleep 0.5
done
echo "server: $BIN ($(git rev-parse --short HEAD) checked out), $DATABASE_URL"
TOKEN=$("$BIN" token create --account "$ACCOUNT" --name live-bench --scope ingest | tail -n1)
bench() { "$BENCH" --url "$BASE" --token "$TOKEN" "$@"; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$SERVER/status"; }

# SECTIONS=4 runs only the memory and API part.
if [ "${SECTIONS:-all}" = all ]; then
say "1. single-record ingest"
bench --site "$WRITE_SITE" ingest --clients 1 --requests 200 >/dev/null # warm-up
bench --site "$WRITE_SITE" ingest --clients 1 --requests 2000
bench --site "$WRITE_SITE" ingest --clients 4 --requests 2000

say "2. 1,000-record bodies"
bench --site "$WRITE_SITE" batch --records 1000 --bodies 20

say "3. commit to event"
bench --site "$WRITE_SITE" events --streams 1 --events 200
bench --site "$WRITE_SITE" events --streams 100 --events 200
fi

say "4. memory and API p99 with 1,000 streams"
RUN_ID=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/automation/history/?site_id=$SITE&status=completed" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"][0]["run_id"])')
export LOAD_TOKEN=$TOKEN
ROUNDS=${ROUNDS:-5}
P99S=$(mktemp)
# One line per endpoint: "CONDITION ENDPOINT p99_us" into $P99S.
api_p99() {
    local condition=$1
    for path in "overview_stats/?site_id=$SITE" "run_detail/?run_id=$RUN_ID" "history/?site_id=$SITE&page=1"; do
        wrk -t2 -c16 -d2s -s scripts/load.lua "$BASE/api/v1/automation/$path" >/dev/null
        p99=$(wrk -t2 -c16 -d"${WRK_SECONDS}"s --latency -s scripts/load.lua "$BASE/api/v1/automation/$path" |
            grep '^load-result' | sed 's/.* p99_us=\([0-9]*\).*/\1/')
        echo "$condition ${path%%/*} $p99" | tee -a "$P99S"
    done
}
# Streams on and off in turns, so that the machine's drift falls on both alike; the verdict is
# the median p99 of each.
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round of $ROUNDS"
    api_p99 none
    echo "no streams: RSS $(rss_kib) KiB"
    bench --site "$SITE" hold --streams 1000 --seconds $((WRK_SECONDS * 3 + 25)) >/dev/null &
    HOLD=$!
    sleep 10
    echo "1,000 streams: RSS $(rss_kib) KiB"
    api_p99 streams
    wait $HOLD
done
python3 - "$P99S" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for endpoint in dict.fromkeys(r[1] for r in rows):
    med = {c: statistics.median(int(r[2]) for r in rows if r[0] == c and r[1] == endpoint) for c in ("none", "streams")}
    print(f"{endpoint:15} median p99: no streams {med['none']/1000:.2f} ms, 1,000 streams {med['streams']/1000:.2f} ms, ratio {med['streams']/med['none']:.2f}")
PY
rm -f "$P99S"
