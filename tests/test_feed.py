"""Ingest against a real DuckDB file and a real HTTP server on 127.0.0.1."""
import http.server
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from presence.desk.feed import (
    DEFAULT_LIMITS,
    NEAR_DUPLICATE_BITS,
    Fetcher,
    InputError,
    Report,
    article_id,
    content_hash,
    detect_language,
    ingest,
    parse_raw,
    simhash,
    store_articles,
    unmistakable_language,
)
from presence.desk.store import ArticleRow, Store

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


def test_the_alphabet_decides_only_where_it_cannot_be_wrong():
    """Sentences we wrote: each language's own letters decide; BCS in Latin script,
    mixed or unaccented non-English text are left to the detector (None)."""
    assert unmistakable_language("Во КФОР служат 40 македонски војници, рече министерот "
                                 "за одбрана, кој ги посети во кампот ѓаковица.") == "mk"
    assert unmistakable_language("Министар одбране је рекао да ће војска добити нова "
                                 "средства, а ђаци ће посетити касарну.") == "sr"
    assert unmistakable_language("Ministria e Mbrojtjes tha se buxheti për vitin e ardhshëm "
                                 "do të jetë më i madh se sivjet.") == "sq"
    assert unmistakable_language("The minister said that the force has about 4,500 troops "
                                 "and that the mission is in its third decade.") == "en"
    assert unmistakable_language("Ministar obrane rekao je da će vojska dobiti više novca.") \
        is None
    assert unmistakable_language("Ministrija ka thënë që Vojska Srbije ima više vojnika.") \
        is None  # Albanian and BCS letters together
    assert unmistakable_language("Der Bundestag hat das Mandat fuer die KFOR verlaengert.") \
        is None  # unaccented, but not English
    assert unmistakable_language("") is None


def test_english_that_names_people_in_their_own_spelling_is_still_english():
    """English news spells Balkan names with their letters; a few of them do not make it
    BCS or Albanian, while BCS with as few accents but none of the English words stays
    the detector's (sentences we wrote)."""
    assert unmistakable_language(
        "The president of Serbia, Aleksandar Vučić, said on Monday that the talks with "
        "Pristina were over, and the force in Kosovo has about 4,500 troops in the north "
        "of the country, where the mayors of four towns were elected last year.") == "en"
    assert unmistakable_language(
        "Predsjednik je rekao da ce vojnici ostati u bazi do kraja godine, a misija "
        "nastavlja rad s lokalnim vlastima u Sarajevu i Mostaru ove jeseni.") is None


def test_a_near_copy_check_counts_every_bit_that_differs():
    """Two SimHashes 63 bits apart are not near, whatever their signs (a popcount of the
    XOR read as a signed number would count the bits of its absolute value: one)."""
    from presence.desk.feed import _Originals, first_repeated

    originals = _Originals(2)
    originals.add(0, "original", "KFOR has 4,500 troops.")
    assert first_repeated("KFOR has 4,500 troops.", originals.near(-2)) is None
    assert first_repeated("KFOR has 4,500 troops.", originals.near(3)) == "original"
    assert first_repeated("KFOR has 4,800 troops.", originals.near(3)) is None  # adds a number


CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the project")
def test_the_alphabet_agrees_with_the_detector_on_real_texts():
    """Where the letters decide a real text's language, the detector says the same."""
    from presence.desk.feed import LANGUAGE_CODES, LANGUAGE_SAMPLE_CHARS, _detector

    decided = 0
    for path in sorted(CORPUS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        sample = (lines[0] + "\n" + "\n".join(lines[3:]))[:LANGUAGE_SAMPLE_CHARS]
        quick = unmistakable_language(sample)
        if quick:
            decided += 1
            assert quick == LANGUAGE_CODES[_detector().detect_language_of(sample).name], path.name
    assert decided >= 40


def test_simhash_is_stable_and_close_for_near_copies():
    text = (DEVSET / "en_eufor_2022.txt").read_text(encoding="utf-8")
    def distance(a, b):
        return bin((simhash(a) ^ simhash(b)) & (2 ** 64 - 1)).count("1")

    assert simhash(text) == simhash(text)
    assert distance(text, text.replace("Thursday", "Friday")) <= NEAR_DUPLICATE_BITS
    for other in DEVSET.glob("*.txt"):
        if other.name != "en_eufor_2022.txt":
            assert distance(text, other.read_text(encoding="utf-8")) > NEAR_DUPLICATE_BITS


def copies(folder):
    """Devset articles with, for each, a copy under another outlet and a one-word edit."""
    folder.mkdir()
    for path in sorted(DEVSET.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        (folder / path.name).write_text(raw, encoding="utf-8")
        lines = raw.splitlines()
        date_line = next(i for i, line in enumerate(lines) if " / " in line)
        lines[date_line] = lines[date_line].split(" / ")[0] + " / COPY DESK"
        (folder / f"{path.stem}_copy.txt").write_text("\n".join(lines), encoding="utf-8")
        lines[date_line] = lines[date_line].split(" / ")[0] + " / NEAR DESK"
        body = max(range(date_line + 1, len(lines)), key=lambda i: len(lines[i]))
        words = lines[body].split(" ")
        words[len(words) // 2] = "changed"
        lines[body] = " ".join(words)
        (folder / f"{path.stem}_near.txt").write_text("\n".join(lines), encoding="utf-8")
    return folder


def stored(store):
    return store.db.execute("SELECT id, duplicate_of, text = '' FROM articles ORDER BY id"
                            ).fetchall()


def test_a_batch_finds_the_duplicates_one_by_one_would(tmp_path):
    folder = copies(tmp_path / "in")
    outcomes = []
    for batch_size in (1, 7, 200):  # each article alone, batches across files, all at once
        with Store(tmp_path / f"b{batch_size}.duckdb") as s:
            report = ingest([str(folder)], s, batch_size=batch_size)
            outcomes.append((sorted(report.new), sorted(report.duplicate), stored(s)))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    new, duplicate, rows = outcomes[0]
    articles = len(list(DEVSET.glob("*.txt")))
    assert len(new) == articles and len(rows) == 3 * articles
    whys = [why for _, _, why in duplicate]
    assert whys.count("same text") == articles
    assert whys.count("nearly the same text") == articles


def test_two_copies_in_one_batch_are_stored_once(store):
    text = (DEVSET / "en_eufor_2022.txt").read_text(encoding="utf-8")
    article = parse_raw(text)
    same = parse_raw(text)
    other_outlet = parse_raw(text.replace("/ ", "/ OTHER ", 1))
    report = Report()
    store_articles([article, same, other_outlet], store, report)
    assert report.new == [report.duplicate[0][1]]
    assert [why for _, _, why in report.duplicate] == ["already stored", "same text"]
    assert store.count("articles") == 2


def test_a_copy_takes_its_originals_language(store):
    """A copy is not detected again: it is in its original's language, whether the original
    came in the same batch or was stored before. The original's language here is one the
    copy's own text would never be detected as, so a copy detected anew would show it."""
    text = (DEVSET / "en_eufor_2022.txt").read_text(encoding="utf-8")
    original = parse_raw(text)
    original.language = "mk"  # as if its feed had said so
    in_batch = parse_raw(text.replace("/ ", "/ OTHER ", 1))
    store_articles([original, in_batch], store, Report())
    later = parse_raw(text.replace("/ ", "/ THIRD ", 1))
    report = Report()
    store_articles([later], store, report)
    assert [why for _, _, why in report.duplicate] == ["same text"]
    languages = store.db.execute("SELECT language FROM articles").fetchall()
    assert languages == [("mk",)] * 3
    assert detect_language(text) == "en"


def test_one_unstorable_article_is_one_rejection_and_the_batch_goes_in(store):
    articles = [parse_raw(p.read_text(encoding="utf-8")) for p in sorted(DEVSET.glob("*.txt"))]
    articles[2].origin = "bad-\ud800.txt"  # hashed nowhere; cannot be written as UTF-8
    report = Report()
    store_articles(articles, store, report)
    assert len(report.new) == len(articles) - 1
    assert len(report.rejected) == 1 and "not stored" in report.rejected[0][1]
    assert store.count("articles") == len(articles) - 1



def test_a_batch_is_cut_short_when_its_text_is_large(store, monkeypatch):
    from presence.desk import feed

    monkeypatch.setattr(feed, "BATCH_TEXT_CHARS", 1)  # every article fills a batch
    flushes = []
    report = ingest([str(DEVSET)], store, progress=flushes.append)
    articles = len(list(DEVSET.glob("*.txt")))
    assert len(report.new) == articles and len(flushes) == articles

DIES_ON_SECOND_BATCH = """
import os, signal, sys
from presence.desk.feed import ingest
from presence.desk.store import Store

class Dies(Store):
    batches = 0

    def add_articles(self, rows):
        super().add_articles(rows)  # the batch's rows are written, not yet committed
        Dies.batches += 1
        if Dies.batches == 2:
            os.kill(os.getpid(), signal.SIGKILL)

with Dies(sys.argv[1]) as store:
    ingest([sys.argv[2]], store, batch_size=3)
"""


def test_a_process_killed_mid_batch_leaves_only_whole_batches(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(DEVSET.glob("*.txt"))[:7]:
        (folder / path.name).write_bytes(path.read_bytes())
    path = tmp_path / "store.duckdb"
    run = subprocess.run([sys.executable, "-c", DIES_ON_SECOND_BATCH, str(path), str(folder)],
                         capture_output=True, text=True, timeout=120, check=False,
                         cwd=Path(__file__).resolve().parent.parent)
    assert run.returncode == -9, run.stderr
    with Store(path) as s:
        names = sorted(row[0] for row in s.db.execute("SELECT origin FROM articles").fetchall())
    assert names == [str(p) for p in sorted(folder.iterdir())[:3]]
    with Store(path) as s:
        again = ingest([str(folder)], s)
    assert len(again.new) == 4 and len(again.duplicate) == 3


def test_simhashes_another_version_made_are_recomputed_before_comparing(store, tmp_path):
    original = parse_raw((DEVSET / "en_eufor_2022.txt").read_text(encoding="utf-8"))
    store.add_article(ArticleRow(  # as an older SimHash left it: a value ours never makes
        id="old", url=None, title=original.title, outlet="OLD", published=original.published,
        language="en", text=original.text, content_hash="old-hash",
        simhash=~simhash(original.text), duplicate_of=None, origin="old"))
    near = tmp_path / "near.txt"
    near.write_text((DEVSET / "en_eufor_2022.txt").read_text(encoding="utf-8")
                    .replace("Thursday", "Friday").replace("/ ", "/ NEAR ", 1), encoding="utf-8")
    report = ingest([str(near)], store)
    assert report.duplicate[0][1:] == ("old", "nearly the same text"), report.summary()
    assert store.setting("simhash_version") is not None
    assert store.db.execute("SELECT content_hash FROM articles WHERE id = 'old'").fetchone() \
        == (content_hash(original.text),)


def test_a_copy_that_changes_a_number_is_an_article_of_its_own(tmp_path):
    """A feed of figures must not file an update or a correction away as a copy: the same
    text with one figure changed is stored and read; a copy that only cuts a paragraph
    repeats its original's figures and is linked to it. The same whether the original
    is in the store already or earlier in the same batch."""
    raw = (DEVSET / "en_eufor_2022.txt").read_text(encoding="utf-8")
    assert content_hash(raw) != content_hash(raw.replace("1,100", "1,200"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_original.txt").write_text(raw, encoding="utf-8")
    (folder / "b_update.txt").write_text(  # the wire copy again, one figure updated
        raw.replace("1,100", "1,200").replace("/ ", "/ UPDATE ", 1), encoding="utf-8")
    (folder / "c_shorter.txt").write_text(  # another outlet cuts the last paragraph
        raw.replace("/ ", "/ SHORTER ", 1).replace(
            "Over 20 years, the mission has rotated tens of thousands of soldiers through "
            "the country.", ""), encoding="utf-8")
    for batch_size in (1, 200):
        with Store(tmp_path / f"s{batch_size}.duckdb") as s:
            report = ingest([str(folder)], s, batch_size=batch_size)
            names = {Path(name).name: (why, of) for name, of, why in report.duplicate}
            assert len(report.new) == 2, report.summary()
            assert names == {"c_shorter.txt": ("nearly the same text", report.new[0])}
            texts = [a.text for a in s.articles()]
            assert any("1,200" in t for t in texts) and any("1,100" in t for t in texts)


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


def test_an_update_a_store_filed_as_a_copy_is_restored_when_read_again(tmp_path):
    """Before fingerprints read digits, the same wire copy with one figure updated was
    stored as a copy, without its text. Ingesting it again stores it as an original with
    its text, ready for extraction; a true copy read again stays a copy."""
    raw = (DEVSET / "en_eufor_2022.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_original.txt").write_text(raw, encoding="utf-8")
    (folder / "b_update.txt").write_text(
        raw.replace("1,100", "1,200").replace("/ ", "/ UPDATE ", 1), encoding="utf-8")
    (folder / "c_copy.txt").write_text(raw.replace("/ ", "/ COPY ", 1), encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as s:
        first = ingest([str(folder / "a_original.txt")], s)
        for name in ("b_update.txt", "c_copy.txt"):  # as the older version left them
            a = parse_raw((folder / name).read_text(encoding="utf-8"))
            s.add_article(ArticleRow(
                id=article_id(a), url=None, title=a.title, outlet=a.outlet,
                published=a.published, language="en", text="", content_hash="old",
                simhash=0, duplicate_of=first.new[0], origin=str(folder / name)))
        (folder / "d_update_again.txt").write_text(  # the same file twice in one run
            (folder / "b_update.txt").read_text(encoding="utf-8"), encoding="utf-8")
        again = ingest([str(folder)], s)
        update_id = article_id(parse_raw((folder / "b_update.txt").read_text(encoding="utf-8")))
        assert again.new == [update_id], again.summary()
        assert sorted(why for _, _, why in again.duplicate) == ["already stored"] * 3
        texts = {a.id: a.text for a in s.articles()}  # originals waiting for extraction
        assert "1,200" in texts[update_id]
        assert s.count("articles") == 3
