"""Consistency checks on the curated record, beyond what the schema can say.

The schema checks one row at a time; these read several rows together: a figure
recorded twice, national contingents that add up to more than the force they
belong to, a figure the curator doubts but still marks exact, a derived figure
that does not say what it came from, an address that is a pasted error message.
Each returns `Problem`s naming file, line and field, like the loader does, so
`presence validate` and the tests speak the same way. Nothing here changes data:
the curator reads the problem and mends the row.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd

from presence.record.dataset import Dataset, Problem

# Other sources' totals are rounded and dated loosely; contingents of one source may
# exceed another source's total by this share before the sum is called implausible.
OTHER_SOURCE_TOLERANCE = 0.05

# A figure this many times above or below both of its neighbours in the same series
# is listed for review (never dropped): KFOR going 5,000 -> 15,000 -> 4,500 in a year.
OUTLIER_FACTOR = 1.8

_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                   r"[A-Za-z0-9])?)+$")


def _line(index: int) -> int:
    return int(index) + 2  # the header is line 1


def _flag(frame: pd.DataFrame) -> pd.Series:
    if "flag" not in frame.columns:
        return pd.Series("", index=frame.index)
    return frame["flag"].fillna("")


def _in_area(troops: pd.DataFrame) -> pd.DataFrame:
    return troops[troops["scope"].fillna("") != "wider"]


def duplicate_figures(ds: Dataset) -> list[Problem]:
    """The same figure from the same source twice counts one report as two."""
    keys = {"troops": ["mission_id", "contributor", "as_of", "value", "source_id"],
            "budgets": ["country", "year", "amount", "currency", "measure", "source_id"],
            "events": ["date", "mission_id", "kind", "source_id", "title"]}
    out = []
    for table, key in keys.items():
        frame = ds.tables[table][key].astype(object).fillna("")  # no mission == no mission
        dup = frame.duplicated(keep="first")
        for i in frame.index[dup]:
            first = frame.index[(frame == frame.loc[i]).all(axis=1)][0]
            out.append(Problem(f"{table}.csv", _line(i), None,
                               f"repeats line {_line(first)} ({', '.join(key)} the same)"))
    return out


def events_twice(ds: Dataset) -> list[Problem]:
    """One happening is one marker: the same day, country and kind from two sources.

    A row tied to no mission matches a row of the same day tied to one. Later
    reports of the same happening belong in the kept row's note.
    """
    ev = ds.events
    out = []
    for _, group in ev.groupby(["date", "country", "kind"]):
        if len(group) < 2:
            continue
        seen: list[tuple[int, str]] = []
        for i, mission in group.mission_id.fillna("").items():
            match = next((j for j, m in seen if not m or not mission or m == mission), None)
            if match is not None:
                out.append(Problem("events.csv", _line(i), None,
                                   f"the same happening as line {_line(match)} (date, country, "
                                   "kind); keep one row and name the other source in its note"))
            else:
                seen.append((i, mission))
    return out


def contingents_over_total(ds: Dataset) -> list[Problem]:
    """In-area national figures of one source and date must not add up past the force.

    The limit is the same source's in-area total for an overlapping date; where the
    source gives none, the largest in-area total any other source gives for an
    overlapping date, or failing that the same year (not one flagged doubtful), with
    a little room for rounding.
    Figures marked `scope=wider` (peaks, rear support abroad) are left out.
    """
    troops = _in_area(ds.troops)
    totals = troops[(troops.contributor == "ALL") & (_flag(troops) != "doubtful")][
        ["mission_id", "source_id", "as_of_start", "as_of_end", "value"]]
    nations = troops[troops.contributor != "ALL"]
    keys = ["mission_id", "source_id", "as_of"]
    if nations.empty:
        return []
    groups = (nations.assign(row=nations.index).groupby(keys, sort=True)
              .agg(start=("as_of_start", "first"), end=("as_of_end", "first"),
                   total=("value", "sum"), rows=("value", "size"), first=("row", "first"))
              .reset_index())
    # The common case at once: the source's own total for an overlapping date.
    pairs = groups.reset_index(names="group").merge(totals, on=["mission_id", "source_id"])
    pairs = pairs[(pairs.as_of_start <= pairs.end) & (pairs.as_of_end >= pairs.start)]
    own_limit = pairs.groupby("group").value.max()
    years = totals.as_of_start.dt.year
    out = []
    for g in groups.itertuples():
        if g.Index in own_limit.index:
            limit, whose = int(own_limit[g.Index]), "its own total"
        else:
            found = _limit_from_others(totals, years, g.mission_id, g.source_id, g.start,
                                       g.end)
            if found is None:
                continue
            limit, whose = found
        total = int(g.total)
        if total > limit:
            out.append(Problem("troops.csv", _line(g.first), "value",
                               f"{g.rows} {g.mission_id} contingents from {g.source_id} dated "
                               f"{g.as_of} add up to {total:,}, above {whose} ({limit:,}); mark "
                               "them scope=wider if they count troops outside the area"))
    return out


def _limit_from_others(totals: pd.DataFrame, years: pd.Series, mission: str, source: str,
                       start: pd.Timestamp, end: pd.Timestamp) -> tuple[int, str] | None:
    """The limit for contingents whose source gives no total for an overlapping date."""
    here = totals[(totals.mission_id == mission) & (totals.as_of_start <= end)
                  & (totals.as_of_end >= start)]
    if here.empty:  # a day-precise list with no total that day: that year's totals
        here = totals[(totals.mission_id == mission) & (years == start.year)]
    own = here[here.source_id == source]
    if not own.empty:
        return int(own.value.max()), "its own total"
    if here.empty:
        return None
    limit = int(here.value.max() * (1 + OTHER_SOURCE_TOLERANCE))
    return limit, (f"the largest total for that date ({int(here.value.max()):,}) plus "
                   f"{OTHER_SOURCE_TOLERANCE:.0%}")


def doubtful_marked_exact(ds: Dataset) -> list[Problem]:
    """A note that doubts a figure must be matched by a field charts can read."""
    out = []
    for table in ("troops", "budgets"):
        frame = ds.tables[table]
        doubted = frame.note.fillna("").str.contains("doubtful", case=False)
        bad = frame[doubted & (frame.qualifier == "exact") & (_flag(frame) == "")]
        out += [Problem(f"{table}.csv", _line(i), "flag",
                        "the note calls the figure doubtful, but it is exact and unflagged")
                for i in bad.index]
    return out


def derived_without_basis(ds: Dataset) -> list[Problem]:
    """A derived figure must say in its note what it was derived from and how."""
    out = []
    for table in ("troops", "budgets"):
        frame = ds.tables[table]
        note = frame.note.fillna("")
        derived = _flag(frame) == "derived"
        bad = frame[derived & ~(note.str.contains("derived", case=False)
                                & note.str.contains(r"\d", regex=True))]
        out += [Problem(f"{table}.csv", _line(i), "note",
                        "a derived figure needs a note naming the figures it came from")
                for i in bad.index]
        said = frame[~derived & note.str.match(r"(?i)\s*derived\b")]
        out += [Problem(f"{table}.csv", _line(i), "flag",
                        "the note says derived, but the flag does not") for i in said.index]
    return out


def url_problem(url: str) -> str | None:
    """Why `url` is not a usable web address, or None."""
    if not re.match(r"^https?://", url):
        return "is not an http(s) address"
    if re.search(r"\s", url):
        return "contains whitespace"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        return f"does not parse ({exc})"
    if not _HOST.match(parts.hostname or ""):
        return f"has no valid host name ('{parts.hostname}')"
    decoded = unquote(url)
    if re.search(r"[<>\n]", decoded):
        return "contains markup once decoded (a pasted error message?)"
    return None


# An address of only these characters is certainly well formed (a host name, then a
# plain path): `url_problem` would find nothing, so a large record skips it for them.
_PLAIN_URL = (r"https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
              r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?:/[A-Za-z0-9._~/-]*)?")


def malformed_urls(ds: Dataset) -> list[Problem]:
    out = []
    urls = ds.sources.url
    plain = urls.astype(str).str.fullmatch(_PLAIN_URL)
    for i, url in urls[~plain.fillna(False).astype(bool)].items():
        why = url_problem(url)
        if why:
            out.append(Problem("sources.csv", _line(i), "url", f"'{url[:80]}' {why}"))
    return out


CHECKS: dict[str, Callable[[Dataset], list[Problem]]] = {
    "the same figure from the same source twice": duplicate_figures,
    "one happening recorded as two events": events_twice,
    "contingents adding up past the force's total": contingents_over_total,
    "a doubtful figure marked exact and unflagged": doubtful_marked_exact,
    "a derived figure that does not say from what": derived_without_basis,
    "a source address that is not a well-formed http(s) URL": malformed_urls,
}


def run_checks(ds: Dataset) -> dict[str, list[Problem]]:
    """Every check by its description, with what it found (empty when clean)."""
    return {name: check(ds) for name, check in CHECKS.items()}


def outliers(ds: Dataset, factor: float = OUTLIER_FACTOR) -> pd.DataFrame:
    """In-area mission totals more than `factor` above or below both neighbours.

    Neighbours are the nearest earlier and later dates of the same mission's
    totals (the median where several sources give one date; rows flagged doubtful
    are checked but never serve as neighbours). For review only: the curator
    decides, nothing is dropped.
    """
    tot = _in_area(ds.troops)
    tot = tot[tot.contributor == "ALL"]
    rows = []
    trusted = tot[_flag(tot) != "doubtful"]
    for mission, series in tot.groupby("mission_id"):
        here = trusted[trusted.mission_id == mission]
        by_date = here.groupby("as_of_start").value.median().sort_index()
        dates, medians = by_date.index.to_numpy(), by_date.to_numpy(dtype=float)
        starts = series.as_of_start.to_numpy()
        # The nearest date before and after each figure's (an invalid date has neither).
        earlier = np.searchsorted(dates, starts, side="left") - 1
        later = np.searchsorted(dates, starts, side="right")
        both = (earlier >= 0) & (later < len(dates)) & ~np.isnat(starts)
        before = np.where(both, medians[np.clip(earlier, 0, None)] if len(dates) else 0, np.nan)
        after = np.where(both, medians[np.clip(later, None, len(dates) - 1)]
                         if len(dates) else 0, np.nan)
        value = series.value.to_numpy(dtype=float, na_value=np.nan)
        high = (value > factor * before) & (value > factor * after)
        low = (value * factor < before) & (value * factor < after)
        for i in np.flatnonzero(both & (high | low)):
            r = series.iloc[i]
            rows.append({"line": _line(series.index[i]), "mission_id": mission,
                         "as_of": r.as_of, "value": int(r.value), "before": float(before[i]),
                         "after": float(after[i]), "source_id": r.source_id})
    return pd.DataFrame(rows, columns=["line", "mission_id", "as_of", "value", "before",
                                       "after", "source_id"])


# The words a note must carry when a figure's only readable source is a mirror: the
# issue's bar is that such figures are rare and each says no original could be found.
NO_ORIGINAL = "no original found"


def mirror_without_note(ds: Dataset) -> list[Problem]:
    """Troop figures whose source is a mirror and whose note does not say that no
    original was found (a mirror is kept only until the original can be read)."""
    if "quality" not in ds.sources.columns:
        return []
    quality = ds.troops.source_id.map(ds.sources.set_index("source_id").quality)
    notes = ds.troops.note.fillna("").str.lower()
    bad = ds.troops[(quality == "mirror") & ~notes.str.contains(NO_ORIGINAL, regex=False)]
    return [Problem("troops.csv", _line(i), "note",
                    f"source '{r.source_id}' is a mirror; say '{NO_ORIGINAL}' or cite the original")
            for i, r in bad.iterrows()]


CHECKS["a mirror-sourced figure whose note does not say no original was found"] = \
    mirror_without_note
