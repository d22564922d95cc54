"""Ingest throughput on one core against a plain DuckDB insert of the same rows; prints JSON.

    python bench/bench_ingest.py [N_ARTICLES] [REPEATS]

The corpus is bench_feed's generated articles in the feed's raw text form, one file
each, plus copies a real feed folder holds: every 10th article again under another
outlet and time (the same text) and every 20th with one word changed (nearly the
same text), so the duplicate checks do their real work.

How it is measured: the process is pinned to one CPU (DuckDB's threads included),
and each repeat runs the real `ingest()` over the folder into a new DuckDB file, timed
with `time.process_time()` (CPU seconds of the whole process, every thread). The
figure is articles handled (stored or linked as duplicates) per CPU second.

The floor, measured in the same run and the same way: the rows that ingest stored,
inserted into a new store of the same schema with one `INSERT ... SELECT` from a
pandas DataFrame. It is what storing those rows costs with no reading, parsing,
hashing, language detection or duplicate checks; the ratio says what those add.
Medians over the repeats.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_feed import FILLER, make_article  # the shared generator

from presence.desk.feed import DEFAULT_LIMITS, ingest, parse_raw
from presence.desk.store import Store

EXACT_COPY_EVERY = 10
NEAR_COPY_EVERY = 20


def write_corpus(folder: Path, n: int, seed: int = 1999) -> int:
    """N generated articles and their copies as .txt files; returns the number of files."""
    rng = random.Random(seed)
    files = 0
    for i in range(n):
        raw = make_article(i, rng)
        (folder / f"{i:06d}.txt").write_text(raw, encoding="utf-8")
        files += 1
        if i % EXACT_COPY_EVERY == 0:  # same text, another outlet and another time
            copy = re.sub(r" / OUTLET \d+", " / COPY DESK", raw, count=1)
            copy = re.sub(r"(\d{2}:\d{2}):\d{2}", r"\1:59", copy, count=1)
            (folder / f"{i:06d}_copy.txt").write_text(copy, encoding="utf-8")
            files += 1
        if i % NEAR_COPY_EVERY == 5:  # one filler word of the body swapped for another
            lines = raw.split("\n")
            body = max(range(4, len(lines)), key=lambda k: len(lines[k]))
            words = lines[body].split(" ")
            k = rng.randrange(1, len(words))
            words[k] = next(w for w in FILLER if w != words[k].rstrip("."))
            lines[body] = " ".join(words)
            lines[2] = re.sub(r" / OUTLET \d+", " / NEAR DESK", lines[2])
            (folder / f"{i:06d}_near.txt").write_text("\n".join(lines), encoding="utf-8")
            files += 1
    return files


def timed(run) -> tuple[float, float, object]:
    """(CPU seconds, wall seconds, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, for every thread
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        files = write_corpus(folder, n)
        limits = replace(DEFAULT_LIMITS, items=files)

        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]
        parse_cpu = [timed(lambda: [parse_raw(t) for t in texts])[0] for _ in range(repeats)]

        ingest_cpu, ingest_wall, outcome, frame = [], [], None, None
        for r in range(repeats):
            with Store(Path(tmp) / f"ingest{r}.duckdb") as store:
                cpu, wall, report = timed(lambda: ingest([str(folder)], store, limits=limits))
                ingest_cpu.append(cpu)
                ingest_wall.append(wall)
                outcome = (len(report.new), len(report.duplicate), len(report.rejected))
                if frame is None:
                    frame = store.db.execute("SELECT * FROM articles").df()
        handled = outcome[0] + outcome[1]

        floor_cpu = []
        for r in range(repeats):
            with Store(Path(tmp) / f"floor{r}.duckdb") as store:
                def insert(db=store.db):
                    db.register("rows", frame)
                    db.execute("INSERT INTO articles SELECT * FROM rows")
                    db.unregister("rows")
                floor_cpu.append(timed(insert)[0])
                assert store.count("articles") == len(frame)

    project = handled / statistics.median(ingest_cpu)
    floor = len(frame) / statistics.median(floor_cpu)
    print(json.dumps({
        "measure": "ingest of generated raw-text articles, one core (process pinned), "
                   "articles per CPU second (time.process_time), median of repeats",
        "articles": n, "files": files, "repeats": repeats,
        "new": outcome[0], "duplicate": outcome[1], "rejected": outcome[2],
        "project_articles_per_cpu_s": round(project, 1),
        "project_articles_per_wall_s": round(handled / statistics.median(ingest_wall), 1),
        "floor": "the same rows inserted from a pandas DataFrame, one INSERT ... SELECT",
        "floor_articles_per_cpu_s": round(floor, 1),
        "ratio_floor_to_project": round(floor / project, 1),
        "parse_only_articles_per_cpu_s": round(files / statistics.median(parse_cpu), 1),
        "bar_articles_per_s": 1000,
        "machine": platform.machine(), "python": platform.python_version(),
        "cpu_count": os.cpu_count(), "date": dt.date.today().isoformat(),
    }, indent=2))


if __name__ == "__main__":
    main()
