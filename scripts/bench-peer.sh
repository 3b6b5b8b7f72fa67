#!/usr/bin/env bash
# The JSON endpoints against the Django peer, and overview_stats against /healthz (BENCHMARKS.md,
# section 11):
#
#   scripts/bench-peer.sh BINARY SQLITE_FILE PEER_SQLITE_FILE|- SITE_ID [ROUNDS]
#
# Serves a copy of SQLITE_FILE with BINARY (no engine; a read token of the site's account) and,
# unless PEER_SQLITE_FILE is `-`, the peer (../shared/peers/django_ref, or $PEERS/django_ref:
# gunicorn with 2 workers) on its file, loaded from the same NDJSON with `run.sh load`. Then
# ROUNDS times (default 3), endpoint after endpoint, `wrk -t2 -c16 -d${SECONDS_PER_RUN:-10}s
# --latency` on the app and at once on the peer, the order alternating from round to round so
# both see the same noise. Endpoints: /healthz (app only), overview_stats, history page 1,
# history pages 1 to 50 at random, run_detail of the site's newest completed run (cached after
# the first request), and run_detail of the account's runs at random (scripts/bench-paths.lua).
# Prints one line per run (requests/s, p50, p99 in ms) and, at the end, the medians over the
# rounds with the ratio app / peer and overview_stats / healthz. Any non-2xx answer fails it.
set -euo pipefail
if [ $# -lt 4 ]; then
    echo "usage: $0 BINARY SQLITE_FILE PEER_SQLITE_FILE|- SITE_ID [ROUNDS]" >&2
    exit 2
fi
BIN=$(realpath "$1") DB=$(realpath "$2") PEER_DB=$3 SITE=$4 ROUNDS=${5:-3}
[ "$PEER_DB" = - ] || PEER_DB=$(realpath "$PEER_DB")
DURATION=${SECONDS_PER_RUN:-10}
APP_PORT=${APP_PORT:-3837} PEER_PORT=${PEER_PORT:-3838}
cd "$(dirname "$0")/.."
PEERS=${PEERS:-$(realpath ../shared/peers 2>/dev/null || echo /work/shared/peers)}
for tool in wrk sqlite3; do
    command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq $tool >/dev/null; }
done
W=$(mktemp -d /tmp/bench-peer.XXXXXX)
PIDS=()
finish() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$W"
}
trap finish EXIT

wait_for() { # URL LOG
    for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done
    cat "$2" >&2
    exit 1
}

cp "$DB" "$W/app.db"
export DATABASE_URL=sqlite://$W/app.db
ACCOUNT=$(sqlite3 "$W/app.db" "select account_id from sites where id=$SITE")
TOKEN=$("$BIN" token create --account "$ACCOUNT" --name bench-peer --scope read | tail -n1)
AUTOMATION_RUNS_NO_SIMULATOR=1 LEPTOS_SITE_ADDR=127.0.0.1:$APP_PORT LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
    "$BIN" serve >"$W/app.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$APP_PORT/healthz" "$W/app.log"
SIDES=(app)
if [ "$PEER_DB" != - ]; then
    # The peer reads DATABASE_URL too: its file is DJANGO_DB_PATH.
    env -u DATABASE_URL DJANGO_DB_PATH="$PEER_DB" "$PEERS/django_ref/run.sh" serve "$PEER_PORT" 2 >"$W/peer.log" 2>&1 &
    PIDS+=($!)
    wait_for "http://127.0.0.1:$PEER_PORT/api/v1/automation/overview_stats/?site_id=$SITE" "$W/peer.log"
    SIDES=(app peer)
fi

# The paths the two random cases pick from.
NEWEST=$(sqlite3 "$W/app.db" "select run_id from runs where site_id=$SITE and status='completed' \
    order by run_number desc limit 1")
for page in $(seq 1 50); do echo "/api/v1/automation/history/?site_id=$SITE&page=$page&page_size=20"; done >"$W/pages"
sqlite3 "$W/app.db" "select '/api/v1/automation/run_detail/?run_id=' || r.run_id from runs r \
    join sites s on s.id = r.site_id where s.account_id = $ACCOUNT" >"$W/runs"
