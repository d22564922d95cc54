"""Hostile inputs to `presence ingest` and `presence review accept --set`; prints JSON.

    python bench/bench_hostile.py [--only ingest|review]

Each case runs the real command in its own process (peak memory is that
process's maximum resident set), against files made here and a misbehaving
HTTP server on 127.0.0.1 with the default limits (20 s a request). The bars of
issue 13: no case over 30 s, none over 1 GB, none a traceback.

Review: every hostile value in REVIEW_VALUES set on each of REVIEW_FIELDS, one
fresh candidate each, through the real command line (in this process, so an
exception that escapes it is counted as a traceback). Each is refused with an
"error: ..." line and nothing written, or written; a written row must carry
no hostile content (a non-http(s) address, a control character, a value that
is not a number). Formula-like text in a free-text field is kept as text, as
the issue asks (exports neutralise it), and counted apart.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "tests" / "devset" / "en_kfor_banjska.txt").read_text(encoding="utf-8")


class Hostile(socketserver.BaseRequestHandler):
    def handle(self):
        request = self.request.recv(65536)
        path = request.split(b" ", 2)[1] if b" " in request else b"/"
        try:
            if path == b"/stall":
                time.sleep(40)
            elif path == b"/drip":
                self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
                for _ in range(400):
                    self.request.sendall(b"x")
                    time.sleep(0.1)
            elif path == b"/huge":
                self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
                for _ in range(3200):  # 200 MB
                    self.request.sendall(b"a" * 65536)
        except OSError:
            pass


# The command in-process, so its own peak resident set can be read at the end.
WRAPPER = """import resource, sys
from presence.cli import main
try:
    code = main(sys.argv[1:])
finally:
    print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def run(name: str, args: list[str]) -> dict:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, "ingest", *args],
                          capture_output=True, text=True, timeout=300, check=False)
    seconds = time.monotonic() - started
    peak = [int(line.split()[1]) for line in proc.stderr.splitlines()
            if line.startswith("MAXRSS_KB")]
    return {"case": name, "seconds": round(seconds, 1), "peak_mb": round(peak[0] / 1024)
            if peak else None, "exit": proc.returncode, "traceback": "Traceback" in proc.stderr,
            "summary": proc.stdout.splitlines()[:2]}


REVIEW_FIELDS = ("value", "as_of", "url", "note", "contributor", "mission", "qualifier",
                 "host_country")
