"""Curation end to end: a real store, a temporary data directory, the real CLI."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from presence.desk.curate import Reviewer
from presence.desk.store import Store
from presence.record.dataset import load_dataset
from presence.view import query
from presence.view.filters import Filters

DEVSET = Path(__file__).parent / "devset"


def cli(*args, env):
    return subprocess.run([sys.executable, "-m", "presence.cli", *args], capture_output=True,
                          text=True, env={**os.environ, **env})


@pytest.fixture
def desk(tmp_path, data_copy):
    env = {"PRESENCE_STORE": str(tmp_path / "store.duckdb"), "PRESENCE_DATA": str(data_copy)}
    files = [str(DEVSET / n) for n in ("en_kfor_banjska.txt", "sq_kfor_2025.txt")]
    assert cli("ingest", *files, env=env).returncode == 0
    assert cli("extract", env=env).returncode == 0
    listing = cli("review", "list", "--json", env=env)
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    return env, data_copy, {(r["kind"], r["contributor"], r["value"], r["as_of"]): r for r in rows}


def test_accept_three_reject_two(desk):
    env, data, rows = desk
    url = ["--set", "url=https://example.org/kfor-article"]
    strength = rows[("troop_strength", None, 4686.0, "2025-04-25")]
    italy = rows[("troop_contribution", "ITA", 1258.0, "2025-04-25")]
    usa = rows[("troop_contribution", "USA", 561.0, "2023-10-02")]
    old = rows[("troop_strength", None, 50000.0, "1999-06")]
    event = rows[("event", None, None, "2023-09-29")]
    for r, extra in ((strength, []), (italy, ["--set", "qualifier=approx"]), (usa, [])):
        out = cli("review", "--as", "ana", "accept", r["id"], *url, *extra, env=env)
        assert out.returncode == 0, out.stderr
    for r in (old, event):
        out = cli("review", "--as", "ana", "reject", r["id"], "--reason", "historic", env=env)
        assert out.returncode == 0, out.stderr

    ds = load_dataset(data)
    mine = ds.troops[ds.troops.candidate_id.fillna("") != ""]
    assert set(mine.candidate_id) == {strength["id"], italy["id"], usa["id"]}
    assert set(zip(mine.contributor, mine.value, mine.qualifier)) == {
        ("ALL", 4686, "approx"), ("ITA", 1258, "approx"), ("USA", 561, "exact")}
    assert set(mine.source_id) <= set(ds.sources.source_id)
    audit = [json.loads(line) for line in (data / "audit.jsonl").read_text().splitlines()]
    assert [a["action"] for a in audit] == ["accepted"] * 3 + ["rejected"] * 2
    assert all(a["who"] == "ana" and a["candidate"] and a["when"] for a in audit)
    assert audit[1]["before"]["qualifier"] == "exact"
    assert audit[1]["after"]["row"]["qualifier"] == "approx"

    # the dashboard sees them, and the best estimate for Italy's contingent counts it
    kfor = query.troops(ds, Filters(missions=("KFOR",)), totals=True)
    assert 4686 in set(kfor[kfor.date == "2025-04-25"].value)
    italy_now = query.estimates(ds, Filters(missions=("KFOR",), contributors=("ITA",)),
                                totals=False).iloc[-1]
    assert italy_now.period == "2025-04" and italy_now.value == 1258
    assert set(mine[mine.contributor == "ITA"].source_id) <= set(
        italy_now.source_ids.split(", "))

    # rejected and accepted candidates are not asked about again, even after re-extraction
    assert cli("extract", "--all", env=env).returncode == 0
    pending = {json.loads(line)["id"] for line in cli("review", "list", "--json", env=env)
               .stdout.splitlines()}
    assert not pending & {r["id"] for r in (strength, italy, usa, old, event)}


def test_bad_corrections_are_refused_and_nothing_is_written(desk):
    env, data, rows = desk
    before = {p.name: p.read_text() for p in data.glob("*.csv")}
    r = rows[("troop_strength", None, 4686.0, "2025-04-25")]
    out = cli("review", "accept", r["id"], env=env)
    assert out.returncode == 1 and "no web address" in out.stderr
    out = cli("review", "accept", r["id"], "--set", "url=https://e.org/x", "--set",
              "contributor=XXX", env=env)
    assert out.returncode == 1 and "contributor" in out.stderr and "XXX" in out.stderr
    out = cli("review", "accept", r["id"], "--set", "colour=red", env=env)
    assert out.returncode == 1 and "cannot set 'colour'" in out.stderr
    assert {p.name: p.read_text() for p in data.glob("*.csv")} == before
    assert not (data / "audit.jsonl").exists()


def test_two_concurrent_accepts_both_land(desk):
    env, data, rows = desk
    picks = [rows[("troop_contribution", "ITA", 1258.0, "2025-04-25")],
             rows[("troop_contribution", "USA", 600.0, "2025-04-25")]]
    errors = []

    def accept(row):
        try:
            with Store(env["PRESENCE_STORE"]) as store:
                Reviewer(store, data, who="thread").accept(
                    row["id"], {"url": "https://example.org/same-article"})
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=accept, args=(r,)) for r in picks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    ds = load_dataset(data)
    assert {r["id"] for r in picks} <= set(ds.troops.candidate_id.dropna())
    assert len((data / "audit.jsonl").read_text().splitlines()) == 2


KILLER = """
import sys
from pathlib import Path
from presence.desk.curate import _write_atomic
target, a, b = Path(sys.argv[1]), Path(sys.argv[2]).read_text(), Path(sys.argv[3]).read_text()
print("ready", flush=True)
while True:
    _write_atomic(target, a)
    _write_atomic(target, b)
