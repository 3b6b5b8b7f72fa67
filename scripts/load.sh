#!/usr/bin/env bash
# Load test of the overview API on loopback with wrk: 200 concurrent connections for 30 s.
#
#   scripts/load.sh BASE_URL TOKEN SITE_ID        e.g. scripts/load.sh http://127.0.0.1:3300 ar_… 123
#
# Every request is GET /api/v1/automation/overview_stats/?site_id=SITE_ID with
# `Authorization: Bearer TOKEN` (scripts/load.lua). Exits non-zero on ANY error: a socket error
# (connect, read, write, timeout) or an answer that is not a 2xx. Ends with one line:
#   load: 200 clients 30s: N requests, R req/s, p50 X ms, p90 Y ms, p99 Z ms, errors 0
#
# Environment (all optional):
#   LOAD_DURATION     wrk duration (default 30s)
#   LOAD_CONNECTIONS  concurrent connections (default 200)
#   LOAD_THREADS      wrk threads (default 2: one per core of the test machine)
#   LOAD_TIMEOUT      a request slower than this counts as a timeout error (default 5s)
# Installs wrk from Debian's packages when it is missing.
set -euo pipefail

if [ $# -ne 3 ] || [ -z "$1" ] || [ -z "$2" ] || [ -z "$3" ]; then
    echo "usage: $0 BASE_URL TOKEN SITE_ID" >&2
    exit 2
fi
BASE_URL=${1%/}
export LOAD_TOKEN=$2
SITE_ID=$3
DURATION=${LOAD_DURATION:-30s}
CONNECTIONS=${LOAD_CONNECTIONS:-200}
THREADS=${LOAD_THREADS:-2}
TIMEOUT=${LOAD_TIMEOUT:-5s}
HERE=$(cd "$(dirname "$0")" && pwd)
URL="$BASE_URL/api/v1/automation/overview_stats/?site_id=$SITE_ID"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'load: FAILED: %s\n' "$*" >&2; exit 1; }

# Load goes to this machine only.
host=${BASE_URL#*://}
host=${host%%/*}
case "$host" in
    \[*\]*) host=${host%%]*}; host=${host#[} ;;
    *) host=${host%%:*} ;;
esac
case "$host" in
    localhost | 127.* | ::1) ;;
    *) fail "$BASE_URL is not a loopback address (127.0.0.0/8, localhost, [::1])" ;;
esac

if ! command -v wrk >/dev/null; then
    say "installing wrk (Debian package)"
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

# One descriptor per connection, plus wrk's own: raise the soft limit when it is low.
need=$((CONNECTIONS + 64))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
    ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
    [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$need" ] ||
        fail "open-file limit $(ulimit -n) is below the $need that $CONNECTIONS connections need"
fi

# Preflight: one request must answer 200, else the run would only measure error pages.
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $LOAD_TOKEN" "$URL") ||
    fail "$URL is not reachable"
[ "$status" = 200 ] || fail "GET $URL answered $status, not 200"

say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout $TIMEOUT --latency $URL"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
set +e
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" --latency -s "$HERE/load.lua" "$URL" | tee "$OUT"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || fail "wrk exited with $rc"

result=$(grep '^load-result ' "$OUT" | tail -1)
[ -n "$result" ] || fail "wrk printed no load-result line (scripts/load.lua did not run its done())"
declare -A r
for kv in ${result#load-result }; do
    r[${kv%%=*}]=${kv#*=}
done
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
rps=$(awk -v n="${r[requests]}" -v us="${r[duration_us]}" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
errors=$((r[connect] + r[read] + r[write] + r[timeout] + r[non2xx]))
line="load: $CONNECTIONS clients $DURATION: ${r[requests]} requests, $rps req/s, p50 $(ms "${r[p50_us]}") ms, p90 $(ms "${r[p90_us]}") ms, p99 $(ms "${r[p99_us]}") ms, max $(ms "${r[max_us]}") ms, errors $errors"

if [ "${r[requests]}" -eq 0 ]; then
    fail "no request completed"
fi
if [ "$errors" -ne 0 ]; then
    echo "$line (connect ${r[connect]}, read ${r[read]}, write ${r[write]}, timeout ${r[timeout]}, non-2xx ${r[non2xx]}, first non-2xx status ${r[first_bad_status]})"
    fail "$errors errors"
fi
echo "$line"