REVIEW_VALUES = ("", "   ", "inf", "-inf", "nan", "1e309", "0x10", "\u0664\u0666\u0660\u0660",
                 "4600.5", "-5", "0", "9" * 1000, "2099-01-01", "2025-02-30", "0000-00-00",
                 "javascript:alert(1)", "file:///etc/passwd", "http://", "//evil.example/x",
                 '=HYPERLINK("http://evil.example")', "+1+1", "@SUM(A1)", "\tTAB", "\rCR",
                 "two\nlines", "a\x00b", "a\u2028b", "<script>alert(1)</script>",
                 "[x](http://evil.example)", "XXX", "A" * 10_000)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def review_campaign() -> dict:
    from presence.cli import main as presence
    from presence.desk.store import ArticleRow, Store
    from presence.record.dataset import DEFAULT_DATA_DIR, DatasetError, load_dataset

    cases = [(f, v) for f in REVIEW_FIELDS for v in REVIEW_VALUES]
    counts = {"cases": len(cases), "refused_with_error": 0, "written": 0, "tracebacks": 0,
              "unclear_refusals": 0, "refused_but_data_changed": 0,
              "hostile_content_written": 0, "formula_like_text_kept_as_text": 0}
    problems, written_cases = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(DEFAULT_DATA_DIR, data)
        store_path = tmp / "store.duckdb"
        ids = [f"hostile{n:09d}" for n in range(len(cases))]
        with Store(store_path) as store:
            store.add_article(ArticleRow(
                id="hostilearticle01", url="https://example.org/kfor", title="KFOR",
                outlet="Outlet", published=dt.datetime(2025, 4, 25), language="en",
                text="x" * 40, content_hash="h", simhash=1, duplicate_of=None, origin="bench"))
            store.replace_candidates("hostilearticle01", [
                {"id": cid, "kind": "troop_contribution", "mission": "KFOR",
                 "contributor": "ITA", "host_country": "XKX", "as_of": "2025-04-25",
                 "value": float(100 + n), "unit": "troops", "qualifier": "approx",
                 "confidence": 0.9, "quote": "x", "start": 0, "end": 1}
                for n, cid in enumerate(ids)])

        def snapshot():
            return {p.name: p.read_bytes() for p in data.iterdir() if p.name != ".lock"}

        for cid, (field, value) in zip(ids, cases):
            before = snapshot()
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    code = presence(["review", "--store", str(store_path), "--data", str(data),
                                     "--as", "bench", "accept", cid, "--set",
                                     f"{field}={value}"])
            except BaseException as exc:  # noqa: BLE001 - what escapes is the finding
                counts["tracebacks"] += 1
                problems.append(f"{field}={value[:30]!r}: {type(exc).__name__}: {exc}"[:200])
                continue
            if code != 0:
                counts["refused_with_error"] += 1
                if not err.getvalue().startswith("error: "):
                    counts["unclear_refusals"] += 1
                    problems.append(f"{field}={value[:30]!r}: {err.getvalue()[:160]}")
                if snapshot() != before:
                    counts["refused_but_data_changed"] += 1
                continue
            counts["written"] += 1
            written_cases.append(f"{field}={value[:30]!r}")
            row = next(line for line in (data / "troops.csv").read_text(encoding="utf-8")
                       .splitlines() if f"candidate {cid}" in line)
            written = next(csv.DictReader(io.StringIO(
                (data / "troops.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
                + row)))
            sources = {r["source_id"]: r for r in csv.DictReader(io.StringIO(
                (data / "sources.csv").read_text(encoding="utf-8")))}
            url = sources[written["source_id"]]["url"]
            hostile = (not re.match(r"^https?://[^\s/]", url)
                       or any(_CONTROL.search(v or "") for v in written.values())
                       or not written["value"].isdigit())
            if hostile:
                counts["hostile_content_written"] += 1
                problems.append(f"{field}={value[:30]!r} written: {row[:160]}")
            if any(_FORMULA.match(v or "") for v in written.values()):
                counts["formula_like_text_kept_as_text"] += 1
        left = [p.name for p in data.iterdir() if p.name.endswith(".tmp")]
        try:
            load_dataset(data)
            valid = True
        except DatasetError:
            valid = False
    return {**counts, "temp_files_left": len(left), "dataset_validates": valid,
            "written_cases": written_cases, "problems": problems[:12]}


def ingest_campaign() -> list[dict]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = ["--store", str(tmp / "store.duckdb")]
        sparse = tmp / "sparse.txt"
        with open(sparse, "wb") as handle:
            handle.truncate(50_000_000)
        (tmp / "zero.txt").symlink_to("/dev/zero")
        (tmp / "urandom.txt").symlink_to("/dev/urandom")
        os.mkfifo(tmp / "fifo.txt")
        (tmp / "loop.txt").symlink_to(tmp / "loop.txt")
        body = ARTICLE.split("\n", 4)[-1].replace("\n", " ")
        big = tmp / "big.txt"
        big.write_text("Big\n2024-01-01 10:00:00 / OUTLET\n" + "\n".join([body] * 9500) + "\n",
                       encoding="utf-8")
        over = tmp / "over.txt"
        over.write_text("Over\n2024-01-01 10:00:00 / OUTLET\n" + "\n".join([body] * 12000)
                        + "\n", encoding="utf-8")
        lines = tmp / "lines.txt"
        lines.write_text(ARTICLE + "HOME\n" * 100_000, encoding="utf-8")
        padded = tmp / "padded.txt"
        padded.write_text("T\n2024-01-01 10:00:00 / OUTLET" + " " * 1_000_000 + "x\nBody.\n",
                          encoding="utf-8")
        feed = tmp / "feed.xml"
        items = "".join(f"<item><title>Item {i}</title><link>http://feed.invalid/{i}</link>"
                        f"<description>Text {i} of a long feed.</description></item>"
                        for i in range(10_000))
        feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                        f"{items}</channel></rss>", encoding="utf-8")
        cases = [
            ("50 MB file (sparse)", [str(sparse)]),
            ("symlink to /dev/zero", [str(tmp / "zero.txt")]),
            ("symlink to /dev/urandom", [str(tmp / "urandom.txt")]),
            ("FIFO named .txt", [str(tmp / "fifo.txt")]),
            ("symlink loop", [str(tmp / "loop.txt")]),
            ("8.6 MB article (accepted)", [str(big)]),
            ("10.9 MB article (over the cap)", [str(over)]),
            ("100,000 boilerplate lines", [str(lines)]),
            ("date line padded with 1,000,000 spaces", [str(padded)]),
            ("RSS feed of 10,000 items", [str(feed)]),
            ("stalled server", [f"{base}/stall", "--allow-private-addresses"]),
            ("server dripping a byte every 0.1 s", [f"{base}/drip",
                                                    "--allow-private-addresses"]),
            ("200 MB download", [f"{base}/huge", "--allow-private-addresses"]),
            ("loopback without the option", [f"{base}/stall"]),
        ]
        results = []
        for name, args in cases:
            results.append(run(name, args + store))
    server.shutdown()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("ingest", "review"))
    only = parser.parse_args().only
    out = {"python": sys.version.split()[0]}
    if only != "review":
        cases = ingest_campaign()
        out["ingest"] = {"cases": len(cases),
                         "tracebacks": sum(c["traceback"] for c in cases),
                         "over_30_s": sum(c["seconds"] > 30 for c in cases),
                         "slowest_s": max(c["seconds"] for c in cases),
                         "peak_mb": max(c["peak_mb"] or 0 for c in cases),
                         "cases_detail": cases}
    if only != "ingest":
        out["review"] = review_campaign()
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
