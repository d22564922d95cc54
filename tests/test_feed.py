"""Ingest against a real DuckDB file and a real HTTP server on 127.0.0.1."""
import http.server
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from presence.feed import (DEFAULT_LIMITS, NEAR_DUPLICATE_BITS, Fetcher, InputError,
                           detect_language, ingest, parse_raw, simhash)
from presence.store import Store

DEVSET = Path(__file__).parent / "devset"
SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "feed"
# The test servers listen on 127.0.0.1, which ingest refuses unless told otherwise.
LOCAL = replace(DEFAULT_LIMITS, allow_private=True)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store.duckdb") as s:
        yield s


def test_raw_form_is_parsed_and_boilerplate_dropped():
    raw = (DEVSET / "en_kfor_banjska.txt").read_text(encoding="utf-8")
    a = parse_raw(raw)
    assert a.title == "NATO to reinforce KFOR after attack in northern Kosovo"
    assert a.outlet == "BALKAN WIRE (TEST FIXTURE)"
    assert a.published.isoformat() == "2023-10-02T09:15:00"
    assert a.text.startswith("NATO will send around 700 more troops")  # repeated title gone
    assert a.text.endswith("can house 7,000 troops.")
    assert "CONTACT" not in a.text and "HOME" not in a.text
    assert raw[a.offset:a.offset + len(a.text)] == a.text


@pytest.mark.skipif(not SEED.exists(), reason="../shared/feed is not beside the project")
def test_seed_article_parses():
    path = next(SEED.glob("*.txt"))
    a = parse_raw(path.read_text(encoding="utf-8"))
    assert a.outlet == "KOSOVA ALFA PRESS"
    assert a.text.rstrip().endswith("/REL")
    assert "POLICE" not in a.text


@pytest.mark.parametrize("text,reason", [
    ("Just a title\n\n", "too short"),
    ("Title\n\nyesterday / OUTLET\n\nBody text here that is long enough.\n", "date line"),
    ("Title\n\n2025-02-30 10:00:00 / OUTLET\n\nBody text here.\n", "bad date"),
])
def test_bad_raw_input_says_why(text, reason):
    with pytest.raises(InputError, match=reason):
        parse_raw(text)


def test_ingest_stores_once_links_duplicates_and_names_rejects(store, tmp_path):
    good = DEVSET / "sq_kfor_2025.txt"
    copy = tmp_path / "copy.txt"  # same text, other outlet and time: a duplicate
    raw = good.read_text(encoding="utf-8").replace("LAJME TEST (FIXTURE)", "OTHER OUTLET")
    copy.write_text(raw.replace("10:20:00", "12:00:00"), encoding="utf-8")
    near = tmp_path / "near.txt"  # one word changed: nearly the same text
    near.write_text(raw.replace("12:00:00", "13:00:00").replace("ceremoni", "ceremoninë")
                    .replace("OTHER OUTLET", "THIRD"), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("Only a title\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    report = ingest([str(good), str(copy), str(near), str(bad), str(binary),
                     str(tmp_path / "missing.txt")], store)
    assert len(report.new) == 1
    whys = sorted(why for _, _, why in report.duplicate)
    assert whys == ["nearly the same text", "same text"]
    rejected = dict(report.rejected)
    assert "too short" in rejected[str(bad)]
    assert "not UTF-8" in rejected[str(binary)]
    assert "no such file" in rejected[str(tmp_path / "missing.txt")]
    assert store.count("articles") == 3  # the original and two linked copies
    originals = list(store.articles())
    assert len(originals) == 1 and originals[0].language == "sq"
    again = ingest([str(good)], store)
    assert again.new == [] and again.duplicate[0][2] == "already stored"


def test_language_detection():
    assert detect_language("KFOR-i ka aktualisht rreth 4.686 ushtarë nga 28 vende.") == "sq"
    assert detect_language("KFOR has about 4,500 troops from 27 countries.") == "en"
    assert detect_language("КФОР тренутно има око 4.686 војника из 28 земаља.") == "sr"


