"""Turn the dataset and the filters into tidy frames for charts, maps and tables.

Pages ask here and nowhere else, so every view answers the same question the
same way. A figure is what a source reported on a date: when two sources give
different values for the same date, both rows come through (and `low`/`high`
say how far apart they are); nothing is averaged.

One module, though long: every page's question is answered here so the answers agree,
and the per-dataset memo (what depends on the record alone, computed once) serves them
all.
"""
from __future__ import annotations

import datetime as dt
import weakref
from typing import NamedTuple

import numpy as np
import pandas as pd

from presence.record import dates
from presence.record.dataset import Dataset
from presence.view import estimate
from presence.view.filters import Filters

SOURCE_COLS = ["source_id", "outlet", "title", "url", "published"]
SOURCE_RENAME = {"published": "source_published", "title": "source_title"}
REGION = ["SVN", "HRV", "BIH", "SRB", "XKX", "MNE", "ALB", "MKD"]
# The seven states whose defence budgets the record covers (Slovenia is on the map only).
BUDGET_STATES = [c for c in REGION if c != "SVN"]
CONTINGENT_WINDOW = pd.Timedelta(days=730)
# Estimate series kept per dataset (each a few hundred rows at the shipped record).
ESTIMATES_KEPT = 24
# Row selections kept per dataset and kind (troop figures, estimate periods): moving the
# dates a day rarely changes which rows are in range, and the same rows are then not
# copied again. Few, and only of frames up to SELECTION_KEPT_ROWS rows: at 100,000
# figures a selection would be tens of megabytes, and copying it is a small part of a run.
SELECTIONS_KEPT = 6
SELECTION_KEPT_ROWS = 20_000


def _ts(day: dt.date | pd.Timestamp | None) -> pd.Timestamp | None:
    return None if day is None else pd.Timestamp(day)


_MEMOS: dict[int, dict] = {}


def _memo(ds: Dataset) -> dict:
    """Work that depends on the record alone (every figure with its names and sources,
    every estimate series), done once per loaded dataset and shared by every filter.

    Keyed on the dataset object, dropped when it is collected; a changed CSV is a
    new dataset. Callers get shared frames and must not change them in place.
    """
    key = id(ds)
    memo = _MEMOS.get(key)
    if memo is None:
        memo = _MEMOS[key] = {}
        weakref.finalize(ds, _MEMOS.pop, key, None)
    return memo


def _per_value(column: pd.Series, fn) -> pd.Series:
    """`column.map(fn)`, calling fn once per distinct value (a record repeats its dates)."""
    return column.map({value: fn(value) for value in column.dropna().unique()})


def country_names(ds: Dataset) -> dict[str, str]:
    memo = _memo(ds)
    if "names" not in memo:
        memo["names"] = dict(zip(ds.countries["code"], ds.countries["name"]))
    return memo["names"]


class FilterChoices(NamedTuple):
    """What the shared filters offer: missions (id -> name), hosts, contributing nations."""

    missions: dict[str, str]
    hosts: list[str]
    contributors: list[str]


def filter_choices(ds: Dataset) -> FilterChoices:
    """The sidebar's choices, read from the record once per dataset (every run draws
    them; a set of 100,000 contributor codes took longer than the rest of the sidebar)."""
    memo = _memo(ds)
    if "choices" not in memo:
        memo["choices"] = FilterChoices(
            missions=ds.missions.set_index("mission_id")["name"].to_dict(),
            hosts=sorted(set(ds.missions.host_country) | set(REGION)),
            contributors=sorted(set(ds.troops.contributor.unique()) - {"ALL"}))
    return memo["choices"]


def lineage(ds: Dataset) -> dict[str, str]:
    """Mission -> the name of its line of succession (IFOR -> SFOR -> EUFOR Althea)."""
    memo = _memo(ds)
    if "lineage" not in memo:
        memo["lineage"] = _lineage(ds)
    return memo["lineage"]


def _lineage(ds: Dataset) -> dict[str, str]:
    pred = dict(zip(ds.missions["mission_id"], ds.missions["predecessor"]))
    succ: dict[str, str] = {p: m for m, p in pred.items() if isinstance(p, str)}
    out = {}
    for mission in pred:
        root = mission
        while isinstance(pred.get(root), str):
            root = pred[root]
        chain = [root]
        while chain[-1] in succ:
            chain.append(succ[chain[-1]])
        out[mission] = " → ".join(chain)
    return out


