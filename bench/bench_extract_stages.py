"""Where extraction's time goes, stage by stage, on bench_feed's generated articles; prints JSON.

    python bench/bench_extract_stages.py [N_ARTICLES]

Each stage includes the ones before it, so each rate is a ceiling for the whole extractor:
a plain regex scan for numbers; reading the document (transliteration, lowering, the
mission names, the split into lines and sentences); then finding and normalising every
amount of every unit that holds a number (no rule applied to any of them); then the whole
extractor, whose rules read each amount.
"""
from __future__ import annotations

import json
import platform
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_feed import make_article  # noqa: E402

from presence.desk.extract import extract  # noqa: E402
from presence.desk.extract.context import Document  # noqa: E402
from presence.desk.extract.numbers import amounts, has_number_word  # noqa: E402
from presence.desk.feed import parse_raw  # noqa: E402

REPEATS = 3
_PLAIN = re.compile(r"\d[\d.,]*")


def scan(article) -> None:
    _PLAIN.findall(article.text)


def read(article) -> Document:
    return Document.read(article.text, article.published, article.title)


def read_and_amounts(article) -> None:
    doc = read(article)
    for ui, u in enumerate(doc.units):
        if doc.has_digit(ui) or has_number_word(doc.low, u.start, u.end):
            amounts(doc.low, u.start, u.end, doc.dot_decimal)


def whole(article) -> None:
    extract(article.text, article.published, article.title)


def best_cpu(stage, articles) -> float:
    """The fastest of REPEATS passes, in CPU seconds (steadier than wall time on a VM)."""
    times = []
    for _ in range(REPEATS):
        start = time.process_time()
        for article in articles:
            stage(article)
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rng = random.Random(1999)
    articles = [parse_raw(make_article(i, rng)) for i in range(n)]
    whole(articles[0])  # imports and compiled patterns out of the timing
    stages = {}
    for name, stage in (("regex_scan", scan), ("read_document", read),
                        ("read_document_and_amounts", read_and_amounts),
                        ("extract", whole)):
        seconds = best_cpu(stage, articles)
        stages[name] = {"articles_per_cpu_s": round(n / seconds),
                        "us_per_article": round(seconds / n * 1e6, 1)}
    print(json.dumps({
        "articles": n, "repeats": REPEATS, "stages": stages,
        "rules_share_of_extract": round(
            1 - stages["read_document_and_amounts"]["us_per_article"]
            / stages["extract"]["us_per_article"], 2),
        "machine": platform.machine(), "python": platform.python_version(),
    }, indent=2))


if __name__ == "__main__":
    main()