def test_simhash_is_stable_and_close_for_near_copies():
    text = (DEVSET / "en_eufor_2022.txt").read_text(encoding="utf-8")
    def distance(a, b):
        return bin((simhash(a) ^ simhash(b)) & (2 ** 64 - 1)).count("1")

    assert simhash(text) == simhash(text)
    assert distance(text, text.replace("Thursday", "Friday")) <= NEAR_DUPLICATE_BITS
    for other in DEVSET.glob("*.txt"):
        if other.name != "en_eufor_2022.txt":
            assert distance(text, other.read_text(encoding="utf-8")) > NEAR_DUPLICATE_BITS


class Handler(http.server.BaseHTTPRequestHandler):
    pages: dict = {}
    hits: list = []
    flaky: dict = {}

    def do_GET(self):  # noqa: N802
        self.hits.append((self.path, dict(self.headers)))
        if self.flaky.get(self.path, 0) > 0:
            self.flaky[self.path] -= 1
            self.send_response(503)
            self.end_headers()
            return
        if self.path not in self.pages:
            self.send_response(404)
            self.end_headers()
            return
        body, ctype = self.pages[self.path]
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.hits.clear()
    Handler.flaky.clear()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def page(title, paragraphs):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title><meta name='author' content='Desk'>"
            f"<meta property='og:site_name' content='Test Outlet'>"
            f"<meta property='article:published_time' content='2025-04-25T09:00:00'></head>"
            f"<body><nav>Home | World</nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Contact 044123456</footer></body></html>").encode()


def test_rss_feed_over_http_with_retry_and_conditional_get(server, store):
    paras = ["KFOR currently has about 4,600 troops from 29 countries, the mission said on "
             "Friday in a statement about its presence in Kosovo and the north.",
             "Italy keeps the largest contingent with 1,258 soldiers, followed by the United "
             "States and Hungary, according to the latest figures of the mission."]
    Handler.pages = {
        "/feed.xml": (f"""<?xml version="1.0"?><rss version="2.0"><channel>
            <title>Test Outlet</title><link>{server}/</link><description>d</description>
            <item><title>KFOR strength</title><link>{server}/a1.html</link>
              <pubDate>Fri, 25 Apr 2025 09:00:00 GMT</pubDate></item>
            <item><title>Gone</title><link>{server}/missing.html</link>
              <pubDate>Fri, 25 Apr 2025 10:00:00 GMT</pubDate></item>
            </channel></rss>""".encode(), "application/rss+xml"),
        "/a1.html": (page("KFOR strength", paras), "text/html"),
    }
    Handler.flaky["/a1.html"] = 1  # first try fails with 503, the retry succeeds
    report = ingest([f"{server}/feed.xml"], store, limits=LOCAL)
    assert len(report.new) == 1, report.summary()
    assert any("missing.html" in name for name, _ in report.rejected)
    stored = next(store.articles())
    assert stored.url == f"{server}/a1.html" and stored.outlet == "Test Outlet"
    assert "4,600 troops" in stored.text and "044123456" not in stored.text
    agents = {h[1].get("User-Agent") for h in Handler.hits}
    assert all(a.startswith("presence-feed/") for a in agents)
    assert [p for p, _ in Handler.hits].count("/a1.html") == 2

    # Second run: the feed has not changed, the server answers 304, nothing is added.
    Handler.hits.clear()
    again = ingest([f"{server}/feed.xml"], store, limits=LOCAL)
    assert again.new == [] and Handler.hits[0][1].get("If-None-Match") == '"v1"'


def test_request_limit_and_unreachable_host(server, store):
    fetcher = Fetcher(store, limit=1, retries=0, limits=LOCAL)
    Handler.pages = {"/x": (b"hello", "text/plain")}
    assert fetcher.get(f"{server}/x") == b"hello"
    with pytest.raises(InputError, match="limit"):
        fetcher.get(f"{server}/x")
    slow = Fetcher(None, retries=1, backoff=0.01, timeout=0.5, limits=LOCAL)
    with pytest.raises(InputError, match="127.0.0.1:9"):
        slow.get("http://127.0.0.1:9/nothing")
