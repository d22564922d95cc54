"""Pages that need the curator's store say it is busy, and show everything else."""
import csv
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
HOLD = ("import sys, time\nfrom presence.desk.store import Store\n"
        "s = Store(sys.argv[1])\nprint('held', flush=True)\ntime.sleep(120)\n")


@pytest.fixture
def held_store(tmp_path):
    """A store file another process holds open, as a running `presence ingest` does."""
    path = tmp_path / "store.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "held"
    yield path
    holder.kill()
    holder.wait()


def _page(page, monkeypatch, store, data=None, params=None):
    monkeypatch.setenv("PRESENCE_STORE", str(store))
    if data:
        monkeypatch.setenv("PRESENCE_DATA", str(data))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(str(ROOT / page))
    return at.run()


def test_curate_page_says_the_store_is_busy(held_store, monkeypatch):
    from presence.app.auth import make_hash

    monkeypatch.setenv("PRESENCE_CURATOR_HASH", make_hash("pw-for-tests"))
    at = _page("pages/curate.py", monkeypatch, held_store)
    at.text_input[0].input("ana")
    at.text_input[1].input("pw-for-tests")
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("store is busy" in w.value for w in at.warning), [w.value for w in at.warning]


def test_sources_page_reads_the_record_only_even_with_the_store_held(held_store, monkeypatch,
                                                                      data_copy):
    """A figure accepted from the feed names its candidate in the row; the public page
    says so from the record alone and never waits on the curator's store."""
    path = data_copy / "troops.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    rows[0]["candidate_id"] = "0123456789abcdef"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    at = _page("pages/sources.py", monkeypatch, held_store, data_copy,
               {"source": rows[0]["source_id"]})
    assert not at.exception, [e.message for e in at.exception]
    assert any("accepted from the article feed" in c.value for c in at.caption)
    assert not any("store" in w.value for w in at.warning)
