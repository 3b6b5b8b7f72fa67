#!/usr/bin/env bash
# Lighthouse 12 (npm, mobile profile, Debian's Chromium) on the overview and a run page of a
# server started with --demo, signed in as the Acme demo owner (BENCHMARKS.md, section 13).
#   scripts/lighthouse.sh [BASE_URL] [OUT_DIR]
# Prints each page's four scores and its LCP, TBT and CLS; the JSON reports go to OUT_DIR.
set -euo pipefail
BASE=${1:-http://127.0.0.1:3000}
OUT=${2:-target/lighthouse}
LIGHTHOUSE_VERSION=12.8.2
TOOLS=${LIGHTHOUSE_DIR:-$HOME/.cache/automation-runs/lighthouse-$LIGHTHOUSE_VERSION}
if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ]; then
    npm install --no-audit --no-fund --prefix "$TOOLS" "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null
fi
mkdir -p "$OUT"

# Sign in through the form, as a browser does: the CSRF cookie and field, then the session.
JAR=$(mktemp)
trap 'rm -f "$JAR"' EXIT
TOKEN=$(curl -fsS -c "$JAR" "$BASE/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -fsS -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "csrf_token=$TOKEN" \
    --data-urlencode "next=/automation/overview" --data-urlencode "email=owner@acme-media.example" \
    --data-urlencode "password=acme-demo-password" "$BASE/sign-in"
COOKIE=$(awk '{sub(/^#HttpOnly_/, "")} !/^#/ && NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$JAR")
printf '{"Cookie": "%s"}\n' "$COOKIE" >"$OUT/headers.json"

api() { curl -fsS -H "Cookie: $COOKIE" "$BASE$1"; }
SITE=$(api /api/v1/automation/sites/ | python3 -c 'import json,sys; print(next(s["id"] for s in json.load(sys.stdin)["sites"] if s["domain"] == "techblog.com"))')
RUN=$(api "/api/v1/automation/history/?site_id=$SITE" | python3 -c 'import json,sys; print(next(r["run_id"] for r in json.load(sys.stdin)["runs"] if r["run_id"].endswith("_140523_manual")))')

for page in "overview /automation/overview?site_id=$SITE" "run /automation/runs/$RUN"; do
    set -- $page
    CHROME_PATH=/usr/bin/chromium "$TOOLS/node_modules/.bin/lighthouse" "$BASE$2" \
        --extra-headers="$OUT/headers.json" --quiet --output=json --output-path="$OUT/$1.json" \
        --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu"
    python3 - "$1" "$OUT/$1.json" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
report = json.load(open(path))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
metric = lambda a: report["audits"][a]["displayValue"]
print(f"{name}: {scores} LCP {metric('largest-contentful-paint')} TBT {metric('total-blocking-time')} CLS {metric('cumulative-layout-shift')}")
for category in report["categories"].values():
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 0.9:
            print(f"  below 0.9: {ref['id']} {audit['score']} {audit.get('displayValue', '')}")
PY
done
