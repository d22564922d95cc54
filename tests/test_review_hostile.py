"""Hostile `presence review accept --set` values: a clear error, nothing written to data/."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from presence.desk.store import ArticleRow, Store

ARTICLE = "art0000000000001"
CANDIDATE = "cand000000000001"
CONTINGENT = "cand000000000002"


@pytest.fixture
def desk(tmp_path, data_copy):
    """A real store with one article and two candidates (a KFOR total, Italy's contingent)."""
    store_path = tmp_path / "store.duckdb"
    text = "KFOR has about 4,600 troops; Italy has 1,258 of them."
    with Store(store_path) as store:
        store.add_article(ArticleRow(
            id=ARTICLE, url="https://example.org/kfor", title="KFOR strength", outlet="Outlet",
            published=dt.datetime(2025, 4, 25), language="en", text=text, content_hash="h",
            simhash=1, duplicate_of=None, origin="test"))
        base = {"mission": "KFOR", "host_country": "XKX", "as_of": "2025-04-25",
                "unit": "troops", "qualifier": "approx", "confidence": 0.9}
        store.replace_candidates(ARTICLE, [
            {**base, "id": CANDIDATE, "kind": "troop_strength", "contributor": None,
             "value": 4600.0, "quote": text[:30], "start": 0, "end": 30},
            {**base, "id": CONTINGENT, "kind": "troop_contribution", "contributor": "ITA",
             "value": 1258.0, "quote": text[30:], "start": 30, "end": len(text)},
        ])
    env = {"PRESENCE_STORE": str(store_path), "PRESENCE_DATA": str(data_copy)}
    return env, data_copy


def _accept(env, cid, *sets):
    args = [a for s in sets for a in ("--set", s)]
    return subprocess.run([sys.executable, "-m", "presence.cli", "review", "--as", "t", "accept",
                           cid, *args], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **env})


def _snapshot(data):
    """Every file in data/ but the lock file (temporary files left behind would show)."""
    return {p.name: p.read_bytes() for p in sorted(data.iterdir())
            if p.is_file() and p.name != ".lock"}


@pytest.mark.parametrize("cid,setting,message", [
    (CANDIDATE, "value=inf", "is not a number"),
    (CANDIDATE, "value=nan", "is not a number"),
    (CANDIDATE, "value=1e309", "is not a number"),
    (CANDIDATE, "value=", "value= is empty"),
    (CANDIDATE, "value=٤٦٠٠", "is not a number"),
    (CANDIDATE, "value=4600.5", "not a troop count"),
    (CANDIDATE, "value=-5", "is not a number"),
    (CANDIDATE, "as_of=2099-01-01", "in the future"),
    (CANDIDATE, "as_of=٢٠٢٥", "is not a date"),
    (CANDIDATE, "as_of=2025-02-30", "is not a date"),
    (CANDIDATE, "url=javascript:alert(1)", "not an http(s) address"),
    (CANDIDATE, "url=file:///etc/passwd", "not an http(s) address"),
    (CANDIDATE, "note=two\nlines", "line break"),
    (CANDIDATE, "qualifier=roughly", "not one of"),
    (CANDIDATE, "mission=NOPE", "not in missions.csv"),
    (CONTINGENT, "contributor=", "contributor=ALL for the mission total"),
    (CONTINGENT, "contributor=XXX", "not a known country code"),
    (CANDIDATE, "colour=red", "cannot set 'colour'"),
    (CANDIDATE, "novalue", "use --set FIELD=VALUE"),
])
def test_a_hostile_correction_is_a_clear_error_and_writes_nothing(desk, cid, setting, message):
    env, data = desk
    before = _snapshot(data)
    out = _accept(env, cid, "url=https://example.org/kfor", setting)
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1
    assert out.stderr.startswith("error: ") and message in out.stderr, out.stderr
    assert _snapshot(data) == before  # nothing in data/ changed, no audit line
    with Store(env["PRESENCE_STORE"]) as store:
        assert {c["id"]: c["status"] for c in store.candidates(None)}[cid] == "pending"


def test_formula_like_text_is_kept_as_text_and_the_good_correction_is_written(desk):
    env, data = desk
    out = _accept(env, CANDIDATE, "url=https://example.org/kfor", "value=4650",
                  "note==HYPERLINK(\"http://evil\")")
    assert out.returncode == 0, out.stderr
    troops = (data / "troops.csv").read_text(encoding="utf-8")
    assert "KFOR,ALL,XKX,2025-04-25,4650,approx" in troops
    assert '=HYPERLINK(""http://evil"")' in troops  # kept as text; exports neutralise it