def _with_sources(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    src = ds.sources[SOURCE_COLS].rename(columns=SOURCE_RENAME)
    return frame.merge(src, on="source_id", how="left")


def troops(ds: Dataset, f: Filters, *, totals: bool | None = None,
           apply_dates: bool = True) -> pd.DataFrame:
    """Troop figures under the filters, with mission, lineage, names and sources.

    totals=True keeps mission totals (contributor ALL), False keeps national
    contingents, None both. The contributor filter narrows contingents only: a
    mission's total is the same whoever one is looking at.
    """
    t = _all_troops(ds)
    keep = _troops_kept(t, f, totals=totals, apply_dates=apply_dates)
    if keep.all():  # nothing left out: the kept frame itself (copy-on-write keeps it whole)
        return t.copy(deep=False)
    return _selected(ds, ("troops",), t, keep)


def _selected(ds: Dataset, of: tuple, frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """frame[keep] with a fresh index, made once per selection and handed out as a
    shallow copy (copy-on-write keeps the kept one whole whatever a caller does to its
    copy). `of` names the frame by what it is made from in this dataset, so a frame made
    again is the same frame; the mask, packed, names the rows. SELECTIONS_KEPT are kept of
    each kind of frame (`of[0]`: troop figures, estimate periods)."""
    if len(frame) > SELECTION_KEPT_ROWS:
        return frame[keep].reset_index(drop=True)
    key = (f"selection of {of[0]}", of, len(keep), np.packbits(keep).tobytes())
    return _kept(ds, key, lambda: frame[keep].reset_index(drop=True),
                 keep=SELECTIONS_KEPT).copy(deep=False)


def _troops_kept(t: pd.DataFrame, f: Filters, *, totals: bool | None,
                 apply_dates: bool) -> np.ndarray:
    """Which rows of _all_troops troops() keeps (see there)."""
    keep = np.ones(len(t), dtype=bool)
    if f.missions:
        keep &= t.mission_id.isin(f.missions).to_numpy()
    if f.hosts:
        keep &= t.host_country.isin(f.hosts).to_numpy()
    is_total = (t.contributor == "ALL").to_numpy()
    if totals is True:
        keep &= is_total
    elif totals is False:
        keep &= ~is_total
    if f.contributors and totals is not True:
        keep &= is_total | t.contributor.isin(f.contributors).to_numpy()
    if apply_dates and f.start:
        keep &= (t.as_of_end >= _ts(f.start)).to_numpy()
    if apply_dates and f.end:
        keep &= (t.as_of_start <= _ts(f.end)).to_numpy()
    return keep


def _all_troops(ds: Dataset) -> pd.DataFrame:
    """Every troop figure with what the views need, computed once per dataset."""
    memo = _memo(ds)
    if "troops" in memo:
        return memo["troops"]
    t = ds.troops
    names = country_names(ds)
    missions = ds.missions.set_index("mission_id")
    # A figure's period cut to its mission's life ("KFOR 50,000 in 1999" can only mean June to
    # December 1999).
    life_start = t.mission_id.map(missions["started_start"])
    life_end = t.mission_id.map(missions["ended_end"])
    span_start = t.as_of_start.where(~((t.as_of_start < life_start) & (life_start <= t.as_of_end)),
                                     life_start)
    span_end = t.as_of_end.where(~((span_start <= life_end) & (life_end < t.as_of_end)), life_end)
    kinds = ds.sources.set_index("source_id")["kind"]
    out = t.assign(
        date=t.as_of_start,
        precision=_per_value(t.as_of, dates.precision),
        as_of_label=_per_value(t.as_of, dates.label),
        span_start=span_start, span_end=span_end,
        kind=t.source_id.map(kinds),
        mission=t.mission_id.map(missions["name"]),
        lineage=t.mission_id.map(lineage(ds)),
        contributor_name=_per_value(t.contributor, lambda c: "All nations" if c == "ALL"
                                    else names.get(c, c)),
        host_name=t.host_country.map(names),
    )
    out["wider"] = out.scope.fillna("").eq("wider")
    if "flag" not in out:  # a record from before the curator's flag column
        out["flag"] = None
    # Where a figure is drawn: the middle of its day, month or year inside the
    # mission's life, so "1999" is not 1 January and never before KFOR existed.
    out["shown_at"] = (out.span_start + (out.span_end - out.span_start) / 2).dt.normalize()
    memo["troops"] = _with_sources(out, ds).sort_values(
        ["mission_id", "date", "contributor", "value"], kind="stable").reset_index(drop=True)
    return memo["troops"]


def nation_order(ds: Dataset) -> list[str]:
    """Every contributing nation, largest all-time contingent first, from the whole
    record (never the filtered view), so colours keyed on it stay put."""
    memo = _memo(ds)
    if "nation_order" not in memo:
        t = ds.troops[ds.troops.contributor != "ALL"]
        peak = t.groupby("contributor").value.max()
        memo["nation_order"] = sorted(peak.index, key=lambda c: (-peak[c], c))
    return list(memo["nation_order"])


def in_area(t: pd.DataFrame) -> pd.DataFrame:
    """Rows that count the force in its area of operations (not the 'wider' ones:
    troops in neighbouring staging areas or reserves outside the country)."""
    return t[~t.wider] if "wider" in t else t


def map_steps(ds: Dataset, f: Filters, end: dt.date) -> list[str]:
    """Dates a map can show: the last day of every year in range, then `end` itself."""
    first = f.start or ds.missions.started_start.min().date()
    steps = [f"{y}-12-31" for y in range(first.year, end.year) if dt.date(y, 12, 31) >= first]
    return steps + [end.isoformat()]


class MapPosition(NamedTuple):
    """Where the map stands: its steps (with an asked-for date among them), the
    date shown, and a note when that is not the date asked for."""

    steps: list[str]
    at: str
    note: str | None


def map_position(ds: Dataset, f: Filters, end: dt.date, wanted: str | None) -> MapPosition:
    """Accept any date a link asks for: one inside the range becomes a step of
    its own; one outside (or unreadable) is moved to the nearest step, and the
    note says so instead of silently showing another date."""
    steps = map_steps(ds, f, end)
    if not wanted or wanted in steps:
        return MapPosition(steps, wanted or steps[-1], None)
    try:
        day = dt.date.fromisoformat(str(wanted))
    except ValueError:
        return MapPosition(steps, steps[-1], f"'{wanted}' is not a date (YYYY-MM-DD); "
                                             f"showing {map_label(steps[-1], steps)}.")
    first, last = dt.date.fromisoformat(steps[0][:4] + "-01-01"), end
    if f.start:
        first = f.start
    if first <= day <= last:
        return MapPosition(sorted(steps + [day.isoformat()]), day.isoformat(), None)
    nearest = steps[0] if day < first else steps[-1]
    return MapPosition(steps, nearest, f"{day:%d %b %Y} is outside the range of the record "
                                       f"and the filters; showing the nearest date, "
                                       f"{map_label(nearest, steps)}.")


def map_label(step: str, steps: list[str] | None = None, newest: str | None = None) -> str:
    """A map date as a reader says it: the year for a year's last day, else the day;
    the last step, when it is the record's newest date, as precisely as that
    figure was given (`newest`, e.g. "Dec 2025")."""
    day = dt.date.fromisoformat(step)
    if steps and step == steps[-1] and newest:
        return newest
    if step.endswith("-12-31") and (steps is None or step != steps[-1]):
        return str(day.year)
    return f"{day.day} {day:%b %Y}"


def presence_scale(ds: Dataset, f: Filters) -> int:
    """The top of the map's colour scale: the largest estimate of any host in any year
    under the mission and host filters, so the same colour means the same
    strength in 1999 and in 2025."""
    series = estimates(ds, Filters(missions=f.missions, hosts=f.hosts), totals=True)
    levels = series[series.status == estimate.LEVEL]
    return int(levels.high.max()) if not levels.empty else 1


def active_missions(ds: Dataset, when: pd.Timestamp, f: Filters) -> pd.DataFrame:
    """The missions under way at `when` (kept: a map at one date asks four times)."""
    when = pd.Timestamp(when)
    return _kept(ds, ("active_missions", when, f.missions, f.hosts),
                 lambda: _active_missions(ds, when, f))


def _active_missions(ds: Dataset, when: pd.Timestamp, f: Filters) -> pd.DataFrame:
    m = ds.missions
    alive = (m.started_start <= when) & (m.ended_end.isna() | (m.ended_end >= when))
    m = m[alive]
    if f.missions:
        m = m[m.mission_id.isin(f.missions)]
    if f.hosts:
        m = m[m.host_country.isin(f.hosts)]
    return m


class DataDate(NamedTuple):
    """The newest date in the record: the last day of its period (so a month
    figure counts whole) and how precisely the source gave it."""

    day: dt.date
    label: str


def latest_date(ds: Dataset) -> DataDate:
    """'Now' for the dashboard: the newest troop figure or event in the record, not
    the machine's clock, so a page never claims figures for a day nobody
    reported on."""
    memo = _memo(ds)
    if "latest" in memo:
        return memo["latest"]
    dated = pd.concat([ds.troops[["as_of", "as_of_start", "as_of_end"]].set_axis(
                           ["text", "start", "end"], axis=1),
                       ds.events[["date", "date_start", "date_end"]].set_axis(
                           ["text", "start", "end"], axis=1)])
    newest = dated[dated.start == dated.start.max()].sort_values("end").iloc[-1]
    memo["latest"] = DataDate(newest.end.date(), dates.label(newest.text))
    return memo["latest"]


def estimates(ds: Dataset, f: Filters, *, totals: bool | None = True,
              until: dt.date | pd.Timestamp | None = None,
              threshold: float | None = None) -> pd.DataFrame:
    """The best-estimate series (see presence.view.estimate) under the filters.

    Built from every in-area figure of the chosen missions and nations, then
    cut to the date range, so a period at the edge of the range is judged
    with its neighbours. `until` leaves out figures dated after it: a view of
    the past says what the record said by then. Events confirming a change are
    the mission's own, whatever the filters.
    """
    threshold = estimate.CHANGE_SHARE if threshold is None else threshold
    if until is None:
        # The whole series of these missions and nations, kept: the date range only
        # cuts it, so moving the dates (a page asks several times a run, and again
        # after every move) reads the kept series again.
        choice = Filters(missions=f.missions, hosts=f.hosts, contributors=f.contributors)
        whole = _kept(ds, ("estimates", choice, totals, threshold), lambda: _named(
            ds, _series_of(ds, _troops_kept(_all_troops(ds), f, totals=totals,
                                            apply_dates=False), threshold)),
            keep=ESTIMATES_KEPT)
        keep = _in_range(whole, f)
        return whole if keep is None else _selected(
            ds, ("estimates", choice, totals, threshold), whole, keep)
    figures = troops(ds, f, totals=totals, apply_dates=False)
    figures = figures[figures.as_of_start <= pd.Timestamp(until)]
    return _named(ds, _dated(estimate.series(figures, ds.events, threshold=threshold), f))


def _dated(series: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The periods of a series that overlap the filters' date range."""
    keep = _in_range(series, f)
    return series if keep is None else series[keep].reset_index(drop=True)


def _in_range(series: pd.DataFrame, f: Filters) -> np.ndarray | None:
    """Which periods of a series overlap the filters' date range (None: no range set)."""
    if not (f.start or f.end):
        return None
    keep = np.ones(len(series), dtype=bool)
    if f.start:
        keep &= (series.end >= _ts(f.start)).to_numpy()
    if f.end:
        keep &= (series.start <= _ts(f.end)).to_numpy()
    return keep


def _named(ds: Dataset, series: pd.DataFrame) -> pd.DataFrame:
    """A series with its mission's name, host and lineage and its nation's name."""
    missions = ds.missions.set_index("mission_id")
    names = country_names(ds)
    return series.assign(
        mission=series.mission_id.map(missions["name"]),
        host_country=series.mission_id.map(missions["host_country"]),
        lineage=series.mission_id.map(lineage(ds)),
        contributor_name=series.contributor.map(lambda c: "All nations" if c == "ALL"
                                                else names.get(c, c))).reset_index(drop=True)


def _series_of(ds: Dataset, keep: np.ndarray, threshold: float) -> pd.DataFrame:
    """estimate.series() of the figures `keep` marks in _all_troops, read from the
    series of the whole record.

    A series (one mission and contributor) depends only on its own figures and
    its mission's events, so the whole record's series are computed once and
    the filters pick theirs; a series the filters cut into (not one of its
    figures kept whole) is computed from what is left, as before. The kept
    figures are copied out only for such a series (a copy of every column of
    100,000 rows, twice a page, is what a filter without a cut would cost).
    """
    t = _all_troops(ds)
    if not keep.any():
        return estimate.series(t.iloc[:0], ds.events, threshold=threshold)
    keys = ["mission_id", "contributor"]
    wanted = t.loc[keep, keys].groupby(keys).size()
    whole = t[keys].groupby(keys).size().reindex(wanted.index)
    complete = wanted.index[wanted.to_numpy() == whole.to_numpy()]
    everything = _whole_series(ds, complete, threshold)
    parts = [everything[pd.MultiIndex.from_frame(everything[keys]).isin(complete)]]
    cut = wanted.index.difference(complete)
    if len(cut):
        figures = t[keep].reset_index(drop=True)
        rest = figures[pd.MultiIndex.from_frame(figures[keys]).isin(cut)]
        parts.append(estimate.series(rest, ds.events, threshold=threshold))
        return pd.concat(parts, ignore_index=True).sort_values(
            ["mission_id", "contributor", "date"], kind="stable").reset_index(drop=True)
    return parts[0].reset_index(drop=True)


def _whole_series(ds: Dataset, wanted: pd.MultiIndex, threshold: float) -> pd.DataFrame:
    """The whole record's estimate series, kept per dataset and computed as they are
    first asked for: the Troops page's nations chart needs twenty nations' series, not
    all ninety (at 100,000 figures, a second for the ones no one looked at). A series
    depends only on its own figures and its mission's events, and series() keeps a
    series' periods in order whatever is computed beside it, so series computed apart
    join into the frame computed at once."""
    memo = _memo(ds)
    key = ("series", threshold)
    frame, known = memo.get(key, (None, frozenset()))
    missing = [series for series in wanted if series not in known]
    if missing or frame is None:
        t = _all_troops(ds)
        keys = ["mission_id", "contributor"]
        rows = t[pd.MultiIndex.from_frame(t[keys]).isin(missing)] if missing else t.iloc[:0]
        found = estimate.series(rows, ds.events, threshold=threshold)
        if frame is not None and not found.empty:
            found = pd.concat([frame, found], ignore_index=True).sort_values(
                keys + ["date"], kind="stable").reset_index(drop=True)
        elif frame is not None:
            found = frame
        frame, known = found, known | set(missing)
        memo[key] = (frame, known)
    return frame


# Answers for one date (strength_at, contingents_at) kept per dataset: a page asks the
# same one two or three times (headline, map shading, the map's figures) in one run.
AT_KEPT = 16


def _kept(ds: Dataset, key: tuple, compute, keep: int = AT_KEPT) -> pd.DataFrame:
    """compute(), kept in the dataset's memo under `key` with the last `keep` of its kind."""
    memo = _memo(ds)
    if key not in memo:
        kept = [k for k in list(memo) if isinstance(k, tuple) and k[0] == key[0]]
        for old in kept[:max(len(kept) - keep + 1, 0)]:
            memo.pop(old, None)
        memo[key] = compute()
    return memo[key]


def strength_at(ds: Dataset, when: dt.date | pd.Timestamp, f: Filters, *,
                series: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each active mission's best estimate at `when` (see presence.view.estimate).

    The estimate is judged on the whole record (a later figure may confirm a
    move), so the Overview at a past date agrees with the Troops line there;
    `series` passes a precomputed `estimates(..., totals=True)` for many dates.

    One row a mission: `value` is the estimate, `low`/`high` the band of the
    figures behind it, `label` its date as precise as the sources, the last
    confirmed change up to then (`change`, `prev_value`, `prev_label`), and a
    newer figure the rule did not adopt (`held_value`, `held_label`).
    """
    when = pd.Timestamp(when)
    if series is None:
        return _kept(ds, ("strength_at", when, f.missions, f.hosts), lambda: strength_at(
            ds, when, f, series=estimates(ds, Filters(missions=f.missions, hosts=f.hosts),
                                          totals=True)))
    now = estimate.at(series, when) if not series.empty else pd.DataFrame()
    now = now.set_index("mission_id") if not now.empty else now
    rows = []
    for m in active_missions(ds, when, f).itertuples():
        row = {"mission_id": m.mission_id, "mission": m.name, "host_country": m.host_country,
               "date": pd.NaT, "value": None, "low": None, "high": None, "n_sources": 0}
        if m.mission_id in getattr(now, "index", ()):
            r = now.loc[m.mission_id]
            row.update(
                date=r.date, label=r.label, value=int(round(r.value)), low=int(r.low),
                high=int(r.high), qualifier=r.qualifier, n_sources=int(r.n_sources),
                basis=r.basis, source_ids=r.source_ids, outlets=r.outlets, source_url=r.url,
                held_value=r.held_value, held_label=r.held_label)
            if r.last_change_alert:
                row.update(change=r.last_change_change, prev_value=r.last_change_previous_value,
                           prev_label=r.last_change_previous_label,
                           change_label=r.last_change_label, alert=r.last_change_alert,
                           confirmed_by=r.last_change_confirmed_by)
        rows.append(row)
    return pd.DataFrame(rows)


def contingents_at(ds: Dataset, when: dt.date | pd.Timestamp, f: Filters,
                   window: pd.Timedelta = CONTINGENT_WINDOW, *,
                   series: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each nation's newest estimate by `when` (one row a nation and mission: the
    median and range of its newest period), if that period is not older than
    `window`.

    A nation's figure from years before says nothing about today, so old
    estimates drop out instead of standing in for the present; two sources of
    one date make one row with a range, not two bars. Rows carry the columns
    of query.troops that charts and maps read (value, as_of, source_id, ...).
    """
    when = pd.Timestamp(when)
    if series is None:
        return _kept(ds, ("contingents_at", when, f.missions, f.hosts, f.contributors, window),
                     lambda: contingents_at(ds, when, f, window, series=estimates(
                         ds, Filters(missions=f.missions, hosts=f.hosts,
                                     contributors=f.contributors), totals=False)))
    active = set(active_missions(ds, when, f).mission_id)
    # the missions' own rows are chosen after, not cut before: at() then reads the same
    # kept series frame for every date
    now = estimate.at(series, when, newest=True) if not series.empty else pd.DataFrame()
    now = now[now.mission_id.isin(active)] if not now.empty else now
    if now.empty:
        return pd.DataFrame(columns=["mission_id", "contributor", "value", "date"])
    now = now[now.date >= when - window]
    if now.empty:
        return pd.DataFrame(columns=["mission_id", "contributor", "value", "date"])
    names = country_names(ds)
    missions = ds.missions.set_index("mission_id")
    out = pd.DataFrame({
        "mission_id": now.mission_id, "contributor": now.contributor,
        "contributor_name": now.contributor.map(lambda c: names.get(c, c)),
        "host_country": now.mission_id.map(missions["host_country"]),
        "mission": now.mission_id.map(missions["name"]),
        "value": now.value.round().astype(int), "low": now.low, "high": now.high,
        "n_sources": now.n_sources, "qualifier": now.qualifier, "date": now.date,
        "as_of": now.label, "as_of_label": now.label,
        "source_id": now.source_ids.str.split(", ").str[0], "source_ids": now.source_ids,
        "wider": False})
    out = _with_sources(out, ds)
    return out.sort_values("value", ascending=False).reset_index(drop=True)


class Coverage(NamedTuple):
    """How much of a mission its national figures account for at a date."""

    mission_id: str
    nations: int
    troops: int
    total: int | None
    oldest: str
    newest: str


def contingent_coverage(ds: Dataset, when: dt.date | pd.Timestamp, f: Filters,
                        contingents: pd.DataFrame | None = None) -> list[Coverage]:
    """Per mission: how many nations have a recent figure and what share of the
    mission's best estimate they add up to, so a list of six nations is not
    read as the whole force."""
    conts = contingents_at(ds, when, f) if contingents is None else contingents
    strength = strength_at(ds, when, Filters(missions=f.missions, hosts=f.hosts))
    totals = dict(zip(strength.mission_id, strength.value)) if not strength.empty else {}
    out = []
    for mission_id, rows in (conts.groupby("mission_id") if not conts.empty else []):
        total = totals.get(mission_id)
        out.append(Coverage(mission_id, rows.contributor.nunique(), int(rows.value.sum()),
                            int(total) if total is not None and pd.notna(total) else None,
                            rows.loc[rows.date.idxmin(), "as_of_label"],
                            rows.loc[rows.date.idxmax(), "as_of_label"]))
    return out


def describe_coverage(items: list[Coverage]) -> str:
    """'KFOR: 6 nations (Feb 2024 to Apr 2025) add up to 2,900 of about 4,490 (65%).'"""
    parts = []
    for c in items:
        share = f" of about {c.total:,} ({c.troops / c.total:.0%})" if c.total else ""
        dated = c.newest if c.oldest == c.newest else f"{c.oldest} to {c.newest}"
        verb = "adds" if c.nations == 1 else "add"
        parts.append(f"{c.mission_id}: {c.nations} nation{'s' if c.nations != 1 else ''} "
                     f"with a figure ({dated}) {verb} up to {c.troops:,}{share}.")
    return " ".join(parts)


def unhosted(ds: Dataset, f: Filters) -> list[str]:
    """Host-filter countries where no mission in the record served (a click on
    Serbia): the map explains this instead of showing an empty region."""
    hosts = set(ds.missions.host_country)
    return [c for c in f.hosts if c not in hosts]


class MapLayers(NamedTuple):
    """What the presence map of a date draws, for the Overview's map and the Map page's."""
    presence: pd.DataFrame     # each host: the missions' best estimates at the date
    sites: pd.DataFrame        # camps and headquarters open at the date
    contingents: pd.DataFrame  # each nation's newest figure by the date (the arcs)
    used: pd.DataFrame         # the figures behind it all (the export's data)


def map_layers(ds: Dataset, when: dt.date | pd.Timestamp | str, f: Filters) -> MapLayers:
    return MapLayers(host_presence_at(ds, when, f), sites(ds, f, when),
                     contingents_at(ds, when, f), figures_at(ds, when, f))


def figures_at(ds: Dataset, when: dt.date | pd.Timestamp, f: Filters) -> pd.DataFrame:
    """The troop rows a map at `when` is drawn from: latest totals and contingents."""
    when = pd.Timestamp(when)
    active = set(active_missions(ds, when, f).mission_id)
    tot = in_area(troops(ds, f, totals=True, apply_dates=False))
    tot = tot[tot.mission_id.isin(active) & (tot.date <= when)]
    tot = tot[tot.date == tot.groupby("mission_id").date.transform("max")]
    return pd.concat([tot, contingents_at(ds, when, f)], ignore_index=True)


def host_presence_at(ds: Dataset, when: dt.date | pd.Timestamp, f: Filters, *,
                     totals: pd.DataFrame | None = None,
                     nations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Foreign troops present in each region country at `when` (0 where none reported):
    the sum of the best estimates of the missions it hosts, with their band; under
    a contributor filter, only those nations' contingents."""
    if f.contributors:
        # Only the chosen nations' troops: Bosnia is not shaded at EUFOR's total
        # for a nation that has none there.
        c = contingents_at(ds, when, f, series=nations)
        s = pd.DataFrame({"host_country": c.get("host_country", pd.Series(dtype=str)),
                          "value": c.get("value", pd.Series(dtype=float)),
                          "low": c.get("low", pd.Series(dtype=float)),
                          "high": c.get("high", pd.Series(dtype=float)),
                          "mission_id": [f"{m} ({n})" for m, n in
                                         zip(c.get("mission_id", []), c.get("contributor", []))],
                          "label": c.get("as_of_label", pd.Series(dtype=str))})
    else:
        s = strength_at(ds, when, f, series=totals)
        s = s.dropna(subset=["value"]) if not s.empty else s
    names = country_names(ds)
    # a few rows (one a mission or contingent): summed in Python, not filtered per country
    hosted: dict[str, list[dict]] = {}
    if not s.empty:
        for row in s[["host_country", "value", "low", "high", "mission_id", "label"]] \
                .to_dict("records"):
            hosted.setdefault(row["host_country"], []).append(row)

    def total(here: list[dict], column: str) -> int:
        return int(sum(r[column] for r in here if not pd.isna(r[column])))

    rows = []
    for code in REGION:
        here = hosted.get(code, [])
        rows.append({
            "iso_a3": code, "name": names.get(code, code),
            "troops": total(here, "value"), "troops_low": total(here, "low"),
            "troops_high": total(here, "high"),
            "missions": ", ".join(r["mission_id"] for r in here),
            "as_of": ", ".join(r["label"] for r in here),
        })
    return pd.DataFrame(rows)


ESTIMATE_RULE = estimate.RULE
ALERT_SHARE = estimate.CHANGE_SHARE  # percent: a confirmed move this large is flagged
CHANGE_COLUMNS = ["date", "label", "mission_id", "contributor", "from", "from_label", "to",
                  "change", "pct", "alert", "confirmed_by", "previous_date", "source_id",
                  "source_ids", "previous_source_ids", "outlet", "url"]


def recent_changes(ds: Dataset, f: Filters, until: dt.date | pd.Timestamp | None = None,
                   limit: int | None = 10, *, totals: bool | None = True,
                   threshold: float = ALERT_SHARE) -> pd.DataFrame:
    """Reinforcements and drawdowns: moves of the best estimate, newest first.

    A change is a confirmed move of the estimate by `threshold` percent or more
    (presence.view.estimate, rule 4), never two sources disagreeing. Each row names
    the sources on both sides (`previous_source_ids`, `source_ids`) and what
    confirmed it.
    """
    series = estimates(ds, f, totals=totals, threshold=threshold)
    if until is not None:
        series = series[series.start <= pd.Timestamp(until)]
    moved = series[series.alert != ""]
    out = pd.DataFrame({
        "date": moved.date, "label": moved.label, "mission_id": moved.mission_id,
        "contributor": moved.contributor,
        "from": moved.previous_value.round().astype("Int64"),
        "from_label": moved.previous_label, "to": moved.value.round().astype("Int64"),
        "change": (moved.value.round() - moved.previous_value.round()).astype("Int64"),
        "pct": moved.pct.astype(float), "alert": moved.alert,
        "confirmed_by": moved.confirmed_by, "previous_date": moved.previous_date,
        "source_id": moved.source_ids.str.split(", ").str[0], "source_ids": moved.source_ids,
        "previous_source_ids": moved.previous_source_ids,
        "outlet": moved.outlets.str.split(", ").str[0], "url": moved.url},
        columns=CHANGE_COLUMNS)
    out = out.sort_values("date", ascending=False).reset_index(drop=True)
    return out.head(limit) if limit else out


def events(ds: Dataset, f: Filters, until: dt.date | pd.Timestamp | None = None,
           newest_first: int | None = None) -> pd.DataFrame:
    """Events under the filters, oldest first, or the `newest_first` latest up to `until`."""
    e = ds.events
    if f.missions:
        # An event tied to no mission (a visit, a summit) shows while a chosen mission ran.
        m = ds.missions[ds.missions.mission_id.isin(f.missions)]
        in_life = e.date_start.apply(lambda d: bool(
            ((m.started_start <= d) & (m.ended_end.isna() | (d <= m.ended_end))).any()))
        e = e[e.mission_id.isin(f.missions) | (e.mission_id.isna() & in_life)]
    if f.hosts:
        e = e[e.country.isin(f.hosts)]
    if f.start:
        e = e[e.date_end >= _ts(f.start)]
    if f.end:
        e = e[e.date_start <= _ts(f.end)]
    if until is not None:
        e = e[e.date_start <= pd.Timestamp(until)]
    out = _with_sources(e.assign(when=e.date_start), ds)
    if newest_first:
        return out.sort_values("when", ascending=False).head(newest_first).reset_index(drop=True)
    return out.sort_values("when").reset_index(drop=True)


class MapFrame(NamedTuple):
    """What the map draws at one step."""

    step: str
    presence: pd.DataFrame
    sites: pd.DataFrame
    contingents: pd.DataFrame


def map_frames(ds: Dataset, f: Filters, steps: list[str]) -> list[MapFrame]:
    """Every step of the map at once, for Play in the browser: the estimate series
    are computed once and read at each date."""
    totals = estimates(ds, Filters(missions=f.missions, hosts=f.hosts), totals=True)
    nations = estimates(ds, Filters(missions=f.missions, hosts=f.hosts,
                                    contributors=f.contributors), totals=False)
    return [MapFrame(step, host_presence_at(ds, step, f, totals=totals, nations=nations),
                     sites(ds, f, step), contingents_at(ds, step, f, series=nations))
            for step in steps]


def sites(ds: Dataset, f: Filters, when: dt.date | pd.Timestamp | None = None) -> pd.DataFrame:
    s = ds.sites
    if f.missions:
        s = s[s.mission_id.isin(f.missions)]
    if f.hosts:
        s = s[s.host_country.isin(f.hosts)]
    if when is not None:
        when = pd.Timestamp(when)
        s = s[(s.opened_start.isna() | (s.opened_start <= when))
              & (s.closed_end.isna() | (s.closed_end >= when))]
        alive = set(active_missions(ds, when, Filters()).mission_id)
        s = s[s.mission_id.isin(alive)]
    # the same sites on most dates: their frame with its sources is made once per set
    return _kept(ds, ("sites", tuple(s.index)), lambda: _with_sources(s, ds).reset_index(
        drop=True))


def budgets(ds: Dataset, f: Filters, measure: str | None = None) -> pd.DataFrame:
    """Budgets under the filters, converted to EUR and USD where a sourced rate exists.

    The year filter follows the date range: a budget year counts if any of it
    falls inside. `amount_eur`/`amount_usd` are empty where no rate is on
    file, rather than guessed; `converted_*` say where a rate was used.
    """
    b = ds.budgets
    if f.countries:
        b = b[b.country.isin(f.countries)]
    if measure:
        b = b[b.measure == measure]
    if f.start:
        b = b[b.year >= f.start.year]
    if f.end:
        b = b[b.year <= f.end.year]
    rates = ds.rates.groupby(["currency", "year"]).agg(
        per_usd=("per_usd", "first"), rate_source=("source_id", "first")).reset_index()
    out = b.merge(rates, on=["currency", "year"], how="left")
    eur = rates[rates.currency == "EUR"][["year", "per_usd", "rate_source"]].rename(
        columns={"per_usd": "eur_per_usd", "rate_source": "eur_rate_source"})
    out = out.merge(eur, on="year", how="left")
    usd = out.currency == "USD"
    out.loc[usd, "per_usd"] = 1.0
    out["amount_usd"] = out.amount / out.per_usd
    out["amount_eur"] = out.amount_usd * out.eur_per_usd
    out.loc[out.currency == "EUR", "amount_eur"] = out.amount
    out["converted_eur"] = out.currency.ne("EUR") & out.amount_eur.notna()
    out["converted_usd"] = out.currency.ne("USD") & out.amount_usd.notna()
    names = country_names(ds)
    out["country_name"] = out.country.map(names)
    out = out.sort_values(["country", "measure", "currency", "year"]).reset_index(drop=True)
    out["change_pct"] = _yoy(out)
    return _with_sources(out, ds)


def _yoy(b: pd.DataFrame) -> pd.Series:
    """Year-on-year change within one country, measure and currency; only for adjacent years."""
    key = [b.country, b.measure, b.currency]
    prev_amount = b.groupby(key).amount.shift()
    prev_year = b.groupby(key).year.shift()
    change = (b.amount - prev_amount) / prev_amount * 100
    return change.where(prev_year == b.year - 1)


def sources(ds: Dataset, search: str = "") -> pd.DataFrame:
    """Every source (or those whose title or outlet contains `search`), with how many
    figures of each kind it backs."""
    out = _counted_sources(ds)
    if search:
        out = out[out.title.str.contains(search, case=False, regex=False)
                  | out.outlet.str.contains(search, case=False, regex=False)]
    return out.sort_values(["published", "source_id"], ascending=[False, True]) \
        .reset_index(drop=True)


def _counted_sources(ds: Dataset) -> pd.DataFrame:
    memo = _memo(ds)
    if "sources" not in memo:
        tables = ("troops", "budgets", "events", "sites", "missions", "rates")
        out = ds.sources.copy()
        for table in tables:
            counts = ds.tables[table].groupby("source_id").size()
            out[table] = out.source_id.map(counts).fillna(0).astype(int)
        out["figures"] = out[list(tables)].sum(axis=1)
        memo["sources"] = out
    return memo["sources"]


def figures_for_source(ds: Dataset, source_id: str) -> dict[str, pd.DataFrame]:
    """What one source backs, table by table (only tables where it backs something)."""
    out = {}
    for table in ("troops", "budgets", "events", "sites", "missions", "rates"):
        frame = ds.tables[table]
        rows = frame[frame.source_id == source_id]
        if not rows.empty:
            out[table] = rows[[c for c in rows.columns
                               if not c.endswith(("_start", "_end"))]].reset_index(drop=True)
    return out


def data_date(frame: pd.DataFrame, column: str = "date") -> str:
    """The newest date in a frame, for 'data as of' lines on exports."""
    if frame.empty or column not in frame:
        return "no data"
    newest = frame[column].max()
    return newest.date().isoformat() if hasattr(newest, "date") else str(newest)
