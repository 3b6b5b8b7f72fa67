"""Reads the HAR file of a schemathesis run (scripts/schemathesis.sh) against the OpenAPI document.

Prints the requests per status class, and exits 1 when an operation of the document never
answered a 2xx: then the run only ever saw error answers for it, and said nothing about whether
its real answers match the document (a document whose parameters schemathesis cannot place, for
instance, makes every request a 400).

usage: python schemathesis_summary.py OPENAPI_JSON HAR_FILE
"""

import collections
import json
import re
import sys
from urllib.parse import urlsplit


def main() -> int:
    doc_path, har_path = sys.argv[1], sys.argv[2]
    with open(doc_path) as f:
        doc = json.load(f)
    with open(har_path) as f:
        har = json.load(f)

    operations = []  # (method, template, regex)
    for template, item in doc.get("paths", {}).items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        for method in item:
            if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
                operations.append((method.upper(), template, pattern))

    by_class = collections.Counter()
    ok = collections.Counter()
    for entry in har["log"]["entries"]:
        status = entry["response"]["status"]
        by_class[f"{status // 100}xx" if status else "no answer"] += 1
        method = entry["request"]["method"].upper()
        path = urlsplit(entry["request"]["url"]).path
        for op_method, template, pattern in operations:
            if op_method == method and pattern.match(path):
                if 200 <= status < 300:
                    ok[(op_method, template)] += 1
                break

    total = sum(by_class.values())
    classes = ", ".join(f"{k} {by_class[k]}" for k in sorted(by_class))
    never = [f"{m} {t}" for m, t, _ in operations if ok[(m, t)] == 0]
    print(f"{len(operations)} operations, {total} requests ({classes})")
    if never:
        print(
            "no 2xx answer at all, so their successful answers were never checked against the document: "
            + "; ".join(never),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
