"""`presence extract` over a real store: one bad article never stops the run or the next ones."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from presence.desk.feed import article_id, content_hash, parse_raw, simhash
from presence.desk.store import ArticleRow, Store

DEVSET = Path(__file__).parent / "devset"
NORMAL = DEVSET / "en_kfor_banjska.txt"


def _add(store: Store, title: str, text: str, published: dt.datetime) -> str:
    from presence.desk.feed import Article

    aid = article_id(Article(title=title, text=text, published=published, outlet="T"))
    store.add_article(ArticleRow(id=aid, url=None, title=title, outlet="T", published=published,
                                 language="en", text=text, content_hash=content_hash(text),
                                 simhash=simhash(text[:10000]), duplicate_of=None,
                                 origin=title))
    return aid


def _extract(store_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "presence.cli", "extract", "--store",
                           str(store_path), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PRESENCE_STORE_WAIT": "5"})


def _normal(store: Store) -> str:
    a = parse_raw(NORMAL.read_text(encoding="utf-8"))
    # published later than the bad one, so it is read after it (oldest first)
    return _add(store, a.title, a.text, a.published)


def test_an_article_over_the_time_limit_is_marked_failed_and_the_next_one_is_read(tmp_path):
    path = tmp_path / "store.duckdb"
    paragraph = NORMAL.read_text(encoding="utf-8").split("\n", 4)[-1]
    with Store(path) as store:
        # 8 MB against a 0.2 s limit: even a linear extractor at 10 MB/s cannot finish it.
        slow = _add(store, "Eight megabytes", (paragraph + "\n") * (8_000_000 // len(paragraph)),
                    dt.datetime(2001, 1, 1))
        normal = _normal(store)
    first = _extract(path, "--time-limit", "0.2")
    assert "Traceback" not in first.stderr
    assert first.returncode == 1
    assert f"failed: {slow}: took longer than 0.2 s" in first.stdout, first.stdout
    with Store(path) as store:
        found = {c["article_id"] for c in store.candidates()}
        assert normal in found  # the article after the bad one was read
        assert [f["id"] for f in store.failed_articles()] == [slow]
        assert list(store.articles()) == []  # nothing left to retry for ever

    again = _extract(path, "--time-limit", "0.2")  # the next run is not poisoned
    assert again.returncode == 0 and again.stdout.startswith("0 articles extracted")

    listing = subprocess.run([sys.executable, "-m", "presence.cli", "review", "--store",
                              str(path), "list"], capture_output=True, text=True, timeout=120)
    assert "1 article(s) failed extraction" in listing.stderr
    assert slow in listing.stderr and "took longer than 0.2 s" in listing.stderr

    retried = _extract(path, "--all", "--time-limit", "0.2")  # --all retries it
    assert f"failed: {slow}" in retried.stdout


def test_a_400_digit_number_neither_crashes_nor_blocks_the_next_article(tmp_path):
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        _add(store, "Absurd", "KFOR now has " + "9" * 400 + " troops in Kosovo, the mission "
             "said on Friday, and " + "1," * 1000 + "000 more are on the way.",
             dt.datetime(2001, 1, 1))
        normal = _normal(store)
    for _ in range(2):
        out = _extract(path)
        assert "Traceback" not in out.stderr, out.stderr
    with Store(path) as store:
        assert normal in {c["article_id"] for c in store.candidates()}
        assert list(store.articles()) == []
        assert all(c["value"] is None or c["value"] < 1e7 for c in store.candidates())


def test_extract_json_names_a_bad_file_and_goes_on(tmp_path):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    out = subprocess.run([sys.executable, "-m", "presence.cli", "extract", "--json", str(fifo),
                          str(binary), str(NORMAL)], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in out.stderr
    assert out.returncode == 1
    assert "not a regular file" in out.stderr
    assert str(binary) in out.stderr
    assert out.stdout.strip(), "the good file's candidates are printed"
