"""Text preparation that keeps offsets into the original: Cyrillic to Latin, lowering,
and the split into units (lines, then sentences) that every later stage reads."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import NamedTuple

_CYR = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ",
                ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m",
                 "n", "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š",
                 "A", "B", "V", "G", "D", "Đ", "E", "Ž", "Z", "I", "J", "K", "L", "Lj", "M",
                 "N", "Nj", "O", "P", "R", "S", "T", "Ć", "U", "F", "H", "C", "Č", "Dž", "Š"]))
# Macedonian letters (ѓ ќ ѕ) and the Russian/Bulgarian ones seen in regional copy
_CYR.update({"ѓ": "gj", "ќ": "kj", "ѕ": "dz", "Ѓ": "Gj", "Ќ": "Kj", "Ѕ": "Dz",
             "ы": "y", "э": "e", "ю": "ju", "я": "ja", "щ": "šč", "ъ": "", "ь": "", "й": "j",
             "ё": "e", "Ю": "Ju", "Я": "Ja", "Щ": "Šč", "Й": "J"})
_CYR.pop("ъ")
_CYR.pop("ь")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_TABLE = str.maketrans(_CYR)
_MULTI = re.compile("[" + "".join(k for k, v in _CYR.items() if len(v) > 1) + "]")


def transliterate(text: str) -> tuple[str, Callable[[int], int] | None]:
    """Serbian/Macedonian Cyrillic to Latin, and a function mapping offsets back.

    Returns (text, None) when there is no Cyrillic, so the common case costs
    nothing. A few letters become two (љ -> lj); the map undoes that shift.

    >>> latin, back = transliterate("Њемачка 400")
    >>> latin, back(latin.index("400"))
    ('Njemačka 400', 8)
    """
    if not _CYRILLIC.search(text):
        return text, None
    # each two-letter transliteration shifts the offsets after it by one more
    extras = [m.start() + shift + 1 for shift, m in enumerate(_MULTI.finditer(text))]

    def original(i: int) -> int:
        return i - bisect_right(extras, i)

    return text.translate(_TABLE), original


def lower_same_length(text: str) -> str:
    """str.lower(), one character for one so offsets hold: Turkish 'İ' (which lowers to
    'i' and a combining dot) becomes 'i', as Turkish writes it small ("İtalya", "italya");
    any other character that would grow is left as it is."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join("i" if c == "İ" else c if len(c.lower()) != 1 else c.lower() for c in text)


class Unit(NamedTuple):
    """A line, or a sentence within a line: the span a figure's words are read in."""
    start: int
    end: int
    line: int      # index of the line it belongs to (for tables and headings)
    first: bool    # the first unit of its line


# A sentence ends at . ! ? (and a closing quote) before a capital letter or an opening
# quote; "2023. godine" and "approx. 3,000" do not end one.
# One pass over the text finds both kinds of break: line ends and sentence ends. The
# sentence end is matched, not looked behind for, and each alternative starts with one
# literal character, so the engine skips in C to the next '\n', '.', '!' or '?' (a
# look-behind or a class like [.!?] first would make it try every position).
_END = r"[\"”»']?[ \t\u00a0]+(?=[\"“„«(]?[A-ZÇËŠŽĆČĐÖÜÄÉÈ])"
# ... and a full stop glued to the next sentence, as pages flattened by a scraper print it
# ("of the Althea force.The Romanian contingent"): a small letter, the stop, a capital word
_GLUED = r"|\.(?=[A-ZÇËŠŽĆČĐÖÜÄÉÈ][a-zçëšžćčđöüäéè])"
_BREAK = re.compile(r"\n\n*|\." + _END + "|!" + _END + r"|\?" + _END + _GLUED)
# Abbreviations whose full stop is not a sentence's end even before a capital: scale words
# ("80,19 Mio. Euro", "1,2 mld. Dinara"), ranks before a name ("Gen. Smith"), "bzw.", "ca."
_ABBREVIATION = re.compile(r"(?<![^\W\d_])(?:mio|mrd|mil|mln|mld|mlrd|tsd|tys|hilj|bzw|ca|"
                           r"approx|gen|col|lt|brig|maj|capt|dr|prof|nr|no)$", re.IGNORECASE)


_SMALL_WORD_END = re.compile(r"[a-zà-ž]{2}$")
# the end of a line whose sentence goes on: a word or a comma, not a figure or a stop
_WRAPPED = re.compile(r"(?:[^\W\d_]|,)[ \t]*$")


def units(text: str) -> list[Unit]:
    r"""Lines, each cut into sentences. Tables and lists keep one row a line.

    >>> [(u.line, u.first) for u in units("KFOR grew. It has 4,500.\nItaly 1,150")]
    [(0, True), (0, False), (1, True)]
    """
    out: list[Unit] = []
    start, line_no, first = 0, 0, True
    for m in _BREAK.finditer(text):
        newline = text[m.start()] == "\n"
        if newline and m.end() - m.start() == 1 and m.end() < len(text) and \
                text[m.end()].islower() and _WRAPPED.search(text, start, m.start()):
            continue  # a hard-wrapped line: the sentence goes on ("will be renamed and\nconsist")
        if not newline and text[m.start()] == "." and \
                _ABBREVIATION.search(text, max(start, m.start() - 6), m.start()):
            continue
        if m.end() == m.start() + 1 and text[m.start()] == "." and \
                not _SMALL_WORD_END.search(text, max(start, m.start() - 3), m.start()):
            continue  # glued, but not after a word of small letters ("U.S.", "St.Louis")
        end = m.start() if newline else m.start() + 1  # a sentence keeps its full stop
        if end > start and not text[start:end].isspace():
            out.append(Unit(start, end, line_no, first))
            first = False
        if newline:
            line_no += 1
            first = True
        start = m.end()
    if len(text) > start and not text[start:].isspace():
        out.append(Unit(start, len(text), line_no, first))
    return out
