"""Concurrent curators on one data folder, concurrent ingests into one store; prints JSON.

    python bench/bench_concurrency.py [--rounds 5]

Curators: 2, 4 and 8 `presence review accept`/`reject` processes started at
once, each on its own candidate, `--rounds` times each, in two set-ups: one
shared store (they queue for the store, then for data/.lock) and one store per
curator over one shared data folder (they meet only at data/.lock). Counted:
tracebacks, runs that failed (exit status not 0), runs that said they were
waiting, and lost updates: a run that reported success whose figure row or
audit line is missing, or a decision recorded twice.

Ingest: 2 and 4 `presence ingest` processes started at once into one store,
each with its own slice of a folder of real articles (../shared/corpus if
present, else tests/devset). Counted: tracebacks, runs that said the store is
busy (a clean refusal: exit 1 and a message naming it), other failures, and
articles lost: one of a successful run's files missing from the store.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from presence.desk.store import ArticleRow, Store
from presence.record.dataset import DEFAULT_DATA_DIR, DatasetError, load_dataset

CURATORS = (2, 4, 8)
INGESTS = (2, 4)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "presence.cli", *args]


def fill(store_path: Path, prefix: str, count: int, codes: list[str]) -> list[str]:
    """`count` pending KFOR contingents from one article, ids starting with `prefix`."""
    ids = [f"{prefix}{k:08d}".ljust(16, "0")[:16] for k in range(count)]
    article = f"{prefix}art".ljust(16, "a")[:16]
    with Store(store_path) as store:
        store.add_article(ArticleRow(
            id=article, url=f"https://example.org/{prefix}", title=f"Contingents {prefix}",
            outlet="Example Outlet", published=dt.datetime(2025, 4, 25), language="en",
            text="x" * 80, content_hash=f"h{prefix}", simhash=len(prefix), duplicate_of=None,
            origin="bench"))
        store.replace_candidates(article, [
            {"id": cid, "kind": "troop_contribution", "mission": "KFOR",
             "contributor": codes[k % len(codes)], "host_country": "XKX",
             "as_of": "2025-04-25", "value": float(10 + k), "unit": "troops",
             "qualifier": "approx", "confidence": 0.9, "quote": "x", "start": 0, "end": 1}
            for k, cid in enumerate(ids)])
    return ids


def curators(shared_store: bool, rounds: int, tmp: Path) -> dict:
    data = tmp / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    codes = [line.split(",")[0] for line in
             (data / "countries.csv").read_text(encoding="utf-8").splitlines()[1:]
             if not line.startswith("XKX")]
    out = {}
    for n in CURATORS:
        counts = {"processes": 0, "tracebacks": 0, "failed": 0, "said_waiting": 0,
                  "lost_updates": 0, "double_decisions": 0, "slowest_s": 0.0}
        failures = []
        for r in range(rounds):
            jobs = []
            for k in range(n):
                prefix = f"s{n}r{r}" if shared_store else f"c{n}r{r}k{k}"
                store_path = tmp / ("shared.duckdb" if shared_store else f"own{n}-{r}-{k}.duckdb")
                if shared_store and k == 0:
                    ids = fill(store_path, prefix, n, codes)
                elif not shared_store:
                    ids = fill(store_path, prefix, 1, codes)
                cid = ids[k] if shared_store else ids[0]
                reject = k % 4 == 3
                args = ["review", "--as", f"curator{k}",
                        *(["reject", cid, "--reason", "bench"] if reject else ["accept", cid])]
                env = {**os.environ, "PRESENCE_STORE": str(store_path),
                       "PRESENCE_DATA": str(data)}
                jobs.append((cid, reject, store_path, args, env))
            started = time.monotonic()
            procs = [(job, subprocess.Popen(cli(*job[3]), env=job[4], stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, text=True))
                     for job in jobs]
            results = [(job, proc.communicate(timeout=900), proc.returncode)
                       for job, proc in procs]
            counts["slowest_s"] = max(counts["slowest_s"], round(time.monotonic() - started, 1))
            troops = (data / "troops.csv").read_text(encoding="utf-8")
            audit = [json.loads(line) for line in
                     (data / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
            for (cid, reject, _, _, _), (_, err), code in results:
                counts["processes"] += 1
                counts["tracebacks"] += "Traceback" in err
                counts["said_waiting"] += "waiting:" in err
                if code != 0:
                    counts["failed"] += 1
                    failures.append(err.strip()[-300:])
                    continue
                logged = [a["action"] for a in audit if a["candidate"] == cid]
                figures = troops.count(f"candidate {cid}")
                want = (0, ["rejected"]) if reject else (1, ["accepted"])
                if (figures, logged) != want:
                    counts["lost_updates"] += figures < want[0] or len(logged) < 1
                    counts["double_decisions"] += figures > want[0] or len(logged) > 1
                    failures.append(f"{cid}: {figures} figure row(s), audit {logged}")
        try:
            load_dataset(data)
            counts["dataset_validates"] = True
        except DatasetError as exc:
            counts["dataset_validates"] = False
            failures.append(str(exc)[:300])
        out[str(n)] = {**counts, "problems": failures[:5]}
    return out


def ingests(rounds: int, tmp: Path, corpus: Path) -> dict:
    files = sorted(p for p in corpus.glob("*.txt"))
    out = {}
    for n in INGESTS:
        counts = {"processes": 0, "tracebacks": 0, "said_busy": 0, "other_failures": 0,
                  "articles_lost": 0, "slowest_s": 0.0}
        failures = []
        for r in range(rounds):
            store_path = tmp / f"ingest{n}-{r}.duckdb"
            slices = [files[k::n] for k in range(n)]
            started = time.monotonic()
            procs = [subprocess.Popen(cli("ingest", *map(str, part), "--store", str(store_path)),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for part in slices]
            results = [(part, proc.communicate(timeout=900), proc.returncode)
                       for part, proc in zip(slices, procs)]
            counts["slowest_s"] = max(counts["slowest_s"], round(time.monotonic() - started, 1))
            with Store(store_path, wait=60) as store:
                origins = {row[0] for row in
                           store.db.execute("SELECT origin FROM articles").fetchall()}
            for part, (_, err), code in results:
                counts["processes"] += 1
                counts["tracebacks"] += "Traceback" in err
                if code != 0:
                    if "is busy" in err and "error:" in err:
                        counts["said_busy"] += 1
                    else:
                        counts["other_failures"] += 1
                        failures.append(err.strip()[-300:])
                    continue
                missing = [p.name for p in part
                           if not any(o and o.endswith(p.name) for o in origins)]
                counts["articles_lost"] += len(missing)
                if missing:
                    failures.append(f"missing after a successful run: {missing[:3]}")
        out[str(n)] = {**counts, "files": len(files), "problems": failures[:5]}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args()
    corpus = args.corpus or next(
        p for p in (ROOT.parent / "shared" / "corpus", ROOT / "tests" / "devset") if p.is_dir())
    started = time.monotonic()
    result = {"python": sys.version.split()[0], "rounds": args.rounds}
    with tempfile.TemporaryDirectory() as tmp:
        result["curators_one_store"] = curators(True, args.rounds, Path(tmp) / "one")
    with tempfile.TemporaryDirectory() as tmp:
        result["curators_own_stores"] = curators(False, args.rounds, Path(tmp) / "own")
    with tempfile.TemporaryDirectory() as tmp:
        result["ingests_one_store"] = ingests(args.rounds, Path(tmp), corpus)
    result["seconds"] = round(time.monotonic() - started)
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
