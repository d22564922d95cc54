"""Dates in the text: month names from CLDR (through babel) in every locale read, years,
month-year pairs, numeric dates, relative years ("prošle godine", "vitin e kaluar"),
and the day-month pairs that date events.

A figure's date is as precise as the text: "1999" stays a year, "November 2007"
a month; only a figure said to be current takes the date line's day.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from babel.dates import get_month_names

from .text import transliterate
from .vocab import FLAGS, alternation, words

LOCALES = ("en", "sq", "sr", "sr_Latn", "bs", "hr", "mk", "de", "fr", "it", "tr")
# Forms CLDR does not give: Albanian genitives, Croatian genitives, English abbreviations.
EXTRA_MONTHS = {
    1: ["jan", "janarit", "siječnja", "sijecnja"], 2: ["feb", "shkurtit", "veljače", "veljace"],
    3: ["marsit", "ožujka", "ozujka"], 4: ["apr", "prillit", "travnja"],
    5: ["majit", "svibnja"], 6: ["jun", "qershorit", "lipnja"], 7: ["jul", "korrikut", "srpnja"],
    8: ["aug", "gushtit", "kolovoza"], 9: ["sep", "sept", "shtatorit", "rujna"],
    10: ["oct", "tetorit", "listopada"], 11: ["nov", "nëntorit", "nentorit", "studenoga",
                                            "studenog"],
    12: ["dec", "dhjetorit", "prosinca"],
}


@lru_cache(maxsize=1)
def month_table() -> dict[str, int]:
    """Lowered, transliterated month name -> month number, every locale and form."""
    table: dict[str, int] = {}
    for locale in LOCALES:
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in get_month_names(width, context, locale).items():
                    name = transliterate(name)[0].lower().rstrip(".")
                    if len(name) >= 3:
                        table.setdefault(name, number)
    for number, names in EXTRA_MONTHS.items():
        for name in names:
            table.setdefault(name, number)
    return table


STEM_MIN = 4  # a shorter stem (tet- of tetor) would read number words (tetë) as months


def _month_form(name: str) -> str:
    """A month name with its inflections: 'novembar' also reads novembra, novembru."""
    stem = name[:-2] if len(name) >= STEM_MIN + 2 and name[-1] in "aeiour" else name
    if len(stem) >= STEM_MIN and " " not in stem:
        return re.escape(stem) + r"\w{0,4}"
    return re.escape(name) + r"\w{0,2}"  # jun -> juna, maj -> maja


_MONTH_ALT = alternation([_month_form(n) for n in month_table()])


def month_of(text: str) -> int | None:
    """The month a (possibly inflected) month name names."""
    text = text.lower().rstrip(".")
    table = month_table()
    if text in table:
        return table[text]
    for name in sorted(table, key=len, reverse=True):
        stem = name[:-2] if len(name) >= STEM_MIN + 2 and name[-1] in "aeiour" else name
        if (len(stem) >= STEM_MIN and text.startswith(stem)) or (
                text.startswith(name) and len(text) - len(name) <= 2):
            return table[name]
    return None

# No leading look-behinds (they make the engine test every position); `_clean` checks the
# character before a match instead.
_YEAR = re.compile(r"(?P<y>(?:19[4-9]|20[0-4])\d)(?!\d|[.,]\d)", FLAGS)
_MONTH_YEAR = re.compile(r"(?P<m>" + _MONTH_ALT + r")\.?,?\s+(?:of\s+|t[eë] vitit\s+|"
                         r"del\s+|de\s+)?(?P<y>(?:19|20)\d{2})(?!\d)", FLAGS)
_NUMERIC = re.compile(r"(?:(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d{2})|"
                      r"(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{2})-(?P<d2>\d{2}))(?!\d)")
_SINCE = words("year_since")
# "By 2004, they totalled 7,000": a year set off by a comma after "by" says when the
# sentence holds ("by 2025 the force will be" has no comma and stays a deadline)
_AS_OF_BY = re.compile(r"(?<!\w)by (?:early |late |mid-?)?(?:19|20)\d{2},")
RELATIVE = [(-1, words("relative_last")), (0, words("relative_this")),
            (1, words("relative_next"))]
# "In 2009 the budget was 18.8 million. A year later it was 41.2 million": counted from
# the year the text last stated, not from the date line
NARRATIVE = [(-1, words("narrative_earlier")), (1, words("narrative_later"))]


class When(NamedTuple):
    start: int
    end: int
    year: int
    month: int | None
    since: bool   # preceded by "since", "until", "compared to": it dates something else

    def iso(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)


def mentions(low: str, start: int, end: int) -> list[When]:
    """Month-years, numeric dates and bare years in low[start:end], left to right."""
    found: list[When] = []
    taken: list[tuple[int, int]] = []
    years = [m for m in _YEAR.finditer(low, start, end) if _clean(low, m.start(), ".,/-")]
    if not years:
        return found  # every form below holds a year: most sentences stop here
    for m in _MONTH_YEAR.finditer(low, start, end):
        if not _clean(low, m.start(), ""):
            continue
        month = month_of(m.group("m"))
        if month:
            found.append(When(m.start(), m.end(), int(m.group("y")), month, _since(low, m.start())))
            taken.append((m.start(), m.end()))
    for m in _NUMERIC.finditer(low, start, end):
        if not _clean(low, m.start(), "."):
            continue
        y, mo = (m.group("y"), m.group("m")) if m.group("y") else (m.group("y2"), m.group("m2"))
        if 1 <= int(mo) <= 12:
            found.append(When(m.start(), m.end(), int(y), int(mo), _since(low, m.start())))
            taken.append((m.start(), m.end()))
    for m in years:
        if any(a <= m.start() < b for a, b in taken):
            continue
        since = _since(low, m.start()) and not _AS_OF_BY.search(low, max(0, m.start() - 10),
                                                                 min(len(low), m.end() + 1))
        found.append(When(m.start(), m.end(), int(m.group("y")), None, since))
    found.sort()
    return found


def _clean(low: str, at: int, glue: str) -> bool:
    """Whether a match at `at` starts a token (not glued to a word, a number or `glue`)."""
    return at == 0 or not (low[at - 1].isalnum() or low[at - 1] in glue)


_POSSESSIVE = re.compile(r"['’]s?(?!\w)")  # "this year's", "this year’s" (after the match)


def _since(low: str, at: int) -> bool:
    before = low[max(0, at - 22):at]
    m = None
    for m in _SINCE.finditer(before):  # noqa: B007 - the last match is the one wanted
        pass
    if not m:
        return False
    gap = before[m.end():]
    return bool(_SINCE_GAP.fullmatch(gap))


# between "since"/"until" and its year: an article, "year", a day and month, or the part of
# the year ("bis Mitte 2008", "until mid-2008", "do kraja 2008")
_SINCE_GAP = re.compile(r"\s*(?:the\s+|viti\s+|vitit\s+|year\s+|godine\s+|des\s+|dem\s+|il\s+|l'\s*|"
                        r"\d{1,2}\.?\s*\w*\s+|(?:mitte|ende|anfang|mid|end of|early|late|kraja|"
                        r"sredine|po[cč]etka|fundit t[eë]|mesit t[eë]|fin|d[eé]but)\s*-?\s*)?")


# "22 years ago", "pre 22 godine", "para 20 vitesh", "22 vjet më parë", "vor 25 Jahren",
# "il y a 20 ans", "20 anni fa", "pred 20 godini", "25 yıl önce": the year that many years
# before the reference
_AGO = re.compile(r"(?<!\w)(?:(?P<en>\d{1,2})\s+years?\s+ago|pr(?:ij)?e\s+(?P<sh>\d{1,2})\s+godin\w*|"
                  r"para\s+(?P<sq>\d{1,2})\s+vite\w*|(?P<sq2>\d{1,2})\s+(?:vjet|vite)\w*\s+m[eë]\s+par[eë]|"
                  r"(?P<tr>\d{1,2})\s+y[ıi]l\s+[oö]nce|vor\s+(?P<de>\d{1,2})\s+jahren|"
                  r"il y a\s+(?P<fr>\d{1,2})\s+ans|(?P<it>\d{1,2})\s+anni fa|"
                  r"pred\s+(?P<mk>\d{1,2})\s+godini)(?!\w)")


def relative_year(low: str, start: int, end: int, reference: int,
                  stated: Callable[[], Sequence[tuple[int, int]]] | None = None
                  ) -> tuple[int, str] | None:
    """('last year' -> reference - 1, the words) for the first relative year in the span.

    `stated()` gives (end offset, year) of the years the text wrote before the span, in
    order (asked only when the span says "a year later"): "a year later" counts from the
    last one written before it, and from `reference` (the date line) when there is none."""
    ago = _AGO.search(low, start, end)
    best = None
    if ago:
        years = int(next(g for g in ago.groups() if g))
        best = (reference - years, ago.group(), ago.start())
    for delta, rx in RELATIVE:
        m = rx.search(low, start, end)
        if m and delta <= 0 and _since(low, m.start()) and \
                not m.group().endswith(("'s", "’s")) and not _POSSESSIVE.match(low, m.end()):
            # "member since this year" dates the membership, not the amount; "from this
            # year's budget" names the budget the money comes out of; "from next year"
            # is next year's all the same
            continue
        if m and (best is None or m.start() < best[2]):
            best = (reference + delta, m.group(), m.start())
    for delta, rx in NARRATIVE:
        m = rx.search(low, start, end)
        if m and (best is None or m.start() < best[2]):
            years = stated() if stated else ()
            base = next((year for at, year in reversed(years) if at <= m.start()), reference)
            best = (base + delta, m.group(), m.start())
    return (best[0], best[1]) if best else None


# No look-behind first (the engine would test it at every position): a day glued to a
# number before it ("2023", "1.5") is dropped in the loop instead.
_DAY = re.compile(r"(\d\d?)(?!\d|[.,]\d)")  # a class first: the engine skips to digits in C
_MONTH_AFTER_DAY = re.compile(r"\.?\s+(?:of\s+)?(?P<m>" + _MONTH_ALT + r")(?!\w)\.?"
                              r"(?:,?\s+(?P<y>(?:19|20)\d{2})\b)?", FLAGS)
_MONTH_BEFORE_DAY = re.compile(r"(?<!\w)(?P<m>" + _MONTH_ALT + r")\s+$", FLAGS)
_YEAR_AFTER_DAY = re.compile(r",?\s+(?P<y>(?:19|20)\d{2})\b")


_GLUED = frozenset("0123456789.,")


class Day(NamedTuple):
    start: int
    end: int
    date: dt.date


def month_follows(low: str, at: int) -> bool:
    """Whether a month's name follows `at` ("10. Februar", "15 June"): the number before is
    a day."""
    return _MONTH_AFTER_DAY.match(low, at) is not None


def first_day(low: str, start: int, end: int, published: dt.datetime | None) -> Day | None:
    """The first 'March 7' / '7 March 2025' / '7. marta' / 'më 7 mars' in low[start:end];
    a day with no year takes the date line's year (the year before when the month is
    well after the date line's month)."""

    for d in _DAY.finditer(low, start, end):
        if d.start() > 0 and low[d.start() - 1] in _GLUED:
            continue
        day = int(d.group(1))
        if not 1 <= day <= 31:
            continue
        month = year = None
        span_start, span_end = d.start(), d.end()
        after = _MONTH_AFTER_DAY.match(low, d.end(), end)
        if after:
            month, year, span_end = month_of(after.group("m")), after.group("y"), after.end()
        else:
            lead = low[max(start, d.start() - 14):d.start()]
            before = _MONTH_BEFORE_DAY.search(lead)
            if before:
                month = month_of(before.group("m"))
                span_start = d.start() - (len(lead) - before.start())
                y = _YEAR_AFTER_DAY.match(low, d.end(), end)
                year, span_end = (y.group("y"), y.end()) if y else (None, d.end())
        if not month:
            continue
        if year is None:
            if published is None:
                continue
            year = published.year - (1 if month > published.month + 2 else 0)
        try:
            return Day(span_start, span_end, dt.date(int(year), month, day))
        except ValueError:
            continue
    return None
