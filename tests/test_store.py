"""The store: a real DuckDB file, created on first use, where PRESENCE_STORE says."""
import datetime as dt

import pytest

from presence.desk.store import ArticleRow, Store, default_path


def article(i=1):
    return ArticleRow(id=f"a{i}", url=None, title="t", outlet="o",
                      published=dt.datetime(2025, 3, 10), language="en", text="body",
                      content_hash=f"h{i}", simhash=i, duplicate_of=None, origin="x")


def cand(cid, value=1.0):
    return {"id": cid, "kind": "troop_strength", "mission": "KFOR", "contributor": None,
            "host_country": "XKX", "as_of": "2025", "value": value, "unit": "troops",
            "qualifier": "exact", "quote": "q", "start": 0, "end": 1, "confidence": 0.9}


def test_location_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESENCE_STORE", str(tmp_path / "deep" / "x.duckdb"))
    assert default_path() == tmp_path / "deep" / "x.duckdb"
    with Store() as s:
        assert s.count("articles") == 0
    assert (tmp_path / "deep" / "x.duckdb").exists()


def test_reextract_replaces_pending_but_keeps_decisions(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        s.add_article(article())
        s.replace_candidates("a1", [cand("c1"), cand("c2")])
        s.db.execute("UPDATE candidates SET status = 'accepted' WHERE id = 'c1'")
        s.replace_candidates("a1", [cand("c1", 5.0), cand("c3")])
        rows = {r["id"]: r for r in s.candidates(status=None)}
        assert set(rows) == {"c1", "c3"}
        assert rows["c1"]["status"] == "accepted" and rows["c1"]["value"] == 1.0
        assert next(s.articles(only_unextracted=True), None) is None


def test_failed_write_leaves_nothing_half_done(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        s.add_article(article())
        s.replace_candidates("a1", [cand("c1")])
        broken = cand("c2")
        del broken["quote"]
        with pytest.raises(KeyError):
            s.replace_candidates("a1", [cand("c9"), broken])
        assert [r["id"] for r in s.candidates()] == ["c1"]


def test_a_batch_is_written_whole_or_not_at_all(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        s.add_articles([article(1), article(2)])
        with pytest.raises(RuntimeError), s.transaction():
            s.add_articles([article(3), article(4)])
            raise RuntimeError("the process fails mid-batch")
        with pytest.raises(Exception, match="(?i)duplicate key|constraint"), s.transaction():
            s.add_articles([article(5), article(1)])  # a1 is stored: the batch fails
        assert sorted(r[0] for r in s.db.execute("SELECT id FROM articles").fetchall()) \
            == ["a1", "a2"]


def test_duplicates_of_a_batch_are_found_in_three_queries(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        first, second = article(1), article(2)
        first.url, second.url = "https://a.example/1", "https://a.example/1"
        second.id, second.duplicate_of, second.content_hash = "a2", "a1", "h1"
        s.add_articles([first])
        s.add_articles([second])
        found = s.find_duplicates(["https://a.example/1", None, None], ["x", "h1", "y"],
                                  [0, 0, 1 ^ 0b111], max_distance=3)
        assert found.by_url == {"https://a.example/1": "a1"}  # the earliest, not the copy
        assert found.by_hash == {"h1": "a1"}
        assert found.near == [["a1"], ["a1"], ["a1"]]  # simhash 1 within 3 bits of 0 and 1^7
        assert s.find_duplicates([None], ["z"], [-1], 3).near == [[]]
        assert s.texts(["a1", "a2", "nope"]) == {"a1": first.text, "a2": second.text}
