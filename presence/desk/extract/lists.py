"""Lists and tables: per-nation figures written as "Hungary: 365", "Turska (350)",
"Italije - 638 i SAD 635", "Country — N" lines under a heading, a table exported
one cell a line (a country line, then its numbers), or a table flattened one row a
line with its cells glued ("ABDEvetHayır572[5]"). Each number pairs with its own
country and shares the list's mission, date and unit (troops or a currency).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .context import Document, Mention
from .vocab import COUNTRIES, FLAGS, WORDS, alternation

QUALIFIER = alternation(WORDS["approx"] + WORDS["upper"] + WORDS["lower"])
# between a country and its number: a case ending, then ':', '-', '(', or only a space
# "Hungary: 365", "Italia (1258)", "Mađarska sa 469", "Italija s 2.000" (with), "Turkey with 350"
WITH = alternation(WORDS["with"])
_GAP = re.compile(r"(?:-\w{1,4})?\s*(?:[:\-–—(=]|\s)\s*(?:" + WITH + r"\s+)?"
                  r"(?:" + QUALIFIER + r"\.?\s*)?", FLAGS)
_BARE_NUMBER = re.compile(r"\s*\d[\d.,\s\u00a0]*\s*")
_TOTAL_LINE = re.compile(r"\s*(?:total|ukupno|gjithsej|gesamt|insgesamt|toplam|totale|vkupno)"
                         r"\s*:?\s*", FLAGS)
LIST_NAME_REACH = 48     # a country's name and its separator before the number
TABLE_HEADER_REACH = 15  # lines above a table's first row where its column names stand
MAX_LABEL_CHARS = 40     # a table's country cell is a name, not a sentence
MAX_LABEL_WORDS = 4      # "République Tchèque", "Bosnia and Herzegovina"
MAX_ROW_CHARS = 60       # a flattened table row: a name, a few short cells, a number
MIN_GLUED_ROWS = 3       # fewer glued lines are not a table
# a flattened row's number: the line's last, with its footnote marks ("572[5]")
_ROW_NUMBER = re.compile(r"(\d[\d.,]*)((?:\[\w{1,3}\])*)\s*$")


class Item(NamedTuple):
    country: str | None   # None for the table's total row
    how: str
    label: int = -1       # the unit of the table's first row label (its header is above)


def adjacent_country(doc: Document, ui: int, start: int) -> Mention | None:
    """The country a number is listed against: 'Hungary: 365', 'Italia (1258)', 'SAD 635'."""
    u = doc.units[ui]
    if doc.has_countries(ui):
        before = [c for c in doc.countries(ui) if c.end <= start]
    else:
        # the unit's countries are not read yet (and may never be): read just the window
        window = max(u.start, start - LIST_NAME_REACH)
        if window > u.start and doc.low[window - 1].isalnum():
            window = doc.low.rfind(" ", u.start, window) + 1 or u.start  # start at a word
        before = [Mention(*h) for h in COUNTRIES.find(doc.low, window, start)]
    if not before:
        return None
    c = before[-1]
    gap = doc.low[c.end:start]
    if len(gap) <= 16 and _GAP.fullmatch(gap):
        return c
    return None


def table_rows(doc: Document) -> dict[int, Item]:
    """Units that are the first number cell of a table row, with the row's country.

    A row is a line holding only a country name (or 'Total') followed by lines holding
    only numbers; the first number is the row's figure, the others are its other
    columns and are consumed (mapped to None country with how='column')."""
    rows: dict[int, Item] = {}
    units = doc.units
    first_label = -1
    for i in range(len(units) - 1):
        u, nxt = units[i], units[i + 1]
        if not u.first or u.end - u.start > MAX_LABEL_CHARS:
            continue
        if not _BARE_NUMBER.fullmatch(doc.low, nxt.start, nxt.end):
            continue
        label = doc.low[u.start:u.end].strip(" \t*•-–:")
        if not (i - 1 in rows or i - 2 in rows or any(i - k in rows for k in range(3, 13))):
            first_label = i  # a new table starts here
        if _TOTAL_LINE.fullmatch(label):
            rows[i + 1] = Item(None, "the table's total row", first_label)
        else:
            found = doc.countries(i)
            if len(found) != 1 or len(label.split()) > MAX_LABEL_WORDS or \
                    (found[0].end - found[0].start) < len(label) * 0.35:
                continue
            rows[i + 1] = Item(found[0].code, "a table row: the country's cell, then its number",
                               first_label)
        j = i + 2
        while j < len(units) and _BARE_NUMBER.fullmatch(doc.low, units[j].start, units[j].end):
            rows.setdefault(j, Item("", "column"))
            j += 1
    return rows


class GluedRow(NamedTuple):
    country: str
    number_start: int
    number_end: int
    first: int = -1   # the unit of the table's first row (its header is above)


def glued_rows(doc: Document) -> dict[int, GluedRow]:
    """Lines of a table whose cells lost their separators when the page was flattened:
    a country's name where the line starts, glued to its other cells, and the row's
    figure where the line ends ("ABDEvetHayır572[5]", "ItalyYesYes1322"). The name ends
    where the case changes (a small letter, then a capital). Only runs of at least
    `MIN_GLUED_ROWS` such lines count, so one odd line is never read as a table."""
    found: dict[int, GluedRow] = {}
    for i, u in enumerate(doc.units):
        if not u.first or u.end - u.start > MAX_ROW_CHARS or \
                not doc.latin[u.end - 1:u.end].isdigit() and doc.latin[u.end - 1:u.end] != "]":
            continue  # a row ends in its number or its footnote mark
        m = _ROW_NUMBER.search(doc.latin, u.start, u.end)
        if not m or not doc.latin[m.start() - 1:m.start()].isalpha():
            continue  # glued: a letter right before the number
        start = u.start + len(doc.latin[u.start:u.end]) - len(doc.latin[u.start:u.end].lstrip())
        name_end = _case_change(doc.latin, start, m.start())
        if name_end is None:
            continue
        names = COUNTRIES.find(doc.low, start, name_end)
        if len(names) != 1 or names[0][0] != start or names[0][1] < name_end - 1:
            continue
        found[i] = GluedRow(names[0][2], m.start(1), m.end(1))
    runs: dict[int, GluedRow] = {}
    run: list[int] = []
    for i in sorted(found) + [-2]:
        if run and i != run[-1] + 1:
            if len(run) >= MIN_GLUED_ROWS:
                runs.update({j: found[j]._replace(first=run[0]) for j in run})
            run = []
        run.append(i)
    return runs


def _case_change(text: str, start: int, end: int) -> int | None:
    """Where a name glued to the next cell ends: before a capital that follows a small
    letter ("AlmanyaEvet") or that starts a word after a run of capitals ("ABDEvet")."""
    for k in range(start + 1, end):
        before, here = text[k - 1], text[k]
        if here.isupper() and before.islower():
            return k
        if here.isupper() and before.isupper() and k + 1 < end and text[k + 1].islower() \
                and k - 1 > start:
            return k
    return None
