"""Dates as precise as their source: a year, a month or a day, never more.

The record writes `1999`, `2025-04` or `2025-03-10` (see data/datapackage.json);
a reader must be told "1999", not "01 Jan 1999", and a chart must not draw a
year-only figure on 1 January, which for KFOR is before it existed.
"""
from __future__ import annotations

import pandas as pd

YEAR, MONTH, DAY = "year", "month", "day"


def precision(as_of: str) -> str:
    """'1999' -> year, '2025-04' -> month, '2025-03-10' -> day.

    >>> [precision(d) for d in ("1999", "2025-04", "2025-03-10")]
    ['year', 'month', 'day']
    """
    return {4: YEAR, 7: MONTH}.get(len(str(as_of)), DAY)


def label(as_of: str) -> str:
    """How a date reads in text: only what the source said.

    >>> label("1999"), label("2025-04"), label("2025-03-10")
    ('1999', 'Apr 2025', '10 Mar 2025')
    """
    text = str(as_of)
    kind = precision(text)
    if kind == YEAR:
        return text
    stamp = pd.Timestamp(text + ("-01" if kind == MONTH else ""))
    return f"{stamp:%b %Y}" if kind == MONTH else f"{stamp.day} {stamp:%b %Y}"


def period_key(as_of: str) -> str:
    """The period a figure belongs to: its month if it has one, else its year.

    >>> period_key("2025-03-10"), period_key("2025-03"), period_key("2004")
    ('2025-03', '2025-03', '2004')
    """
    return str(as_of)[:7]


def midpoint(start: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
    """Where a period is drawn: its middle, at day resolution.

    >>> midpoint(pd.Timestamp("1999-06-12"), pd.Timestamp("1999-12-31")).date()
    datetime.date(1999, 9, 21)
    """
    return (start + (end - start) / 2).normalize()