def _contingents_store(store_path, ids, codes) -> None:
    """A real store with one article and a KFOR contingent candidate per (id, nation)."""
    with Store(store_path) as store:
        store.add_article(ArticleRow(
            id=ARTICLE, url="https://example.org/kfor", title="KFOR contingents",
            outlet="Outlet", published=dt.datetime(2025, 4, 25), language="en", text="x" * 50,
            content_hash="h", simhash=1, duplicate_of=None, origin="test"))
        store.replace_candidates(ARTICLE, [
            {"id": cid, "kind": "troop_contribution", "mission": "KFOR", "contributor": code,
             "host_country": "XKX", "as_of": "2025-04-25", "value": 100.0 + i,
             "unit": "troops", "qualifier": "approx", "confidence": 0.9, "quote": "x",
             "start": 0, "end": 1} for i, (cid, code) in enumerate(zip(ids, codes))])


def test_concurrent_curators_queue_for_the_store_instead_of_failing(tmp_path, data_copy):
    """Four accepts at once on one store and one data folder: all land, none is a traceback."""
    store_path = tmp_path / "store.duckdb"
    contributors = ["ITA", "USA", "DEU", "HUN"]
    _contingents_store(store_path, [f"conc{i:012d}" for i in range(len(contributors))],
                       contributors)
    env = {**os.environ, "PRESENCE_STORE": str(store_path), "PRESENCE_DATA": str(data_copy)}
    runs = [subprocess.Popen([sys.executable, "-m", "presence.cli", "review", "accept",
                              f"conc{i:012d}"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for i in range(len(contributors))]
    results = [(run.communicate(timeout=180), run.returncode) for run in runs]
    assert all("Traceback" not in err for (_, err), _ in results), results
    assert [code for _, code in results] == [0] * len(contributors), results
    troops = (data_copy / "troops.csv").read_text(encoding="utf-8")
    for i, code in enumerate(contributors):
        assert f"KFOR,{code},XKX,2025-04-25,{100 + i},approx" in troops


def _consistent(store_path, data, ids):
    """Each candidate is decided in all three places or in none: data/, store, audit log."""
    import json

    troops = (data / "troops.csv").read_text(encoding="utf-8")
    audit = [json.loads(line) for line in (data / "audit.jsonl").read_text(encoding="utf-8")
             .splitlines()] if (data / "audit.jsonl").exists() else []
    with Store(store_path) as store:
        status = {c["id"]: c["status"] for c in store.candidates(None)}
    states = {}
    for cid in ids:
        in_data = f",{cid}\n" in troops  # the row's candidate_id, its last column
        logged = [a["action"] for a in audit if a["candidate"] == cid]
        states[cid] = (status[cid], in_data, logged)
        assert (status[cid], in_data, logged) in (("pending", False, []),
                                                  ("accepted", True, ["accepted"])), states
    assert not [p.name for p in data.iterdir() if p.name.endswith(".tmp")]
    return states


def test_killed_accepts_leave_all_or_nothing_after_the_next_run(tmp_path, data_copy):
    import signal
    import time

    from presence.record.dataset import load_dataset

    store_path = tmp_path / "store.duckdb"
    codes = ["ITA", "USA", "DEU", "HUN", "TUR", "POL"]
    ids = [f"kill{i:012d}" for i in range(len(codes))]
    _contingents_store(store_path, ids, codes)
    env = {**os.environ, "PRESENCE_STORE": str(store_path), "PRESENCE_DATA": str(data_copy)}
    started = time.monotonic()
    full = _accept(env, ids[-1])  # how long one whole accept takes here
    assert full.returncode == 0, full.stderr
    whole = time.monotonic() - started
    killed = 0
    for k, cid in enumerate(ids[:-1]):
        run = subprocess.Popen([sys.executable, "-m", "presence.cli", "review", "accept", cid],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(whole * (0.35 + 0.65 * k / (len(ids) - 2)))  # across the write phase
        killed += run.poll() is None
        run.send_signal(signal.SIGKILL)
        run.communicate()
    # at least one run really was killed mid-way (how many depends on the machine's load:
    # on a busy 2-core VM fewer land inside the write phase)
    assert killed >= 1
    # The next review action repairs whatever the killed ones left half done ...
    from presence.desk.curate import Reviewer, locked

    with Store(store_path) as store, locked(data_copy):
        repaired = Reviewer(store, data_copy).recover()
    _consistent(store_path, data_copy, ids)  # ... all or nothing, for every candidate
    load_dataset(data_copy)
    # and what was undone can simply be accepted again.
    for cid in ids[:-1]:
        again = _accept(env, cid)
        assert again.returncode == 0 or "already accepted" in again.stderr, again.stderr
    states = _consistent(store_path, data_copy, ids)
    assert all(state[0] == "accepted" for state in states.values()), (repaired, states)


def _status(env, cid):
    with Store(env["PRESENCE_STORE"]) as store:
        return {c["id"]: c["status"] for c in store.candidates(None)}[cid]


def _audit_actions(data, cid):
    import json

    path = data / "audit.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [json.loads(line)["action"] for line in lines if json.loads(line)["candidate"] == cid]


def _review_list(env):
    return subprocess.run([sys.executable, "-m", "presence.cli", "review", "list"],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **env})


def test_a_rejection_stopped_between_store_and_audit_log_is_finished_by_the_next_run(desk):
    """The state a kill between the two writes of a rejection leaves: the journal, the
    store saying rejected, no audit line. `review list` finishes it."""
    from presence.desk.curate import JOURNAL, Reviewer, locked

    env, data = desk
    with Store(env["PRESENCE_STORE"]) as store:
        reviewer = Reviewer(store, data, who="t")
        with locked(data):
            reviewer._journal({"status": "rejected", "candidate": CANDIDATE,
                               "before": {"id": CANDIDATE}, "after": {"reason": "old"}})
            store.set_status(CANDIDATE, "rejected", "old")
    assert _audit_actions(data, CANDIDATE) == []  # half done: rejected without an audit line
    out = _review_list(env)
    assert out.returncode == 0 and f"repaired: finished rejecting {CANDIDATE}" in out.stderr
    assert _status(env, CANDIDATE) == "rejected"
    assert _audit_actions(data, CANDIDATE) == ["rejected"]
    assert not (data / JOURNAL).exists()


def test_an_accept_stopped_after_its_source_row_is_undone_with_that_row(desk):
    """A kill between the source rename and the figure rename leaves a new source row
    that nothing cites; undoing the accept takes it out again, and the accept can be
    made afresh."""
    from presence.desk.curate import JOURNAL, Reviewer, locked, source_row

    env, data = desk
    sources_before = (data / "sources.csv").read_bytes()
    troops_before = (data / "troops.csv").read_bytes()
    with Store(env["PRESENCE_STORE"]) as store:
        reviewer = Reviewer(store, data, who="t")
        c = reviewer.candidate(CANDIDATE)
        src = source_row(c, None)
        with locked(data):
            reviewer._journal({"status": "accepted", "candidate": CANDIDATE, "before": {},
                               "after": {"table": "troops", "row": {"note": "never written"},
                                         "source": src}, "new_source": True})
            reviewer._write({"sources": src})  # the first rename happened, the second not
    assert src["source_id"] in (data / "sources.csv").read_text(encoding="utf-8")
    out = _review_list(env)
    assert out.returncode == 0 and f"undid the accept of {CANDIDATE}" in out.stderr
    assert (data / "sources.csv").read_bytes() == sources_before
    assert (data / "troops.csv").read_bytes() == troops_before
    assert _status(env, CANDIDATE) == "pending" and not (data / JOURNAL).exists()
    assert _accept(env, CANDIDATE).returncode == 0
    assert _audit_actions(data, CANDIDATE) == ["accepted"]


def test_a_held_data_folder_is_waited_for_then_a_clear_error(desk):
    """Another curator (here: this process) holds data/.lock: the accept says it is
    waiting and by whom, then gives up with a named error, writing nothing."""
    from presence.desk.curate import locked

    env, data = desk
    before = _snapshot(data)
    with locked(data):
        out = _accept({**env, "PRESENCE_DATA_WAIT": "1"}, CANDIDATE)
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1
    assert f"waiting: the data folder {data} is busy (held by process {os.getpid()})" \
        in out.stderr
    assert "error: the data folder" in out.stderr and "try again" in out.stderr
    assert _snapshot(data) == before and _status(env, CANDIDATE) == "pending"
    assert _accept(env, CANDIDATE).returncode == 0  # released: the same accept goes through
