"""Throughput of ingest and extract on a generated corpus; prints JSON.

    python bench/bench_feed.py [N_ARTICLES]

The corpus is generated here (never shipped): articles in the feed's raw form,
in English, Albanian and Serbian (Latin and Cyrillic), mixing sentences with
figures, traps (reinforcements, casualties, counts) and filler, so that no two
articles are near copies.
"""
from __future__ import annotations

import dataclasses
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
from pathlib import Path

from presence.desk.extract import extract
from presence.desk.feed import DEFAULT_LIMITS, ingest, parse_raw
from presence.desk.store import Store

REPEATS = 5
FIGURES = {
    "en": ["KFOR currently has about {n:,} troops from {c} countries.",
           "EUFOR has some {m:,} soldiers in Bosnia and Herzegovina.",
           "Italy keeps {k:,} soldiers in KFOR.",
           "NATO will send {k} more troops to Kosovo.",
           "{c} KFOR members were injured in clashes.",
           "Serbia's defence budget for {y} is {b} billion euros."],
    "sq": ["KFOR-i ka aktualisht rreth {nd} ushtarë nga {c} vende.",
           "Italia ka {k} ushtarë në KFOR.",
           "Buxheti i Ministrisë së Mbrojtjes për vitin {y} është {b} milionë euro.",
           "NATO do të dërgojë edhe {k} ushtarë shtesë."],
    "sr": ["KFOR trenutno ima oko {n} vojnika iz {c} zemalja.",
           "EUFOR broji približno {m} vojnika.",
           "Budžet Ministarstva odbrane za {y}. godinu iznosi {b} milijardi dinara.",
           "Nemačka je poslala dodatnih {k} vojnika."],
    "cy": ["КФОР тренутно има око {n} војника.", "Италија има {k} војника у КФОР-у."],
}
FILLER = ["officials", "said", "the", "meeting", "in", "Pristina", "Sarajevo", "Belgrade",
          "talks", "dialogue", "government", "ministers", "election", "court", "police",
          "border", "north", "statement", "week", "regional", "security", "visit", "report",
          "agreement", "parliament", "economy", "energy", "road", "school", "protest"]


def make_article(i: int, rng: random.Random) -> str:
    lang = rng.choice(list(FIGURES))
    day = dt.datetime(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650), minutes=i)
    lines = [f"Report {i} on security {rng.choice(FILLER)}", "",
             f"{day:%Y-%m-%d %H:%M:%S} / OUTLET {i % 97}", ""]
    for _ in range(rng.randint(6, 14)):
        if rng.random() < 0.35:
            template = rng.choice(FIGURES[lang])
            n = rng.randint(3000, 16000)
            lines.append(template.format(n=n, nd=f"{n:,}".replace(",", "."),
                                         m=rng.randint(500, 7000),
                                         k=rng.randint(20, 1500), c=rng.randint(20, 35),
                                         y=rng.randint(2010, 2026),
                                         b=round(rng.uniform(0.1, 3), 1)))
        else:
            words = [rng.choice(FILLER) for _ in range(rng.randint(12, 30))]
            tail = f" {rng.randint(1, 30)}" if rng.random() < 0.3 else ""
            lines.append(" ".join(words).capitalize() + tail + ".")
        lines.append("")
    lines += ["Home", "Contact 044123456"]
    return "\n".join(lines) + "\n"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(1999)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i in range(n):
            (corpus / f"{i:06d}.txt").write_text(make_article(i, rng), encoding="utf-8")

        raw = [p.read_text(encoding="utf-8") for p in sorted(corpus.iterdir())]
        t = time.perf_counter()
        parsed = [parse_raw(r) for r in raw]
        parse_s = time.perf_counter() - t

        # Wall time on a shared VM swings by 2x between runs; CPU time of this one
        # process is steadier. Both are reported, over several repeats.
        wall, cpu = [], []
        for _ in range(REPEATS):
            t, c = time.perf_counter(), time.process_time()
            candidates = sum(len(extract(a.text, a.published, a.title)) for a in parsed)
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)

        # The floor: a plain regex scan for numbers over the same texts, the least any
        # extractor must do. The ratio says what the rules cost on top of reading.
        plain = re.compile(r"\d[\d.,]*")
        scan = []
        for _ in range(REPEATS):
            c = time.process_time()
            for a in parsed:
                plain.findall(a.text)
            scan.append(time.process_time() - c)

        store_path = Path(tmp) / "store.duckdb"
        t = time.perf_counter()
        with Store(store_path) as store:
            # every article in one run: the per-run item limit (500) would stop it early
            report = ingest([str(corpus)], store,
                            limits=dataclasses.replace(DEFAULT_LIMITS, items=n))
        ingest_s = time.perf_counter() - t

    print(json.dumps({
        "articles": n,
        "parse_articles_per_s": round(n / parse_s, 1),
        "extract_articles_per_cpu_s_best": round(n / min(cpu), 1),
        "extract_articles_per_cpu_s_median": round(n / statistics.median(cpu), 1),
        "extract_articles_per_wall_s_best": round(n / min(wall), 1),
        "extract_articles_per_wall_s_median": round(n / statistics.median(wall), 1),
        "extract_repeats": REPEATS,
        "regex_scan_articles_per_cpu_s_best": round(n / min(scan), 1),
        "extract_cost_vs_regex_scan": round(min(cpu) / min(scan), 1),
        "extract_candidates": candidates,
        "ingest_articles_per_s": round(n / ingest_s, 1),
        "ingest_new": len(report.new), "ingest_duplicate": len(report.duplicate),
        "ingest_rejected": len(report.rejected),
        "cores_used": 1, "machine": platform.machine(), "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
    }, indent=2))


if __name__ == "__main__":
    main()
