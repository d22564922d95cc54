"""kill -9 at random moments during `presence review` and `presence ingest`; prints JSON.

    python bench/bench_kills.py [--kills 100] [--ingest-kills 20] [--seed 13]

Review: a copy of data/ and a real DuckDB store holding candidates from
several articles. Each round starts `presence review accept` or `reject` on
one pending candidate and kills it (SIGKILL) at a random moment: in half the
rounds anywhere in a whole run ("blind"), in the other half at a random moment
of the write phase ("aimed": the decision journal data/.decision.json appears,
then a random wait up to 1.2 times the write phase measured first). Then it
looks at what the kill left, runs the same command again (the "rerun"), and
checks every candidate, not only this one:

- decided in all three places or none: pending (no figure, no audit line),
  accepted (one figure row, one "accepted" line) or rejected (no figure, one
  "rejected" line), and no source row that nothing cites but this run added;
- no temporary file and no decision journal left in data/;
- the dataset still validates; the rerun ends without a traceback, and says
  "repaired: ..." whenever the kill had left a decision half done.

Ingest: a fresh store for each round, `presence ingest` of a folder of real
articles (../shared/corpus if present, else tests/devset) killed after a
random delay; then the store must open, hold no article whose text does not
match its hash, and a rerun must bring it to the same articles as an
uninterrupted run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from presence.desk.curate import JOURNAL
from presence.desk.feed import content_hash
from presence.desk.store import ArticleRow, Store
from presence.record.dataset import DEFAULT_DATA_DIR, DatasetError, load_dataset

ARTICLES = 24
PER_ARTICLE = 6  # candidates per article: 144, enough for 100 rounds and the calibration
PROBLEMS_SHOWN = 12


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "presence.cli", *args]


def make_desk(tmp: Path) -> tuple[Path, Path, list[str]]:
    """A copy of data/ and a store with ARTICLES x PER_ARTICLE pending contingents."""
    data = tmp / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    codes = [line.split(",")[0] for line in
             (data / "countries.csv").read_text(encoding="utf-8").splitlines()[1:]]
    codes = [c for c in codes if c not in ("XKX", "ALL")]
    store_path = tmp / "store.duckdb"
    ids = []
    with Store(store_path) as store:
        for a in range(ARTICLES):
            article = f"{a:06d}" + "k" * 10  # distinct first six characters: its own source
            day = dt.datetime(2024, 1 + a % 12, 1 + a)
            store.add_article(ArticleRow(
                id=article, url=f"https://example.org/kfor/{a}", title=f"KFOR contingents {a}",
                outlet="Example Outlet", published=day, language="en", text="x" * 80,
                content_hash=f"h{a}", simhash=a, duplicate_of=None, origin="bench"))
            rows = []
            for k in range(PER_ARTICLE):
                cid = f"kill{a:04d}{k:08d}"
                ids.append(cid)
                rows.append({"id": cid, "kind": "troop_contribution", "mission": "KFOR",
                             "contributor": codes[(a * PER_ARTICLE + k) % len(codes)],
                             "host_country": "XKX", "as_of": day.date().isoformat(),
                             "value": float(50 + a * PER_ARTICLE + k), "unit": "troops",
                             "qualifier": "approx", "confidence": 0.9, "quote": "x",
                             "start": 0, "end": 1})
            store.replace_candidates(article, rows)
    return data, store_path, ids


def action(i: int, cid: str) -> list[str]:
    """Accepts, accepts with corrections and rejections, in turn."""
    kind = i % 4
    if kind == 3:
        return ["review", "--as", "bench", "reject", cid, "--reason", "bench rejection"]
    if kind == 2:
        return ["review", "--as", "bench", "accept", cid, "--set", "qualifier=exact",
                "--set", "note=corrected by the kill bench",
                "--set", f"url=https://example.org/corrected/{cid}"]
    return ["review", "--as", "bench", "accept", cid]


def check(data: Path, store_path: Path, original_sources: set[str]) -> list[str]:
    """Every way the desk can be inconsistent, as sentences; [] when it is not."""
    problems = []
    troops = data.joinpath("troops.csv").read_text(encoding="utf-8").splitlines()
    audit_path = data / "audit.jsonl"
    audit_lines = audit_path.read_text(encoding="utf-8").splitlines() if audit_path.exists() \
        else []
    audit = []
    for n, line in enumerate(audit_lines, 1):
        try:
            audit.append(json.loads(line))
        except ValueError:
            problems.append(f"audit.jsonl line {n} is not whole")
    try:
        with Store(store_path, wait=30) as store:
            status = {c["id"]: c["status"] for c in store.candidates(None)}
    except Exception as exc:  # noqa: BLE001 - an unopenable store is the finding
        return problems + [f"store does not open: {type(exc).__name__}: {exc}"]
    for cid, state in status.items():
        figures = sum(f"candidate {cid}" in line for line in troops)
        logged = [a["action"] for a in audit if a.get("candidate") == cid]
        want = {"pending": (0, []), "accepted": (1, ["accepted"]),
                "rejected": (0, ["rejected"])}.get(state)
        if want is None or (figures, logged) != want:
            problems.append(f"{cid}: store says {state}, {figures} figure row(s), "
                            f"audit {logged}")
    left = [p.name for p in data.iterdir() if p.name.endswith(".tmp") or p.name == JOURNAL]
    if left:
        problems.append(f"left in data/: {', '.join(left)}")
    try:
        ds = load_dataset(data)
    except DatasetError as exc:
        problems.append(f"dataset does not validate: {str(exc)[:300]}")
    else:
        cited = set(ds.troops.source_id)
        orphans = set(ds.sources.source_id) - cited - original_sources
        if orphans:
            problems.append(f"source rows nothing cites: {', '.join(sorted(orphans))}")
    return problems


def write_window(data: Path, env: dict, args: list[str]) -> tuple[float, float, float]:
    """(journal first seen, journal last seen, whole run) in seconds from the start."""
    journal = data / JOURNAL
    seen: list[float] = []
    started = time.monotonic()
    proc = subprocess.Popen(cli(*args), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)

    def watch():
        while proc.poll() is None:
            if journal.exists():
                seen.append(time.monotonic() - started)
            time.sleep(0.001)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _, err = proc.communicate()
    whole = time.monotonic() - started
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"calibration run failed: {err}")
    return (min(seen), max(seen), whole) if seen else (whole * 0.8, whole * 0.95, whole)


def review_kills(kills: int, rng: random.Random, tmp: Path) -> dict:
    data, store_path, ids = make_desk(tmp)
    env = {**os.environ, "PRESENCE_STORE": str(store_path), "PRESENCE_DATA": str(data)}
    original_sources = {line.split(",")[0] for line in
                        (data / "sources.csv").read_text(encoding="utf-8").splitlines()[1:]}
    # one calibration run of each kind of action: how long a run and its write phase take
    windows = [write_window(data, env, action(i, ids[i])) for i in range(4)]
    whole = max(w[2] for w in windows)
    phase = {"accept": max(w[1] - w[0] for w in windows[:3]), "reject": windows[3][1] - windows[3][0]}
    journal = data / JOURNAL
    counts = {"kills": 0, "killed_blind": 0, "killed_aimed_at_write_phase": 0,
              "killed_mid_run": 0, "finished_before_kill": 0,
              "half_done_left_by_kill": 0, "half_done_repaired_or_reported_by_rerun": 0,
              "rerun_failed": 0, "tracebacks": 0, "inconsistent_states_after_rerun": 0,
              "temp_files_left": 0}
    problems: list[str] = []
    for n in range(kills):
        i = n + 4
        args = action(i, ids[i])
        aimed = n % 2 == 0
        proc = subprocess.Popen(cli(*args), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        if aimed:
            while proc.poll() is None and not journal.exists():
                time.sleep(0.0005)
            delay = rng.uniform(0, 1.2 * phase["reject" if "reject" in args else "accept"])
        else:
            delay = rng.uniform(0, whole)
        time.sleep(delay)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
        counts["kills"] += 1
        counts["killed_aimed_at_write_phase" if aimed else "killed_blind"] += 1
        counts["killed_mid_run"] += running
        counts["finished_before_kill"] += not running
        counts["tracebacks"] += "Traceback" in (err or "")
        left = check(data, store_path, original_sources)
        counts["temp_files_left"] += any(p.startswith("left in data/") and ".tmp" in p
                                         for p in left)
        if left:
            counts["half_done_left_by_kill"] += 1
        rerun = subprocess.run(cli(*args), env=env, capture_output=True, text=True, check=False,
                               timeout=600)
        counts["tracebacks"] += "Traceback" in rerun.stderr
        ok = rerun.returncode == 0 or "was already" in rerun.stderr
        if not ok:
            counts["rerun_failed"] += 1
            problems.append(f"round {n}: rerun exit {rerun.returncode}: "
                            f"{rerun.stderr.strip()[-300:]}")
        if left and "repaired:" in rerun.stderr:
            counts["half_done_repaired_or_reported_by_rerun"] += 1
        after = check(data, store_path, original_sources)
        if after:
            counts["inconsistent_states_after_rerun"] += 1
            when = f"{delay:.3f} s into the write phase" if aimed else f"after {delay:.2f} s"
            problems += [f"round {n} ({' '.join(args[3:5])}, killed {when}): {p}"
                         for p in after]
    with Store(store_path) as store:
        decided = {}
        for c in store.candidates(None):
            decided[c["status"]] = decided.get(c["status"], 0) + 1
    return {**counts, "decisions": decided,
            "write_phase_s": {k: round(v, 3) for k, v in phase.items()},
            "whole_run_s": round(whole, 2),
            "problems": problems[:PROBLEMS_SHOWN]}


def article_problems(store_path: Path) -> tuple[bool, list[str], set[str]]:
    """(opens, half articles, ids) of a store a killed ingest wrote to."""
    if not store_path.exists():
        return True, [], set()
    try:
        with Store(store_path, wait=30) as store:
            rows = store.db.execute("SELECT id, title, text, content_hash, duplicate_of "
                                    "FROM articles").fetchall()
    except Exception as exc:  # noqa: BLE001 - an unopenable store is the finding
        return False, [f"{type(exc).__name__}: {exc}"], set()
    ids = {r[0] for r in rows}
    half = [r[0] for r in rows
            if not r[1] or (r[4] is None and (not r[2] or content_hash(r[2]) != r[3]))
            or (r[4] is not None and r[4] not in ids)]
    return True, half, ids


def ingest_kills(kills: int, rng: random.Random, tmp: Path, corpus: Path) -> dict:
    def run(store_path: Path) -> subprocess.CompletedProcess:
        return subprocess.run(cli("ingest", str(corpus), "--store", str(store_path)),
                              capture_output=True, text=True, timeout=600, check=False)

    started = time.monotonic()
    reference = run(tmp / "reference.duckdb")
    whole = time.monotonic() - started
    _, _, expected = article_problems(tmp / "reference.duckdb")
    counts = {"kills": 0, "killed_mid_run": 0, "tracebacks": 0, "store_unopenable": 0,
              "half_articles": 0, "rounds_with_articles_stored_before_kill": 0,
              "lost_or_extra_after_rerun": 0}
    problems = []
    for n in range(kills):
        store_path = tmp / f"ingest{n}.duckdb"
        delay = rng.uniform(0, whole)
        proc = subprocess.Popen(cli("ingest", str(corpus), "--store", str(store_path)),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        counts["killed_mid_run"] += proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
        counts["kills"] += 1
        counts["tracebacks"] += "Traceback" in (err or "")
        opens, half, ids = article_problems(store_path)
        counts["store_unopenable"] += not opens
        counts["half_articles"] += len(half) if opens else 0
        counts["rounds_with_articles_stored_before_kill"] += bool(ids)
        if not opens or half:
            problems.append(f"round {n} (killed after {delay:.2f} s): "
                            f"{'store does not open' if not opens else 'half articles'}: "
                            f"{half[:3]}")
        rerun = run(store_path)
        counts["tracebacks"] += "Traceback" in rerun.stderr
        _, _, after = article_problems(store_path)
        if after != expected or rerun.returncode != reference.returncode:
            counts["lost_or_extra_after_rerun"] += 1
            problems.append(f"round {n}: after the rerun {len(after)} articles, "
                            f"{len(expected)} expected; exit {rerun.returncode}")
        for leftover in tmp.glob(f"ingest{n}.duckdb*"):
            leftover.unlink()
    return {**counts, "articles_per_run": len(expected), "whole_run_s": round(whole, 2),
            "corpus": str(corpus), "problems": problems[:PROBLEMS_SHOWN]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--ingest-kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corpus = args.corpus or next(
        p for p in (ROOT.parent / "shared" / "corpus", ROOT / "tests" / "devset")
         if p.is_dir())
    if args.kills > (ARTICLES * PER_ARTICLE - 4):
        raise SystemExit(f"at most {ARTICLES * PER_ARTICLE - 4} review kills")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        review = review_kills(args.kills, rng, Path(tmp) / "review") if args.kills else None
    with tempfile.TemporaryDirectory() as tmp:
        ingest = ingest_kills(args.ingest_kills, rng, Path(tmp), corpus) \
            if args.ingest_kills else None
    print(json.dumps({"python": sys.version.split()[0], "seed": args.seed,
                      "seconds": round(time.monotonic() - started), "review": review,
                      "ingest": ingest}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
