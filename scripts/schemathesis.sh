#!/usr/bin/env bash
# Property-based tests of the JSON API against its own OpenAPI document, with schemathesis.
#
#   scripts/schemathesis.sh BASE_URL TOKEN        e.g. scripts/schemathesis.sh http://127.0.0.1:3300 ar_…
#
# Two passes, chosen by SCHEMATHESIS_OPERATIONS:
#   read      (default) every GET of the document, with a read token;
#   settings  PUT budget and PUT alerts, with an ingest token (they write: run it on a server
#             whose AUTOMATION_RUNS_WEBHOOK_ALLOW lets generated webhooks go nowhere).
#
# Installs the pinned schemathesis (scripts/requirements-schemathesis.txt) from PyPI into a venv
# at ${XDG_CACHE_HOME:-~/.cache}/automation-runs/venv, reused while the pins are unchanged, then
# runs every operation of $BASE_URL/api/v1/openapi.json with `Authorization: Bearer TOKEN` and
# the checks: not_a_server_error, status_code_conformance, content_type_conformance,
# response_headers_conformance, response_schema_conformance, and ignored_auth (the same requests
# without the token must be refused). Site and run ids the token can see are fed to the generator
# (as a dictionary, half of the time) so that the 200 answers are checked against the document
# too, not only the 400/404 ones; an operation under test that never answered 2xx fails the run,
# as its real answers went unchecked (scripts/schemathesis_summary.py reads the HAR file for that).
#
# Exits non-zero on any failure (or if the token is refused), and prints one summary line.
# The token goes to curl and schemathesis through files, not on their command lines.
#
# Environment (all optional):
#   SCHEMATHESIS_OPERATIONS    read or settings, as above (default read)
#   SCHEMATHESIS_MAX_EXAMPLES  test cases per operation and phase (default 40)
#   SCHEMATHESIS_SEED          generator seed (default 20260117: the same cases on every run)
#   SCHEMATHESIS_WORKERS       concurrent workers (default 1: the same requests in the same order)
#   SCHEMATHESIS_REPORT_DIR    where junit.xml and requests.har.json go (default: a new temp dir)
#   SCHEMATHESIS_TIMEOUT       hard limit in seconds for the whole st run (default 300)
#   SCHEMATHESIS_SCHEMA        test against this document file instead of the served one (to
#                              try an edited document before rebuilding the server)
set -euo pipefail

if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
    echo "usage: $0 BASE_URL TOKEN" >&2
    exit 2
fi
BASE_URL=${1%/}
TOKEN=$2
HERE=$(cd "$(dirname "$0")" && pwd)
REQUIREMENTS=$HERE/requirements-schemathesis.txt
VENV=${XDG_CACHE_HOME:-$HOME/.cache}/automation-runs/venv
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-40}
SEED=${SCHEMATHESIS_SEED:-20260117}
WORKERS=${SCHEMATHESIS_WORKERS:-1}
ST_TIMEOUT=${SCHEMATHESIS_TIMEOUT:-300}
OPERATIONS=${SCHEMATHESIS_OPERATIONS:-read}
case "$OPERATIONS" in
    read | settings) ;;
    *) echo "SCHEMATHESIS_OPERATIONS must be read or settings, not $OPERATIONS" >&2; exit 2 ;;
esac
REPORT_DIR=${SCHEMATHESIS_REPORT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/schemathesis.XXXXXX")}
mkdir -p "$REPORT_DIR"
REPORT_DIR=$(cd "$REPORT_DIR" && pwd)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'schemathesis: FAILED: %s\n' "$*" >&2; exit 1; }

