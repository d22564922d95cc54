"""Find candidate figures in an article: troop strengths and contingents, defence
budgets and dated events, in English, Albanian, Bosnian/Croatian/Montenegrin/Serbian
(both scripts), Macedonian, and the German, French, Italian and Turkish mission reporting.

Named stages, each in its own module:

- `text`      transliteration and units (lines, then sentences), offsets kept exact
- `context`   document context: the mission, country and title an article carries
- `numbers`   amount normalisation: digits in every format, scale and number words
- `dates`     year anchoring: CLDR month names, years, relative years, days
- `lists`     per-nation lists and tables
- `semantics` number semantics: level or change, plan, share, count, other forces
- `figures`   the reader that applies them, keeping a `why` for every candidate and a
              reason for every number dropped
- `events`    dated happenings
- `lexicon/`  the words, one module a language

Rules and lexicons, not a model: every candidate can be explained by the words around it.
What counts as a figure follows the corpus labelling rules (../shared/corpus/README.md).
"""
from __future__ import annotations

import datetime as dt
import hashlib

from .context import Document
from .events import events
from .figures import Candidate, Dropped, Reader

MAX_EVENT_QUOTE = 240

__all__ = ["Candidate", "Dropped", "candidate_id", "explain", "extract"]


def explain(text: str, published: dt.datetime | None = None, title: str = "",
            offset: int = 0) -> tuple[list[Candidate], list[Dropped]]:
    """Candidates and the numbers seen and dropped (with the reason), offsets into text
    plus `offset`."""
    doc = Document.read(text, published, title)
    reader = Reader(doc)
    reader.run()
    found = reader.found + events(doc)
    found.sort(key=lambda c: (c.start, c.kind))
    for c in found:
        q_start, q_end = c.quote
        quote = text[doc.original(q_start):doc.original(q_end)].strip()
        if c.kind == "event" and len(quote) > MAX_EVENT_QUOTE:
            quote = quote[:MAX_EVENT_QUOTE - 1] + "…"
        c.quote = quote
        c.start, c.end = doc.original(c.start) + offset, doc.original(c.end) + offset
    for d in reader.dropped:
        d.start, d.end = doc.original(d.start) + offset, doc.original(d.end) + offset
        d.text = text[d.start - offset:d.end - offset]
    return found, reader.dropped


def extract(text: str, published: dt.datetime | None = None, title: str = "",
            offset: int = 0) -> list[Candidate]:
    """Candidates in `text`; start/end are offsets into text, plus `offset`."""
    return explain(text, published, title, offset)[0]


def candidate_id(article_key: str, c: Candidate) -> str:
    return hashlib.sha1(f"{article_key}|{c.kind}|{c.start}|{c.end}".encode()).hexdigest()[:16]