"""


def test_killed_writer_leaves_files_whole(data_copy, tmp_path):
    target = data_copy / "troops.csv"
    old = target.read_text()
    lines = old.splitlines()
    new = "\n".join(lines + lines[1:] * 40) + "\n"  # a much longer file: a long write
    (tmp_path / "a").write_text(old)
    (tmp_path / "b").write_text(new)
    for delay in (0.05, 0.13, 0.31):
        proc = subprocess.Popen([sys.executable, "-c", KILLER, str(target), str(tmp_path / "a"),
                                 str(tmp_path / "b")], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert target.read_text() in (old, new)
    target.write_text(old)
    load_dataset(data_copy)  # leftover temp files are not tables


def test_compare_with_the_dataset(ds):
    from presence.desk.curate import compare, existing_figure

    seed = {"kind": "troop_strength", "mission": "KFOR", "contributor": None,
            "as_of": "2025-03-10", "value": 4600.0, "unit": "troops"}
    assert compare(seed, ds) == "agrees"
    assert "source_id=alfapress-2025-03-10-rutte-visit" in existing_figure(seed, ds)
    assert compare({**seed, "value": 5060.0}, ds) == "differs by +10%"
    assert compare({**seed, "as_of": "1987-01-01"}, ds) == "new"
    assert existing_figure({**seed, "as_of": "1987-01-01"}, ds) is None
    budget = {"kind": "defence_budget", "contributor": "XKX", "unit": "EUR", "as_of": "2025",
              "value": 207_800_000.0}
    assert compare(budget, ds) == "agrees"


def test_queue_filters_and_bulk_review(desk):
    env, data, rows = desk
    with Store(env["PRESENCE_STORE"]) as store:
        ds = load_dataset(data)
        from presence.desk import curate

        queue = curate.pending_queue(store, ds)
        assert list(queue.published) == sorted(queue.published, reverse=True)
        sq = curate.filter_queue(queue, languages=["sq"], kinds=["troop_contribution"])
        assert set(sq.contributor) == {"ITA", "USA"} and set(sq.language) == {"sq"}
        assert curate.filter_queue(queue, min_confidence=1.01).empty
        picked = sq.to_dict("records")
        picked[0]["qualifier"] = "approx"  # an edit in the table
        done, failed = curate.review_rows(
            Reviewer(store, data, who="bulk"), picked + [{"id": "nope"}], "accept", ds,
            extra_for=lambda r: {"url": "https://example.org/sq"})
        assert sorted(done) == sorted(r["id"] for r in picked)
        assert failed == ["nope: no candidate with id nope"]
    ds = load_dataset(data)
    assert picked[0]["id"] in set(ds.troops[ds.troops.qualifier == "approx"].candidate_id.dropna())
