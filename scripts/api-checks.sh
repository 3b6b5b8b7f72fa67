#!/usr/bin/env bash
# The API checks of the test command, against the release server on the demo data (a fresh
# SQLite file): schemathesis against the OpenAPI document, its reads with a read token and the
# budget and webhook settings with an ingest token, then 200 clients for 30 s on the overview
# API (wrk). Fails on any schemathesis failure, any 5xx, any load error.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CARGO_TARGET_DIR:-target}/release/automation-runs
PORT=${API_CHECKS_PORT:-3250}
BASE=http://127.0.0.1:$PORT
DIR=target/api-checks
rm -rf "$DIR" && mkdir -p "$DIR"
export DATABASE_URL=sqlite://$DIR/api.db LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$PORT RUST_LOG=warn
# Schemathesis and the load test want the demo data still: no engine simulator writing meanwhile.
export AUTOMATION_RUNS_NO_SIMULATOR=1
# The settings pass sets generated webhooks: only this host, which resolves nowhere, is allowed.
export AUTOMATION_RUNS_WEBHOOK_ALLOW=hooks.api-checks.invalid

"$BIN" serve --demo >"$DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -sf "$BASE/healthz" >/dev/null && break
    kill -0 $SERVER 2>/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
    sleep 0.2
done
curl -sf "$BASE/healthz" >/dev/null || { echo "the server did not start" >&2; exit 1; }

TOKEN=$("$BIN" token create --account 1 --name api-checks | tail -n1)
SCHEMATHESIS_REPORT_DIR=$DIR/schemathesis scripts/schemathesis.sh "$BASE" "$TOKEN"
INGEST_TOKEN=$("$BIN" token create --account 1 --name api-checks-settings --scope ingest | tail -n1)
SCHEMATHESIS_OPERATIONS=settings SCHEMATHESIS_REPORT_DIR=$DIR/schemathesis-settings \
    scripts/schemathesis.sh "$BASE" "$INGEST_TOKEN"
scripts/load.sh "$BASE" "$TOKEN" 123
if grep -q "panicked" "$DIR/server.log"; then
    echo "the server panicked during the API checks:" >&2
    grep -B2 -A5 "panicked" "$DIR/server.log" >&2
    exit 1
fi
