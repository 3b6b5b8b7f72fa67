#!/usr/bin/env bash
# Server time of the trends API and page (BENCHMARKS.md, section 8):
#
#   scripts/bench-trends.sh BINARY SQLITE_FILE [SITE_ID]
#
# Serves a copy of the file with no engine; adds a user and a read token to the site's account,
# signs in, and for 30, 90 and 365 days prints the median and p90 time to first byte of 50
# sequential requests (after 5 warm-up ones) of the API and of the page.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 BINARY SQLITE_FILE [SITE_ID]" >&2
    exit 2
fi
BIN=$(realpath "$1") DB=$(realpath "$2") SITE=${3:-500} PORT=${PORT:-3290}
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
BASE=http://127.0.0.1:$PORT
W=$(mktemp -d); cp "$DB" "$W/b.db"
export DATABASE_URL=sqlite://$W/b.db
ACCOUNT=$(sqlite3 "$W/b.db" "select account_id from sites where id=$SITE")
echo bench-password | "$BIN" user add --account "$ACCOUNT" --email bench@example.com >/dev/null
TOKEN=$("$BIN" token create --account "$ACCOUNT" --name bench | tail -n1)
AUTOMATION_RUNS_NO_SIMULATOR=1 LEPTOS_SITE_ADDR=127.0.0.1:$PORT LEPTOS_SITE_ROOT=target/site RUST_LOG=warn "$BIN" serve >"$W/log" 2>&1 &
SRV=$!; trap 'kill $SRV; rm -rf $W' EXIT
for _ in $(seq 100); do curl -sf $BASE/healthz >/dev/null && break; sleep 0.2; done
JAR=$W/jar
CSRF=$(curl -sf -c $JAR -b $JAR $BASE/sign-in | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
curl -sf -o /dev/null -c $JAR -b $JAR --data-urlencode email=bench@example.com --data-urlencode password=bench-password --data-urlencode csrf_token=$CSRF $BASE/sign-in
median() { sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, p90 %.1f ms (n=%d)\n", a[int((NR+1)/2)]*1000, a[int(NR*0.9)]*1000, NR}'; }
ttfb() { # URL [curl args]
  for i in $(seq 5); do curl -s -o /dev/null "$@"; done
  for i in $(seq 50); do curl -s -o /dev/null -w '%{time_starttransfer}\n' "$@"; done | median
}
echo "runs of site $SITE in 365 days: $(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/automation/trends?site_id=$SITE&days=365" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["runs"]))')"
for days in 30 90 365; do
  echo "API trends days=$days: $(ttfb -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/automation/trends?site_id=$SITE&days=$days")"
  echo "page /automation/trends days=$days: $(ttfb -b $JAR "$BASE/automation/trends?site_id=$SITE&days=$days")"
done
