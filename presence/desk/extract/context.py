"""Document context: what a sentence leaves to the rest of the article.

The mission, the country or the year of a figure often stands in the title, a
heading, an earlier sentence or a list's header, or is named by an alias ("the
force", "Swisscoy", "the Alliance's mission in Kosovo"). A `Document` holds the
article once read: its units (lines and sentences), the mission mentions in order,
the countries of a unit (looked up only for units that hold a number), and the
article's main regional country (for a budget that names none).
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from . import text as textmod
from .vocab import CONTINGENT_NAMES, COUNTRIES, FLAGS, HOST, MISSIONS, REGION, WORDS, alternation

# "took over from SFOR", "sostituisce la missione NATO SFOR": a mission named as the one
# replaced is not the one the text is about
_DESCRIPTOR = alternation(WORDS["mission_descriptor"])
_PREDECESSOR = re.compile(
    r"(?<!\w)(?:(?:" + alternation(WORDS["predecessor"]) + r")\s+(?:(?:" + _DESCRIPTOR +
    r")\s+)?|(?:" + alternation(WORDS["replaces"]) + r")\s+(?:(?:" + _DESCRIPTOR +
    r")\s+){0,4})$", FLAGS)
# Mission lifetimes, to name the mission a host country means at a date: Kosovo ->
# KFOR; Bosnia and Herzegovina -> IFOR, SFOR, then EUFOR Althea.
LIFETIMES = [("IFOR", "BIH", dt.date(1995, 12, 20), dt.date(1996, 12, 20)),
             ("SFOR", "BIH", dt.date(1996, 12, 20), dt.date(2004, 12, 2)),
             ("EUFOR-ALTHEA", "BIH", dt.date(2004, 12, 2), dt.date(2100, 1, 1)),
             ("KFOR", "XKX", dt.date(1999, 6, 12), dt.date(2100, 1, 1))]
START = {"IFOR": "1995-12", "SFOR": "1996-12", "EUFOR-ALTHEA": "2004-12", "KFOR": "1999-06"}


_ENGLISH_WORDS = (" the ", " and ", " of ", " with ", " which ", " has ")
_DIGIT = re.compile(r"\d")


class Mention(NamedTuple):
    start: int
    end: int
    code: str


def mission_at(host: str, when: dt.date) -> str | None:
    for mission, h, begin, end in LIFETIMES:
        if h == host and begin <= when < end:
            return mission
    return None


@dataclass
class Document:
    text: str                       # as given (offsets in candidates point here)
    latin: str                      # transliterated, case kept (ordinals, sentence starts)
    low: str                        # transliterated, lowered, same length as the latin text
    back: Callable[[int], int] | None
    published: dt.datetime | None
    title_low: str
    units: list[textmod.Unit]
    missions: list[Mention]         # named missions (not "took over from SFOR"), in order
    title_missions: list[Mention]
    dot_decimal: bool = True        # English writes 1.185 billion; Balkan languages 1,185
    _countries: dict[int, list[Mention]] = field(default_factory=dict)
    _main: str | None = None
    _starts: list[int] | None = None
    _all: list[Mention] | None = None
    _title_countries: list[Mention] | None = None
    main_country_hint: str | None = None  # a title read alone takes the body's country
    _digits: list[bool] | None = None

    @classmethod
    def read(cls, text: str, published: dt.datetime | None, title: str) -> Document:
        latin, back = textmod.transliterate(text)
        low = textmod.lower_same_length(latin)
        title_low = textmod.lower_same_length(textmod.transliterate(title)[0])
        missions = [Mention(*h) for h in MISSIONS.find(low, 0, len(low))]
        named = [m for m in missions
                 if not _PREDECESSOR.search(low[max(0, m.start - 40):m.start])]
        title_missions = [Mention(*h) for h in MISSIONS.find(title_low, 0, len(title_low))]
        english = sum(low.count(w) for w in _ENGLISH_WORDS) >= max(3, len(low) // 400)
        return cls(text, latin, low, back, published, title_low, textmod.units(latin), named,
                   title_missions, dot_decimal=english)

    def original(self, i: int) -> int:
        return self.back(i) if self.back else i

    def has_digit(self, ui: int) -> bool:
        """Whether a unit holds a digit (read once for the figures and the events)."""
        if self._digits is None:
            self._digits = [_DIGIT.search(self.low, u.start, u.end) is not None for u in self.units]
        return self._digits[ui]

    def has_countries(self, ui: int) -> bool:
        return ui in self._countries

    def countries(self, ui: int) -> list[Mention]:
        if ui not in self._countries:
            u = self.units[ui]
            self._countries[ui] = [Mention(*h) for h in COUNTRIES.find(self.low, u.start, u.end)]
        return self._countries[ui]

    @property
    def main_country(self) -> str | None:
        """The region country the article names most, the title counting three times."""
        if self._main is None:
            counts: Counter = Counter()
            for h in self.all_countries():
                if h[2] in REGION:
                    counts[h[2]] += 1
            for h in self.title_countries():
                if h[2] in REGION:
                    counts[h[2]] += 3
            self._main = counts.most_common(1)[0][0] if counts else (self.main_country_hint or "")
        return self._main or None

    @property
    def main_nation(self) -> str | None:
        """The contributing nation the article is about (a national contingent's story):
        named in the title, or at least twice more often than any other nation."""
        if not hasattr(self, "_nation"):
            counts: Counter = Counter()
            for h in self.all_countries():
                if h[2] not in NOT_CONTRIBUTORS:
                    counts[h[2]] += 1
            for h in self.title_countries():
                if h[2] not in NOT_CONTRIBUTORS:
                    counts[h[2]] += 3
            ranked = counts.most_common(2)
            self._nation = None
            if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
                self._nation = ranked[0][0]
        return self._nation

    def all_countries(self) -> list[Mention]:
        """Every country named in the body (read once, for the article's main country and
        nation)."""
        if self._all is None:
            self._all = [Mention(*h) for h in COUNTRIES.find(self.low, 0, len(self.low))]
        return self._all

    def title_countries(self) -> list[Mention]:
        if self._title_countries is None:
            self._title_countries = [Mention(*h) for h in
                                     COUNTRIES.find(self.title_low, 0, len(self.title_low))]
        return self._title_countries

    def missions_in(self, start: int, end: int) -> list[Mention]:
        # bisect, not a scan: an article of 20,000 lines must not cost 20,000 x 20,000
        starts = self._mission_starts()
        return self.missions[bisect_left(starts, start):bisect_left(starts, end)]

    def _mission_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [m.start for m in self.missions]
        return self._starts

    def mission_code(self, m: Mention) -> str:
        return CONTINGENT_NAMES[m.code[1:]][0] if m.code.startswith("@") else m.code

    def carried_mission(self, pos: int) -> tuple[str | None, str]:
        """The mission the text is about at `pos`: the last named before it, else the
        title's, else the first named after it."""
        i = bisect_left(self._mission_starts(), pos)
        while i > 0 and self.missions[i - 1].end > pos:
            i -= 1
        if i > 0:
            return self.mission_code(self.missions[i - 1]), "named earlier in the article"
        if self.title_missions:
            return self.mission_code(self.title_missions[0]), "named in the title"
        j = bisect_right(self._mission_starts(), pos)
        if j < len(self.missions):
            return self.mission_code(self.missions[j]), "named later in the article"
        return None, ""


HOSTS = ("XKX", "BIH")
NOT_CONTRIBUTORS = {"XKX", "BIH", "SRB"}
__all__ = ["HOST", "HOSTS", "REGION", "START", "Document", "Mention", "mission_at"]
