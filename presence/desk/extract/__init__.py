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
            offset: int = 0, title_offset: int | None = None
            ) -> tuple[list[Candidate], list[Dropped]]:
    """Candidates and the numbers seen and dropped (with the reason), offsets into text
    plus `offset`. With `title_offset` (where the title stands in the same file), the
    title is read too: headlines often carry the figure the body gives only in part."""
    doc = Document.read(text, published, title)
    reader = Reader(doc)
    reader.run()
    found = reader.found + events(doc)
    if title and title_offset is not None:
        found += _title_figures(title, published, doc.main_country, title_offset - offset,
                                found, reader.dropped)
    found.sort(key=lambda c: (c.start, c.kind))
    for c in found:
        q_start, q_end = c.quote
        if q_start < 0:  # read in the title: offsets already placed
            c.quote = title
            continue
        quote = text[doc.original(q_start):doc.original(q_end)].strip()
        if c.kind == "event" and len(quote) > MAX_EVENT_QUOTE:
            quote = quote[:MAX_EVENT_QUOTE - 1] + "…"
        c.quote = quote
        c.start, c.end = doc.original(c.start) + offset, doc.original(c.end) + offset
    for d in reader.dropped:
        d.start, d.end = doc.original(d.start) + offset, doc.original(d.end) + offset
        d.text = text[d.start - offset:d.end - offset]
    return found, reader.dropped


def _title_figures(title: str, published: dt.datetime | None, body_country: str | None,
                   shift: int, found: list[Candidate], dropped: list[Dropped]
                   ) -> list[Candidate]:
    """Figures of the headline that the body does not already give, with offsets
    (before the final shift) placed where the title stands. A number the body read and
    dropped for what it is (a plan, a change, another force) is not taken from the
    headline either: the body has the words the headline leaves out ("Izdvaja se preko
    100 miliona" over "od naredne godine biće preko 100 miliona")."""
    doc = Document.read(title, published, title)
    doc.main_country_hint = body_country  # the body already read says which country
    reader = Reader(doc)
    reader.run()
    seen = {_same(c) for c in found}
    vetoed = {d.value for d in dropped if not d.reason.startswith(_CONTEXT_REASONS)}
    out = []
    for c in reader.found:
        if _same(c) in seen or c.value in vetoed:
            continue
        if not any("noun" in w or "strong" in w or "amount in" in w for w in c.why):
            continue  # a headline is no list: "contingente italiano (3)" is a part number
        c.why = ["read in the title"] + c.why
        c.start, c.end = doc.original(c.start) + shift, doc.original(c.end) + shift
        c.quote = (-1, -1)
        out.append(c)
    return out


# reasons the body dropped a number for want of what the headline may give, or on a
# reading of its neighbours the headline's own words may put right (a share of GDP)
_CONTEXT_REASONS = ("no ", "a year", "a number word", "too few", "not a whole number",
                    "gross domestic product", "a share")


def _same(c: Candidate) -> tuple:
    """What makes a headline's figure the body's: the unit is left out, since a headline
    that gives the body's 'USD 263 million' as '263 million euros' restates it loosely."""
    return (c.kind, c.mission, c.contributor, c.value, (c.as_of or "")[:4])


def extract(text: str, published: dt.datetime | None = None, title: str = "",
            offset: int = 0, title_offset: int | None = None) -> list[Candidate]:
    """Candidates in `text`; start/end are offsets into text, plus `offset`."""
    return explain(text, published, title, offset, title_offset)[0]


def candidate_id(article_key: str, c: Candidate) -> str:
    return hashlib.sha1(f"{article_key}|{c.kind}|{c.start}|{c.end}".encode()).hexdigest()[:16]