# --- the venv with the pinned schemathesis ---------------------------------------------------
STAMP=$VENV/.requirements.sha256
WANT=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [ ! -x "$VENV/bin/st" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    say "installing schemathesis into $VENV"
    if [ ! -x "$VENV/bin/python" ]; then
        mkdir -p "$(dirname "$VENV")"
        if ! python3 -m venv "$VENV" 2>/dev/null; then
            # Debian's python3 keeps venv (ensurepip) in a package of its own.
            rm -rf "$VENV"
            apt-get update -qq && apt-get install -y -qq python3-venv python3-pip >/dev/null
            python3 -m venv "$VENV"
        fi
    fi
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
    echo "$WANT" >"$STAMP"
fi
PY=$VENV/bin/python
ST=$VENV/bin/st

# --- preflight: the document is served and the token is accepted -----------------------------
SCHEMA_URL=$BASE_URL/api/v1/openapi.json
for _ in $(seq 60); do
    curl -fsS -o /dev/null "$SCHEMA_URL" 2>/dev/null && break
    sleep 0.5
done
curl -fsS -o /dev/null "$SCHEMA_URL" || fail "$SCHEMA_URL is not served"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
printf 'Authorization: Bearer %s\n' "$TOKEN" >"$TMP/auth-header"
api_get() { # PATH_AND_QUERY OUTFILE -> prints the status code
    curl -sS -o "$2" -w '%{http_code}' -H @"$TMP/auth-header" "$BASE_URL$1"
}
status=$(api_get /api/v1/automation/sites/ "$TMP/sites.json")
[ "$status" = 200 ] || fail "GET /api/v1/automation/sites/ with the token answered $status, not 200: $(head -c 300 "$TMP/sites.json")"

# Site ids of the token's account, and a few run ids of each, to feed to the generator.
site_ids=$("$PY" -c 'import json,sys; print(" ".join(str(s["site_id"] if "site_id" in s else s["id"]) for s in json.load(open(sys.argv[1]))["sites"]))' "$TMP/sites.json")
[ -n "$site_ids" ] || fail "the token's account has no sites: nothing but 404s to test"
: >"$TMP/run_ids"
for site in $site_ids; do
    status=$(api_get "/api/v1/automation/history/?site_id=$site&page_size=5" "$TMP/history.json")
    [ "$status" = 200 ] || fail "GET history of site $site answered $status"
    "$PY" -c 'import json,sys; [print(r["run_id"]) for r in json.load(open(sys.argv[1]))["runs"]]' "$TMP/history.json" >>"$TMP/run_ids"
done

# --- configuration: known ids as dictionaries, warnings that mean a useless run fail it ---------
TOKEN=$TOKEN "$PY" - "$TMP/schemathesis.toml" "$REPORT_DIR/.schemathesis" "$TMP/run_ids" $site_ids <<'EOF'
import json, os, sys
out, cache, run_file, sites = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
token = os.environ["TOKEN"]
runs = [line.strip() for line in open(run_file) if line.strip()]
# A few ids that exist nowhere keep the 404 answers in the mix even when the dictionary is used.
sites = sites + ["999999999"]
runs = runs + ["run_20000101_000000_manual"]
toml = lambda values: "[" + ", ".join(json.dumps(v) for v in values) + "]"
with open(out, "w") as f:
    f.write(f"""
[headers]
Authorization = {json.dumps("Bearer " + token)}

[dictionaries.site_ids]
values = {toml(sites)}

[dictionaries.run_ids]
values = {toml(runs)}

[parameters]
"query.site_id" = {{ dictionary = "site_ids", probability = 0.5 }}
"query.run_id" = {{ dictionary = "run_ids", probability = 0.5 }}
"path.run_id" = {{ dictionary = "run_ids", probability = 0.5 }}
# compare?a=&b=: two runs of the account (the same one twice is allowed).
"query.a" = {{ dictionary = "run_ids", probability = 0.5 }}
"query.b" = {{ dictionary = "run_ids", probability = 0.5 }}

[warnings]
fail-on = ["missing_auth", "base_url_mismatch"]

# Failures are stored for `st replay ID`, run from the report directory.
[cache]
directory = {json.dumps(cache)}
""")
EOF

# The document under test, as a file: the summary maps requests back to its operations.
#   read: the writing operations are left out. The event stream never ends (every request would
#     time out); ingest, the engine's run-request calls and filing a run request write with an
#     ingest token or a session (CSRF), and are in the integration tests; PUT budget and PUT
#     alerts only answer 403 to a read token, so the settings pass covers them.
#   settings: only PUT budget and PUT alerts.
if [ -n "${SCHEMATHESIS_SCHEMA:-}" ]; then
    cp "$(realpath "$SCHEMATHESIS_SCHEMA")" "$TMP/openapi.full.json"
else
    curl -fsS -o "$TMP/openapi.full.json" "$SCHEMA_URL"
fi
"$PY" - "$OPERATIONS" "$TMP/openapi.full.json" "$TMP/openapi.json" <<'EOF'
import json, sys
operations, source, target = sys.argv[1:]
doc = json.load(open(source))
METHODS = ("get", "put", "post", "delete", "patch")
settings = {("/api/v1/automation/budget", "put"), ("/api/v1/automation/alerts", "put")}
writing = settings | {
    ("/api/v1/automation/events", "get"), ("/api/v1/ingest", "post"),
    ("/api/v1/engine/run_requests/claim", "post"), ("/api/v1/engine/run_requests/{id}/started", "post"),
    ("/api/v1/engine/run_requests/{id}/rejected", "post"), ("/api/v1/automation/run_requests", "post"),
}
for path, method in sorted(writing):
    if method not in doc["paths"].get(path, {}):
        sys.exit(f"the document has no {method.upper()} {path}: update the lists of operations")
for path in list(doc["paths"]):
    item = doc["paths"][path]
    for method in [m for m in item if m in METHODS]:
        wanted = (path, method) in settings if operations == "settings" else (path, method) not in writing
        if not wanted:
            del item[method]
    if not any(m in item for m in METHODS):
        del doc["paths"][path]
json.dump(doc, open(target, "w"))
EOF
SCHEMA=$TMP/openapi.json

# --- the run -------------------------------------------------------------------------------
say "schemathesis $("$ST" --version | awk '{print $NF}'), $OPERATIONS operations, against $SCHEMA ($MAX_EXAMPLES examples per operation, seed $SEED)"
start=$(date +%s)
HAR=$REPORT_DIR/requests.har.json
rm -f "$HAR"
set +e
# From the report directory: schemathesis and hypothesis keep their caches in the current one.
cd "$REPORT_DIR"
timeout --kill-after=10 "$ST_TIMEOUT" "$ST" --config-file "$TMP/schemathesis.toml" --no-color run "$SCHEMA" \
    --url "$BASE_URL" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,ignored_auth \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --generation-database none \
    --workers "$WORKERS" \
    --request-timeout 10 \
    --max-redirects 0 \
    --continue-on-failure \
    --report junit,har --report-dir "$REPORT_DIR" \
    --report-junit-path "$REPORT_DIR/junit.xml" --report-har-path "$HAR" \
    2>&1 | tee "$TMP/st.log"
rc=${PIPESTATUS[0]}
set -e
elapsed=$(($(date +%s) - start))

# The closing line of schemathesis, e.g. "=== 3 failures in 12.34s ===", and what was sent.
closing=$(grep -E '^=+ .*( in [0-9.]+m?s) =+$' "$TMP/st.log" | tail -1 | sed -E 's/^=+ //; s/ =+$//')
counts=""
coverage_rc=0
if [ -s "$HAR" ]; then
    counts=$("$PY" "$HERE/schemathesis_summary.py" "$TMP/openapi.json" "$HAR") || coverage_rc=$?
fi
if [ "$rc" = 0 ] && [ "$coverage_rc" = 0 ] && [ -n "$counts" ]; then
    echo "schemathesis: passed: $counts; ${closing:-no summary} (${elapsed}s, reports in $REPORT_DIR)"
    exit 0
fi
[ "$rc" = 124 ] && closing="timed out after ${ST_TIMEOUT}s"
[ "$rc" != 0 ] && closing="st exited with $rc: ${closing:-no summary}"
[ -n "$counts" ] || counts="no request recorded"
[ "$coverage_rc" != 0 ] && closing="$closing; some operations never answered 2xx (listed above)"
echo "schemathesis: FAILED: $counts; $closing (${elapsed}s, reports in $REPORT_DIR)"
exit 1
