#!/usr/bin/env bash
# overview_stats before and after a change, side by side (BENCHMARKS.md, section 7):
#
#   scripts/bench-overview.sh OLD_BINARY NEW_BINARY SQLITE_FILE ACCOUNT_ID SITE_ID [ROUNDS]
#
# Each binary serves its own copy of the SQLite file (a newer binary may add migrations the older
# one would refuse), on its own port, with no demo engine. After a warm-up of each, the rounds
# alternate between them, so both see the same noise on this shared machine; each round is
# `wrk -t2 -c16 -d15s --latency` on /api/v1/automation/overview_stats/?site_id=SITE_ID with a
# read token. Prints one line per round and binary: p50, p99 (ms) and requests/s.
set -euo pipefail
if [ $# -lt 5 ]; then
    echo "usage: $0 OLD_BINARY NEW_BINARY SQLITE_FILE ACCOUNT_ID SITE_ID [ROUNDS]" >&2
    exit 2
fi
OLD=$1 NEW=$2 SOURCE=$3 ACCOUNT=$4 SITE=$5 ROUNDS=${6:-5}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-15}
if ! command -v wrk >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
WORK=$(mktemp -d /tmp/bench-overview.XXXXXX)
SERVERS=()

finish() {
    for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap finish EXIT

# start NAME BINARY PORT [FILE]: serves a copy of the file; writes a read token to $WORK/NAME.token.
# Not in a subshell: the server's pid must reach SERVERS for the clean-up.
start() {
    local name=$1 bin=$2 port=$3
    cp "${4:-$SOURCE}" "$WORK/$name.db"
    export DATABASE_URL="sqlite://$WORK/$name.db"
    AUTOMATION_RUNS_NO_SIMULATOR=1 LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT=target/site \
        RUST_LOG=warn "$bin" serve >"$WORK/$name.log" 2>&1 &
    SERVERS+=($!)
    for _ in $(seq 1 240); do
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
        sleep 0.5
    done
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$WORK/$name.log" >&2; exit 1; }
    "$bin" token create --account "$ACCOUNT" --name bench-overview --scope read | tail -n1 >"$WORK/$name.token"
}

for port in 3827 3828; do
    if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; then
        echo "port $port is taken: stop what serves it first" >&2
        exit 1
    fi
done
start old "$OLD" 3827
OLD_TOKEN=$(cat "$WORK/old.token")
# NEW_SQLITE_FILE: another file for the new binary (the same data with a changed schema, say).
start new "$NEW" 3828 "${NEW_SQLITE_FILE:-$SOURCE}"
NEW_TOKEN=$(cat "$WORK/new.token")

url() { echo "http://127.0.0.1:$1/api/v1/automation/overview_stats/?site_id=$SITE"; }

# measure NAME PORT TOKEN SECONDS
measure() {
    wrk -t2 -c16 -d"$4"s --latency -H "Authorization: Bearer $3" "$(url "$2")" |
        awk -v name="$1" '
            /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /^Requests\/sec/ { rps = $2 }
            /Non-2xx/ { bad = $NF }
            END { printf "%-4s p50 %8s  p99 %8s  %10s req/s%s\n", name, p50, p99, rps, bad ? "  NON-2XX: " bad : "" }'
}

for side in "old 3827 $OLD_TOKEN" "new 3828 $NEW_TOKEN"; do
    # shellcheck disable=SC2086
    set -- $side
    curl -sf -H "Authorization: Bearer $3" "$(url "$2")" >"$WORK/$1.json"
    measure "$1" "$2" "$3" 3 >/dev/null
done
echo "response sizes: old $(wc -c <"$WORK/old.json") B, new $(wc -c <"$WORK/new.json") B"
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round"
    measure old 3827 "$OLD_TOKEN" "$SECONDS_PER_ROUND"
    measure new 3828 "$NEW_TOKEN" "$SECONDS_PER_ROUND"
done
