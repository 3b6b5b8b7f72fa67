#!/usr/bin/env bash
# Two instances behind a real balancer: a fresh PostgreSQL database, two release servers on it,
# and Debian's nginx in front with deploy/nginx.conf (its upstream and listen ports replaced).
# Through nginx it checks that
#   - both instances give the same answers (overview_stats of a demo site, each instance asked
#     directly and through the balancer, which must have used both);
#   - a sign-in works, and its session is good on either instance;
#   - failed sign-ins lock the email on both instances (the throttle is in the database);
#   - the throttle keys on the client that nginx forwards (X-Forwarded-For, trusted_proxies),
#     not on nginx's own address;
#   - an ingest POST produces an event on the event streams of both instances (SSE through nginx).
# Exits non-zero on the first failed check, with the logs of the servers and nginx.
#
# Environment (optional): TWO_INSTANCES_PG (default postgres://postgres@127.0.0.1:5432), the
# server whose `postgres` database is used to create and drop the test's own database.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-target}
# CI keeps the target folder outside the clone, as an absolute path.
[[ $TARGET_DIR = /* ]] || TARGET_DIR=$ROOT/$TARGET_DIR
BIN=$TARGET_DIR/release/automation-runs
DIR=$ROOT/target/two-instances
PG=${TWO_INSTANCES_PG:-postgres://postgres@127.0.0.1:5432}
DB=ar_two_instances_$$
export DATABASE_URL=$PG/$DB LEPTOS_SITE_ROOT=$ROOT/target/site RUST_LOG=warn

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() {
    printf 'two-instances: FAILED: %s\n' "$*" >&2
    for log in "$DIR"/*.log; do
        printf -- '--- %s (last 30 lines)\n' "$log" >&2
        tail -n 30 "$log" >&2 || true
    done
    exit 1
}
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_healthy() { # URL
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null "$1/healthz" && return 0
        sleep 0.2
    done
    fail "$1/healthz did not answer 200"
}

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup.sh --nginx installs it)"
[ -x "$BIN" ] || fail "$BIN is missing: build it first (scripts/build.sh)"
rm -rf "$DIR" && mkdir -p "$DIR/tmp"

say "a fresh PostgreSQL database, the demo data, two users and a token"
psql -q -v ON_ERROR_STOP=1 "$PG/postgres" -c "CREATE DATABASE \"$DB\"" >/dev/null || fail "cannot create $DB on $PG"
"$BIN" demo >"$DIR/cli.log" 2>&1 || fail "demo load"
printf 'two-instances-password\n' | "$BIN" user add --account 1 --email user@two.example >>"$DIR/cli.log" 2>&1 ||
    fail "user add"
printf 'two-instances-password\n' | "$BIN" user add --account 1 --email locked@two.example >>"$DIR/cli.log" 2>&1 ||
    fail "user add"
TOKEN=$("$BIN" token create --account 1 --name two-instances | tail -n1)
SITE=123

say "two instances on it, nginx in front"
P1=$(free_port)
P2=$(free_port)
PN=$(free_port)
while [ "$P2" = "$P1" ]; do P2=$(free_port); done
while [ "$PN" = "$P1" ] || [ "$PN" = "$P2" ]; do PN=$(free_port); done
for port in "$P1" "$P2"; do
    LEPTOS_SITE_ADDR=127.0.0.1:$port AUTOMATION_RUNS_TRUSTED_PROXIES=127.0.0.1 \
        "$BIN" serve >"$DIR/instance-$port.log" 2>&1 &
    PIDS+=($!)
done
# The deployed file, with only its ports changed; a change of the file that the substitutions
# no longer match fails here rather than testing something else.
sed -e "s/server 127\.0\.0\.1:3001 /server 127.0.0.1:$P1 /" \
    -e "s/server 127\.0\.0\.1:3002 /server 127.0.0.1:$P2 /" \
    -e "s/^    listen 80;/    listen 127.0.0.1:$PN;/" deploy/nginx.conf >"$DIR/site.conf"
for want in "server 127.0.0.1:$P1 " "server 127.0.0.1:$P2 " "listen 127.0.0.1:$PN;"; do
    grep -qF "$want" "$DIR/site.conf" || fail "deploy/nginx.conf: could not set '$want'"
done
cat >"$DIR/nginx.conf" <<EOF
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;
events { worker_connections 256; }
http {
    log_format upstream '\$request_method \$uri \$status \$upstream_addr';
    access_log $DIR/nginx-access.log upstream;
    client_body_temp_path $DIR/tmp/body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;
    include $DIR/site.conf;
}
EOF
nginx -t -q -e "$DIR/nginx-error.log" -p "$DIR" -c "$DIR/nginx.conf" || fail "nginx -t"
nginx -e "$DIR/nginx-error.log" -p "$DIR" -c "$DIR/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
BASE=http://127.0.0.1:$PN
wait_healthy "http://127.0.0.1:$P1"
wait_healthy "http://127.0.0.1:$P2"
wait_healthy "$BASE"

# --- the same answers ------------------------------------------------------------------------
say "both instances answer the same, directly and through nginx"
canonical() { python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))'; }
overview() { # BASE
    curl -sf -H "Authorization: Bearer $TOKEN" "$1/api/v1/automation/overview_stats/?site_id=$SITE" | canonical
}
A=$(overview "http://127.0.0.1:$P1") || fail "overview_stats on instance 1"
B=$(overview "http://127.0.0.1:$P2") || fail "overview_stats on instance 2"
[ "$A" = "$B" ] || fail "the instances answer overview_stats differently"
for i in 1 2 3 4; do
    C=$(overview "$BASE") || fail "overview_stats through nginx ($i)"
    [ "$C" = "$A" ] || fail "overview_stats through nginx ($i) differs from the instances'"
done
served_by() { # URI -> the distinct upstreams that served it, per nginx's log
    awk -v uri="$1" '$2 == uri { print $4 }' "$DIR/nginx-access.log" | sort -u
}
[ "$(served_by /api/v1/automation/overview_stats/ | wc -l)" = 2 ] ||
    fail "nginx did not use both instances: $(served_by /api/v1/automation/overview_stats/ | tr '\n' ' ')"

# --- sign-in -----------------------------------------------------------------------------------
# One browser: a cookie jar and the CSRF token of its form, fetched once, so that the form posts
# alternate between the instances (a GET before each would send every POST to the same one).
JAR=$DIR/cookies.txt
form_token() { # BASE -> the sign-in form's CSRF token; its cookie lands in $JAR
    curl -sf -c "$JAR" -b "$JAR" "$1/sign-in" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1
}
new_browser() {
    rm -f "$JAR"
    CSRF=$(form_token "$BASE")
    [ -n "$CSRF" ] || fail "no CSRF token in the sign-in form"
}
sign_in() { # BASE EMAIL PASSWORD [X-Forwarded-For] -> the redirect's Location
    curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" ${4:+-H "X-Forwarded-For: $4"} \
        --data-urlencode "email=$2" --data-urlencode "password=$3" --data-urlencode "csrf_token=$CSRF" \
        "$1/sign-in"
}
expect_sign_in() { # WHAT EXPECTED(overview|invalid|locked) EMAIL PASSWORD [X-Forwarded-For]
    local what=$1 expected=$2 location
    shift 2
    location=$(sign_in "$BASE" "$@")
    case "$expected:$location" in
        overview:*/automation/overview | invalid:*error=invalid* | locked:*error=locked*) ;;
        *) fail "$what: expected $expected, got a redirect to '$location'" ;;
    esac
}
posts_served_by() {
    awk '$1 == "POST" && $2 == "/sign-in" { print $4 }' "$DIR/nginx-access.log" | sort -u | wc -l
}

