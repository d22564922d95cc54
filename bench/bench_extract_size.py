"""Extraction time per megabyte as articles grow from 10 KB to 10 MB; prints JSON.

    python bench/bench_extract_size.py [MAX_MB]

The articles are generated here (never shipped): paragraphs in the feed's languages with
figures, traps and filler, repeated with varied numbers until the size is reached. Flat
seconds-per-megabyte means the extractor is linear in the size of what it reads (issue 16:
a quadratic stage turned one large article into minutes).
"""
from __future__ import annotations

import datetime as dt
import json
import platform
import random
import sys
import time

from presence.desk.extract import extract

PARAGRAPHS = [
    "KFOR currently has about {n:,} troops from {c} countries; Italy keeps {k:,} soldiers.",
    "NATO will send {k} more troops to Kosovo after the clashes, officials said on Friday.",
    "Buxheti i Ministrisë së Mbrojtjes për vitin {y} është {b} milionë euro.",
    "Budžet Ministarstva odbrane za {y}. godinu iznosi {b} milijardi dinara.",
    "КФОР тренутно има око {n} војника, а Мађарска {k}.",
    "Officials met in Pristina and Belgrade to discuss the dialogue, the border and energy.",
]


def article(size: int, rng: random.Random) -> str:
    parts, total = [], 0
    while total < size:
        text = rng.choice(PARAGRAPHS).format(n=rng.randint(3000, 16000), c=rng.randint(20, 35),
                                             k=rng.randint(20, 1500), y=rng.randint(2010, 2026),
                                             b=rng.randint(50, 900))
        parts.append(text)
        total += len(text) + 2
    return "\n\n".join(parts)


def main() -> None:
    max_mb = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    rng = random.Random(16)
    rows = []
    size = 10_000
    while size <= max_mb * 1_000_000:
        text = article(size, rng)
        started = time.process_time()
        found = extract(text, dt.datetime(2025, 3, 10), "Size test")
        seconds = time.process_time() - started
        rows.append({"bytes": len(text.encode("utf-8")), "cpu_s": round(seconds, 3),
                     "cpu_s_per_mb": round(seconds / (len(text.encode("utf-8")) / 1e6), 2),
                     "candidates": len(found)})
        size *= 10
    print(json.dumps({"rows": rows, "machine": platform.machine(),
                      "python": platform.python_version()}, indent=2))


if __name__ == "__main__":
    main()
