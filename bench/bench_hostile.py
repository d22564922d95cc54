"""Hostile inputs to `presence ingest`: wall time, peak memory and outcome of each; prints JSON.

    python bench/bench_hostile.py

Each case runs the real command in its own process (peak memory is that
process's maximum resident set), against files made here and a misbehaving
HTTP server on 127.0.0.1 with the default limits (20 s a request). The bars of
issue 13: no case over 30 s, none over 1 GB, none a traceback.
"""
from __future__ import annotations

import json
import os
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
                          capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    peak = [int(line.split()[1]) for line in proc.stderr.splitlines()
            if line.startswith("MAXRSS_KB")]
    return {"case": name, "seconds": round(seconds, 1), "peak_mb": round(peak[0] / 1024)
            if peak else None, "exit": proc.returncode, "traceback": "Traceback" in proc.stderr,
            "summary": proc.stdout.splitlines()[:2]}


def main() -> None:
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
    print(json.dumps({"python": sys.version.split()[0], "cases": results}, indent=1,
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