say "sign-in through nginx; the session works on both instances"
new_browser
expect_sign_in "sign-in" overview user@two.example two-instances-password
for i in 1 2 3 4; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$BASE/automation/overview?site_id=$SITE")
    [ "$status" = 200 ] || fail "the overview page with the session answered $status ($i)"
done
[ "$(served_by /automation/overview | wc -l)" = 2 ] || fail "the session's pages were not served by both instances"

say "five wrong passwords through nginx lock the email on both instances"
new_browser
for i in 1 2 3 4 5; do
    expect_sign_in "wrong password $i" invalid locked@two.example wrong-password 198.51.100.1
done
[ "$(posts_served_by)" = 2 ] || fail "the sign-ins were not spread over both instances"
expect_sign_in "the right password after five failures" locked locked@two.example two-instances-password 198.51.100.2
for port in "$P1" "$P2"; do
    rm -f "$JAR"
    CSRF=$(form_token "http://127.0.0.1:$port")
    location=$(sign_in "http://127.0.0.1:$port" locked@two.example two-instances-password)
    case "$location" in *error=locked*) ;; *) fail "the instance on $port does not lock the email: '$location'" ;; esac
done

say "the throttle keys on the client nginx forwards"
new_browser
for i in $(seq 1 20); do
    expect_sign_in "guess $i from 203.0.113.7" invalid "guess$i@two.example" wrong-password 203.0.113.7