echo "site $SITE (account $ACCOUNT): $(wc -l <"$W/runs") runs in the account, newest completed $NEWEST"

CASES=(
    "healthz|/healthz|"
    "overview_stats|/api/v1/automation/overview_stats/?site_id=$SITE|"
    "history_p1|/api/v1/automation/history/?site_id=$SITE&page=1&page_size=20|"
    "history_pages|/|$W/pages"
    "run_detail_cached|/api/v1/automation/run_detail/?run_id=$NEWEST|"
    "run_detail_random|/|$W/runs"
)

# measure SIDE CASE PATH PATHS_FILE: one wrk run; appends "case side rps p50 p99" to results.
measure() {
    local side=$1 name=$2 path=$3 paths=$4 port=$APP_PORT token=$TOKEN
    if [ "$side" = peer ]; then port=$PEER_PORT token=; fi
    # A loaded machine can hold the peer's answers past wrk's default 2 s, which wrk counts as errors.
    local args=(-t2 -c16 -d"${DURATION}"s --latency --timeout 10s)
    [ -n "$paths" ] && args+=(-s scripts/bench-paths.lua)
    [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
    BENCH_TOKEN=$token BENCH_PATHS=$paths wrk "${args[@]}" "http://127.0.0.1:$port$path" >"$W/wrk.out"
    if grep -q -E 'Non-2xx|Socket errors' "$W/wrk.out"; then
        echo "$side $name: errors" >&2
        cat "$W/wrk.out" >&2
        exit 1
    fi
    awk -v side="$side" -v name="$name" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
        END { printf "%s %s %.0f %.2f %.2f\n", name, side, rps, p50, p99 }' "$W/wrk.out" | tee -a "$W/results"
}

# Warm-up: every case on every side, briefly (the peer's workers load Django on first use).
for case in "${CASES[@]}"; do
    IFS='|' read -r name path paths <<<"$case"
    for side in "${SIDES[@]}"; do
        [ "$side" = peer ] && [ "$name" = healthz ] && continue
        DURATION=2 measure "$side" "$name" "$path" "$paths" >/dev/null
    done
done
: >"$W/results"
echo "case side requests/s p50_ms p99_ms"
for round in $(seq 1 "$ROUNDS"); do
    order=("${SIDES[@]}")
    if [ $((round % 2)) = 0 ] && [ ${#SIDES[@]} = 2 ]; then order=(peer app); fi
    for case in "${CASES[@]}"; do
        IFS='|' read -r name path paths <<<"$case"
        for side in "${order[@]}"; do
            [ "$side" = peer ] && [ "$name" = healthz ] && continue
            measure "$side" "$name" "$path" "$paths"
        done
    done
done

echo
echo "medians of $ROUNDS rounds: case, app requests/s p50 p99, peer requests/s p50 p99, app/peer"
python3 - "$W/results" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    case, side, rps, p50, p99 = line.split()
    runs.setdefault((case, side), []).append((float(rps), float(p50), float(p99)))
med = lambda xs, i: statistics.median(x[i] for x in xs)
cases = list(dict.fromkeys(c for c, _ in runs))
for case in cases:
    app = runs[(case, "app")]
    line = f"{case:18s} app {med(app, 0):8.0f} req/s {med(app, 1):6.2f} {med(app, 2):6.2f} ms"
    peer = runs.get((case, "peer"))
    if peer:
        line += f" | peer {med(peer, 0):6.0f} req/s {med(peer, 1):7.2f} {med(peer, 2):7.2f} ms"
        line += f" | {med(app, 0) / med(peer, 0):5.1f}x"
    print(line)
health = [r[0] for r in runs[("healthz", "app")]]
stats = [r[0] for r in runs[("overview_stats", "app")]]
ratios = sorted(h / s for h, s in zip(health, stats))
print("healthz / overview_stats requests/s, per round: " + ", ".join(f"{r:.2f}" for r in ratios))
EOF
