"""Hostile URL parameters on every page, run by Streamlit's AppTest; prints JSON.

    python bench/bench_url_fuzz.py [--queries 100] [--seed 13] [--spread]

Each query mixes out-of-range, malformed and hostile values for the link's
parameters (from, to, mission, host, contributor) and for parameters the app
ignores, with markdown links and images, HTML and script carrying the marker
host evil.example. Every query is opened on every page (with --spread, the
five the first campaign caught on every page and the rest each on one page in
turn, a sixth of the time). Counted per page:
exception boxes, and elements that render something from the URL as markdown
or HTML (a text element mentioning the marker in which, once backslash-escaped
characters are removed, a link "](" or a tag "<x" remains, or one allowed to
hold HTML).

With --hostile-data the pages read a copy of data/ whose free-text fields
(every troop and event note, every source title and note, every event
title) carry markdown links, images, HTML and script with the same marker:
the same count, for text that comes from the data rather than the URL.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
PAGES = ["pages/overview.py", "pages/map.py", "pages/troops.py", "pages/budgets.py",
         "pages/sources.py", "pages/curate.py"]
MARKER = re.compile(r"evil\.example|xss13", re.IGNORECASE)
TEXT_ELEMENTS = ("markdown", "caption", "warning", "error", "info", "success", "title",
                 "header", "subheader", "text", "exception", "toast")

DATES = ["1900-01-01", "2099-12-31", "1994-12-31", "0001-01-01", "9999-12-31", "2024-02-30",
         "2024-13-01", "20240101", "-2024-01-01", "2024-01-01T00:00", "yesterday", "",
         "1999-06-12", "2025-04-25", "2024-01-01' OR '1'='1", "<b>xss13</b>",
         "[x](http://evil.example)", "9" * 400]
CODES = ["KFOR", "XKX", "ITA,USA", "kfor", "NOPE", "ALL", "", ",,,", "K" * 300,
         "[x](http://evil.example)", "![](http://evil.example/i.png)",
         "<img src=http://evil.example/i.png>", "<script>alert('xss13')</script>",
         "**xss13**", "`xss13`", "javascript:alert('xss13')", "XKX,[a](http://evil.example)",
         "ITA\\](http://evil.example)", "&lt;b&gt;xss13", "KFOR\u202e", "ÉVIL", "%3Cxss13%3E"]
IGNORED = ["page", "theme", "utm_source", "q", "mission ", "From", "\u00a0to", "x" * 50]


def queries(n: int, rng: random.Random) -> list[dict[str, str]]:
    out = [{"from": "1900-01-01"}, {"to": "2099-12-31"}, {"from": "1994-12-31"},
           {"mission": "[x](http://evil.example)"}, {"mission": "![](http://evil.example/i.png)"}]
    while len(out) < n:
        q = {}
        for key, values in (("from", DATES), ("to", DATES), ("mission", CODES),
                            ("host", CODES), ("contributor", CODES)):
            if rng.random() < 0.45:
                q[key] = rng.choice(values)
        if rng.random() < 0.4:
            q[rng.choice(IGNORED)] = rng.choice(CODES + DATES)
        if q:
            out.append(q)
    return out[:n]


HOSTILE_TEXT = ("[x](http://evil.example) ![](http://evil.example/i.png) "
                "<img src=http://evil.example/i.png><script>alert('xss13')</script> **xss13**")


def hostile_data(target: Path) -> str:
    """A copy of data/ with HOSTILE_TEXT in every free-text field; it still validates."""
    import csv
    import io

    from presence.record.dataset import DEFAULT_DATA_DIR, load_dataset

    shutil.copytree(DEFAULT_DATA_DIR, target)
    for table, fields in (("troops", ("note",)), ("events", ("title", "note")),
                          ("sources", ("title", "note"))):
        path = target / f"{table}.csv"
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        rows = list(reader)
        for row in rows:
            for field in fields:
                if field in row:
                    row[field] = f"{row[field]} {HOSTILE_TEXT}".strip()
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    load_dataset(target)
    return str(target)


def marker_shown(at: AppTest) -> bool:
    """Whether any text element or table shows the marker at all (as text or not)."""
    texts = [str(getattr(e, "value", "") or "") for kind in TEXT_ELEMENTS
             for e in getattr(at, kind, [])]
    for table in list(at.dataframe) + list(at.table):
        with contextlib.suppress(Exception):  # a table the harness cannot read is not text
            texts.append(table.value.to_string())
    return any(MARKER.search(t) for t in texts)


def rendered_from_url(at: AppTest) -> list[str]:
    found = []
    for kind in TEXT_ELEMENTS:
        for element in getattr(at, kind, []):
            text = str(getattr(element, "value", "") or "")
            if not MARKER.search(text):
                continue
            bare = re.sub(r"\\.", "", text)
            allows_html = bool(getattr(element.proto, "allow_html", False))
            if "](" in bare or re.search(r"<[a-z/!]", bare, re.IGNORECASE) or allows_html:
                found.append(f"{kind}: {text[:160]}")
    return found


def open_page(page: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        # AppTest cannot open a URL on a page: switch, with the link's query again
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(str(ROOT / page))
        at.run()
    return at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--spread", action="store_true",
                        help="each query on one page in turn (the first five on all)")
    parser.add_argument("--hostile-data", action="store_true",
                        help="markup in data/'s free-text fields instead of hostile queries")
    args = parser.parse_args()
    # A curator login is configured (so the Curate page is in the menu) over an empty
    # store of this run's own, never the user's.
    from presence.app.auth import make_hash

    scratch = tempfile.mkdtemp(prefix="url-fuzz-")
    os.environ["PRESENCE_STORE"] = os.path.join(scratch, "store.duckdb")
    os.environ["PRESENCE_CURATOR_HASH"] = make_hash("bench-password", 1000)
    if args.hostile_data:
        os.environ["PRESENCE_DATA"] = hostile_data(Path(scratch) / "data")
    started = time.monotonic()
    qs = [{}] if args.hostile_data else queries(args.queries, random.Random(args.seed))
    per_page = {}
    examples = []
    for page in args.pages:
        counts = {"queries": 0, "exception_boxes": 0, "rendered_from_url": 0, "marker_shown": 0,
                  "listed_as_ignored": 0, "harness_errors": 0}
        for n, q in enumerate(qs):
            if args.spread and n >= 5 and n % len(args.pages) != args.pages.index(page):
                continue
            counts["queries"] += 1
            try:
                at = open_page(page, q)
            except Exception as exc:  # noqa: BLE001 - a run that does not finish is counted
                counts["harness_errors"] += 1
                examples.append(f"{page} {q}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            if at.exception:
                counts["exception_boxes"] += 1
                examples.append(f"{page} {q}: exception {at.exception[0].message[:200]}")
            counts["marker_shown"] += marker_shown(at)
            rendered = rendered_from_url(at)
            if rendered:
                counts["rendered_from_url"] += 1
                examples.append(f"{page} {q}: {rendered[0]}")
            counts["listed_as_ignored"] += any("ignored" in w.value or "clamped" in w.value
                                               for w in at.sidebar.warning)
        per_page[page] = counts
    shutil.rmtree(scratch, ignore_errors=True)
    totals = {k: sum(c[k] for c in per_page.values()) for k in next(iter(per_page.values()))}
    print(json.dumps({"python": sys.version.split()[0], "seed": args.seed,
                      "seconds": round(time.monotonic() - started), "totals": totals,
                      "pages": per_page, "examples": examples[:12]}, indent=1,
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