done
expect_sign_in "a 21st attempt from 203.0.113.7" locked user@two.example two-instances-password 203.0.113.7
expect_sign_in "another client behind nginx" overview user@two.example two-instances-password 203.0.113.8

# --- events through nginx ----------------------------------------------------------------------
say "an ingest POST through nginx reaches the event streams of both instances"
INGEST_TOKEN=$("$BIN" token create --account 1 --name two-instances-ingest --scope ingest | tail -n1)
READ_TOKEN=$("$BIN" token create --account 1 --name two-instances-read --scope read | tail -n1)
STREAMS=()
for i in 1 2; do
    curl -sN --max-time 60 -D "$DIR/events-$i.headers" -H "Authorization: Bearer $READ_TOKEN" \
        "$BASE/api/v1/automation/events?site_id=$SITE" >"$DIR/events-$i.txt" 2>"$DIR/events-$i.err" &
    STREAMS+=($!)
    PIDS+=($!)
done
# Both streams open (their answers' headers came through nginx) before the ingest, so that the
# event is news to both.
for i in 1 2; do
    for _ in $(seq 1 100); do
        grep -qi '^content-type: text/event-stream' "$DIR/events-$i.headers" 2>/dev/null && break
        sleep 0.1
    done
    grep -qi '^content-type: text/event-stream' "$DIR/events-$i.headers" 2>/dev/null ||
        fail "event stream $i did not open through nginx: $(head -n1 "$DIR/events-$i.headers" 2>/dev/null)"
done
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
RUN_ID=run_$(date -u +%Y%m%d_%H%M%S)_manual
RECORD=$(printf '{"kind":"run","site_id":%s,"run_id":"%s","status":"running","trigger_type":"manual","current_stage":1,"started_at":"%s","completed_at":null,"paused_at":null,"resumed_at":null,"cancelled_at":null,"total_credits_used":0,"error_message":null,"initial_snapshot":{"stage_1_initial":150,"stage_2_initial":10,"stage_3_initial":50,"stage_4_initial":25,"stage_5_initial":15,"stage_6_initial":8,"stage_7_initial":5,"total_initial_items":263}}' \
    "$SITE" "$RUN_ID" "$NOW")
status=$(printf '%s\n' "$RECORD" | curl -s -o "$DIR/ingest.json" -w '%{http_code}' \
    -H "Authorization: Bearer $INGEST_TOKEN" -H 'Content-Type: application/x-ndjson' --data-binary @- \
    "$BASE/api/v1/ingest")
[ "$status" = 200 ] || fail "ingest through nginx answered $status: $(head -c 300 "$DIR/ingest.json")"
for i in 1 2; do
    for _ in $(seq 1 100); do
        grep -q "$RUN_ID" "$DIR/events-$i.txt" && break
        sleep 0.1
    done
    grep -q "$RUN_ID" "$DIR/events-$i.txt" || fail "event stream $i did not get the run $RUN_ID"
    # One event is its lines up to a blank line: the one that names the run must be a run event.
    awk -v run="$RUN_ID" 'BEGIN { RS = "" } index($0, run) && /(^|\n)event: run(\n|$)/ { found = 1 } END { exit !found }' \
        "$DIR/events-$i.txt" || fail "stream $i: no 'event: run' for $RUN_ID: $(cat "$DIR/events-$i.txt")"
done
for pid in "${STREAMS[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${STREAMS[@]}"; do wait "$pid" 2>/dev/null || true; done
# nginx logs a stream when it ends: the two were served by different instances.
for _ in $(seq 1 50); do
    [ "$(served_by /api/v1/automation/events | wc -l)" = 2 ] && break
    sleep 0.1
done
[ "$(served_by /api/v1/automation/events | wc -l)" = 2 ] ||
    fail "the two event streams were not served by both instances: $(served_by /api/v1/automation/events | tr '\n' ' ')"
echo "two-instances: passed"
