"""The best estimate: one number per mission (or nation in a mission) per period.

The record keeps every figure a source reported, and sources disagree: two
outlets a day apart give EUFOR 1,500 and 1,000; a stale wire story gives SFOR
12,000 when everyone else says 7,000. Drawing every figure as the strength, or
flagging every difference between consecutive figures as a change, turns
disagreement into history. So every headline, line and change alert reads
this series instead, built by one written rule (also in the README, "How a
figure becomes the estimate"):

1. **Same definition.** Only figures of the force in its area count; figures
   marked `scope=wider` (reserves abroad, staging areas) count something else
   and never set the estimate.
2. **Periods at the source's precision.** A figure dated to the day or month
   belongs to its month; a year-only figure belongs to its year and sets an
   estimate only for a year with no finer-dated figure of the same series (a
   finer date says *when* in the year; "1999" does not).
3. **Who is believed first.** Within a period: figures the curator flags
   doubtful give way to the rest; official series (the mission's own
   figures, NATO placemats, EU factsheets, government reports, datasets)
   before press reports and encyclopedias; figures (exact or approximate)
   before bounds ("up to", "more than"). The estimate is the **median** of the
   first tier that has any figure. The band (low-high) spans every figure of
   the period that is not doubtful, and `n_sources` counts their sources.
4. **A change is a change.** A move of at least `CHANGE_SHARE` percent from
   the current level is a reinforcement or drawdown only when confirmed: by a
   second source in the same period on the new side (a year-only figure of
   that year counts), by one of the next two periods' estimates on the new
   side, or by an event of that mission
   (reinforcement or deployment up, drawdown down) dated after the previous
   level and by the end of this period. An unconfirmed jump is `held`: it is
   kept (and shown as a figure), but the level does not move. A bound the
   current level already satisfies ("more than 4,000" while at 4,500) moves
   nothing either. A level older than two years is no evidence against a new
   figure: then the new figure becomes the level, without an alert.

Everything here is pure: frames in, frames out, no Streamlit, no dataset.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from presence.record import dates

# A move this large (percent of the current level) is worth an alert; smaller
# moves are the normal drift of rotations and rounding in the sources.
CHANGE_SHARE = 10.0
# Source kinds that publish a mission's own or a government's series, believed
# before press reports and encyclopedias (see sources.csv `kind`).
OFFICIAL_KINDS = frozenset({"factsheet", "placemat", "report", "dataset", "official"})
BOUNDS = frozenset({"upper", "lower"})
# How many later periods may confirm a move: two, so a real move followed by
# one stale report still stands, while a lone outlier between agreeing
# figures (7,000, 12,000, 7,000) does not.
LOOK_AHEAD = 2
# A level this old is no evidence against a new figure: after two years without
# a figure, an unconfirmed move replaces the level (without an alert) instead of
# being held against it.
STALE_AFTER = pd.Timedelta(days=730)
UP_EVENTS = frozenset({"reinforcement", "deployment"})
DOWN_EVENTS = frozenset({"drawdown"})

LEVEL, HELD, BOUND = "level", "held", "bound"

# The rule in one paragraph, for the pages (the README has the long form).
RULE = ("one value per month (or per year, for a year given only as a year), the median of "
        "the figures believed first: official series (the mission's own figures, NATO "
        "placemats, EU factsheets, government reports) before press reports, figures before "
        "bounds, and never figures that also count troops outside the area or that the "
        "curator marked doubtful. The range is every figure of that period; a move of "
        f"{CHANGE_SHARE:.0f}% or more counts as a change only when a second source, the next "
        "figure or an announced reinforcement or drawdown confirms it.")
COLUMNS = ["mission_id", "contributor", "period", "label", "date", "start", "end", "value",
           "low", "high", "n_sources", "n_figures", "qualifier", "basis", "source_ids",
           "outlets", "url", "status", "level", "previous_value", "previous_label",
           "previous_date", "previous_source_ids", "change", "pct", "alert", "confirmed_by"]


class Period(NamedTuple):
    """One period's figures reduced to a value, before the change rule runs (a named
    tuple: 17,000 of them are made at 100,000 figures, and a frozen dataclass sets
    each of its twenty fields through object.__setattr__, a third of a second)."""

    key: str
    label: str
    date: pd.Timestamp
    start: pd.Timestamp
    end: pd.Timestamp
    value: float
    low: int
    high: int
    n_sources: int
    n_figures: int
    qualifier: str
    basis: str
    source_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    url: str
    values: tuple[int, ...]  # every non-doubtful figure, for the "second source" check
    value_sources: tuple[str, ...]


# The columns the rule reads; everything else of a query.troops row is left behind.
FIELDS = ("mission_id", "contributor", "as_of", "value", "qualifier", "kind", "flag", "wider",
          "source_id", "outlet", "url", "shown_at", "span_start", "span_end")
SERIES = ["mission_id", "contributor"]
# Rule 3's tiers, believed first to last: official figures, official bounds, press
# figures, press bounds. A period's estimate reads its lowest tier present.
TIER_OFFICIAL_FIGURE, TIER_OFFICIAL_BOUND, TIER_FIGURE, TIER_BOUND = range(4)


def _rows(figures: pd.DataFrame) -> pd.DataFrame:
    """Rule 1 and what rules 2-4 read: the in-area figures, in their order (`order`),
    with period, precision and the flags of rule 3; dates read once per distinct date."""
    frame = figures.reindex(columns=list(FIELDS))
    frame = frame[~frame.wider.isin([True, 1])].reset_index(drop=True)
    # Text as Python strings: Arrow-backed text is read cell by cell below, slowly.
    frame = frame.astype({name: object for name in frame.columns
                          if pd.api.types.is_string_dtype(frame[name].dtype)})
    when = {as_of: (dates.period_key(as_of), dates.precision(as_of))
            for as_of in frame.as_of.unique()}
    frame["period"] = frame.as_of.map({k: v[0] for k, v in when.items()})
    frame["precision"] = frame.as_of.map({k: v[1] for k, v in when.items()})
    frame["doubtful"] = frame.flag.eq("doubtful").fillna(False).astype(bool)
    official = frame.kind.isin(OFFICIAL_KINDS).to_numpy()
    bound = frame.qualifier.isin(BOUNDS).to_numpy()
    frame["official"] = official
    frame["tier"] = np.select([official & ~bound, official, ~bound],
                              [TIER_OFFICIAL_FIGURE, TIER_OFFICIAL_BOUND, TIER_FIGURE],
                              TIER_BOUND)
    frame["order"] = np.arange(len(frame))
    return frame


def _finer_year(rows: pd.DataFrame) -> pd.Series:
    """Whether a row's year has a figure of its series dated finer than the year."""
    finer = (rows.precision != dates.YEAR).to_numpy()
    year = rows.period.str[:4]
    return pd.Series(finer, index=rows.index).groupby(
        [rows.mission_id, rows.contributor, year], sort=False).transform("any")


def _periods(rows: pd.DataFrame) -> dict[tuple[str, str], list[Period]]:
    """Rules 2 and 3 for every series at once, each series' periods oldest first.

    Whole-frame operations on one integer code per period (`group`) instead of a
    loop over periods (17,000 periods at 100,000 figures took seconds); the
    result is the same Period for every one.
    """
    # Rule 2: a year-only figure of a year that has finer-dated ones sets nothing.
    rows = rows[~((rows.precision == dates.YEAR).to_numpy() & _finer_year(rows).to_numpy())]
    trusted = rows[~rows.doubtful.to_numpy()]  # a period of doubtful figures only is no period
    if trusted.empty:
        return {}
    keys = [*SERIES, "period"]
    trusted = trusted.assign(group=trusted.groupby(keys, sort=False).ngroup().to_numpy())
    by_period = trusted.groupby("group", sort=False)
    tier = trusted[trusted.tier.to_numpy() == by_period.tier.transform("min").to_numpy()]
    by_tier = tier.groupby("group", sort=False)
    out = by_period.agg(start=("span_start", "min"), end=("span_end", "max"),
                        low=("value", "min"), high=("value", "max"),
                        n_sources=("source_id", "nunique"), n_figures=("value", "size"),
                        **{key: (key, "first") for key in keys})
    out["values"] = _tuples(trusted, "value")
    out["value_sources"] = _tuples(trusted, "source_id")
    qualifier = tier.qualifier
    counts = pd.DataFrame({"n": 1, "lower": qualifier.eq("lower").to_numpy(),
                           "upper": qualifier.eq("upper").to_numpy(),
                           "exact": qualifier.eq("exact").to_numpy(),
                           "official": tier.official.to_numpy(), "group": tier.group.to_numpy()}
                          ).groupby("group", sort=False).sum()
    out = out.join(counts).join(by_tier.agg(
        value=("value", "median"), distinct=("value", "nunique"),
        as_ofs=("as_of", "nunique"), as_of=("as_of", "first")))
    bounds_only = (out.lower + out.upper) == out.n
    out["qualifier"] = np.where(
        bounds_only,
        np.where(out.lower == out.n, "lower", np.where(out.upper == out.n, "upper", "approx")),
        np.where((out.exact == out.n) & (out.distinct == 1), "exact", "approx"))
    out["basis"] = np.where(out.official == out.n, "official", "press")
    # the date: the lower middle of the tier's drawing dates
    out["date"] = _middle(tier, "shown_at", lower=True).shown_at.dt.normalize()
    # sources, outlets and the link in order of value (ties in the record's order)
    ordered = tier.sort_values(["group", "value", "order"], kind="stable")
    out["url"] = _middle(ordered, "value", lower=False).url.astype(str)
    out["source_ids"] = _tuples(ordered.drop_duplicates(["group", "source_id"]), "source_id")
    named = ordered.assign(outlet=ordered.outlet.astype(str)).drop_duplicates(["group", "outlet"])
    out["outlets"] = _tuples(named, "outlet")
    labels = {}
    out = out.sort_values([*SERIES, "date", "period"], kind="stable")
    found: dict[tuple[str, str], list[Period]] = {}
    fields = ["mission_id", "contributor", "period", "as_of", "as_ofs", "date", "start", "end",
              "value", "low", "high", "n_sources", "n_figures", "qualifier", "basis",
              "source_ids", "outlets", "url", "values", "value_sources"]
    columns = [out[name].tolist() for name in fields]  # whole columns: no cell-by-cell reads
    for (mission_id, contributor, period, as_of, as_ofs, date, start, end, value, low, high,
         n_sources, n_figures, qualifier, basis, source_ids, outlets, url, values,
         value_sources) in zip(*columns):
        text = as_of if as_ofs == 1 else period
        if text not in labels:
            labels[text] = dates.label(text)
        found.setdefault((mission_id, contributor), []).append(Period(
            key=period, label=labels[text], date=date, start=start, end=end,
            value=float(value), low=int(low), high=int(high), n_sources=int(n_sources),
            n_figures=int(n_figures), qualifier=qualifier, basis=basis, source_ids=source_ids,
            outlets=outlets, url=url, values=tuple(int(v) for v in values),
            value_sources=value_sources))
    return found


def _middle(rows: pd.DataFrame, column: str, *, lower: bool) -> pd.DataFrame:
    """Each group's middle row by `column` (ties in the frame's order), indexed by
    group: the lower middle of an even count, or the upper one."""
    ordered = rows.sort_values(["group", column], kind="stable")
    grouped = ordered.groupby("group", sort=False)
    place = grouped.cumcount().to_numpy()
    size = grouped[column].transform("size").to_numpy()
    middle = (size - 1) // 2 if lower else size // 2
    return ordered[place == middle].set_index("group")


def _tuples(frame: pd.DataFrame, column: str) -> pd.Series:
    """Each group's values of `column` as a tuple, in the frame's order, indexed by
    group (a groupby's own tuple aggregation builds a Series per group: seconds for
    17,000 periods)."""
    codes = frame.group.to_numpy()
    order = np.argsort(codes, kind="stable")
    values = frame[column].to_numpy(dtype=object)[order].tolist()
    starts = np.flatnonzero(np.diff(codes[order])) + 1
    cuts = [0, *starts.tolist(), len(values)]
    index = codes[order][[0, *starts.tolist()]] if len(values) else []
    return pd.Series([tuple(values[a:b]) for a, b in zip(cuts, cuts[1:])], index=index,
                     name=column, dtype=object)


def _year_support(rows: pd.DataFrame) -> dict[tuple[str, str], dict[str, list[tuple[int, str]]]]:
    """Year-only figures of years that have finer-dated ones, as (value, source) by
    series and year: they set no estimate (rule 2) but can confirm a move in their year."""
    rows = rows[~rows.doubtful.to_numpy()]
    kept = rows[(rows.precision == dates.YEAR).to_numpy() & _finer_year(rows).to_numpy()]
    out: dict[tuple[str, str], dict[str, list[tuple[int, str]]]] = {}
    for mission_id, contributor, as_of, value, source_id in zip(
            *(kept[name].tolist() for name in ("mission_id", "contributor", "as_of", "value",
                                               "source_id"))):
        out.setdefault((mission_id, contributor), {}).setdefault(as_of, []).append(
            (int(value), source_id))
    return out


def _side(value: float, level: float, threshold: float) -> int:
    """+1 above the level by the threshold, -1 below it, 0 within it."""
    pct = (value - level) / level * 100
    return 1 if pct >= threshold else -1 if pct <= -threshold else 0


def _confirmation(p: Period, later: list[Period], level: float, since: pd.Timestamp,
                  direction: int, events: pd.DataFrame | None, threshold: float,
                  same_year: list[tuple[int, str]]) -> str:
    """Rule 4: why a move is believed, or '' when nothing backs it.

    "A later figure" looks at the next `LOOK_AHEAD` periods, so one stale
    report right after a real move does not undo it.
    """
    backing = {s for v, s in list(zip(p.values, p.value_sources)) + same_year
               if _side(v, level, threshold) == direction}
    if len(backing) >= 2:
        return f"{len(backing)} sources"
    for nxt in later[:LOOK_AHEAD]:
        if _side(nxt.value, level, threshold) == direction:
            return f"later figure ({nxt.label}: {nxt.value:,.0f})"
    if events is not None and len(events):
        kinds = UP_EVENTS if direction > 0 else DOWN_EVENTS
        for event in (_event_list(events) if isinstance(events, pd.DataFrame) else events):
            if event.kind in kinds and since < event.date_start <= p.end:
                return f"event ({dates.label(event.date)}: {event.title})"
    return ""


def _event_list(events: pd.DataFrame) -> list:
    """A mission's events as plain rows, earliest first: read once per series, not
    filtered as a frame for every move (thousands of moves at 100,000 figures)."""
    return list(events.sort_values("date_start", kind="stable")[
        ["kind", "date_start", "date", "title"]].itertuples(index=False))


def _bound_satisfied(p: Period, level: float) -> bool:
    """A new bound the current level already meets says nothing new ("more than
    4,000" while at 4,500): it is kept off the line."""
    return (p.qualifier == "lower" and p.value <= level) or \
        (p.qualifier == "upper" and p.value >= level)


def _refines_bound(p: Period, prev: Period) -> bool:
    """A figure inside the previous bound ("more than 1,000", then 1,500) makes
    the level precise without anything having moved."""
    return (prev.qualifier == "lower" and p.value >= prev.value) or \
        (prev.qualifier == "upper" and p.value <= prev.value)


def _frame(keys, ordered, previous, status, levels, alerts, confirmed, changes) -> pd.DataFrame:
    """series()' frame from its periods and verdicts: a value only some periods have
    (a previous level, a change) is NaN (NaT for a date) where a period has none, so
    every series has the same column types whatever the others hold, and series of
    the same record computed apart join into the frame computed at once."""
    if not ordered:
        frame = pd.DataFrame()
        for col in COLUMNS:
            frame[col] = None
        return frame
    nan = np.nan
    columns = {
        "mission_id": [key[0] for key in keys], "contributor": [key[1] for key in keys],
        "period": [p.key for p in ordered], "label": [p.label for p in ordered],
        "date": [p.date for p in ordered], "start": [p.start for p in ordered],
        "end": [p.end for p in ordered], "value": [p.value for p in ordered],
        "low": [p.low for p in ordered], "high": [p.high for p in ordered],
        "n_sources": [p.n_sources for p in ordered], "n_figures": [p.n_figures for p in ordered],
        "qualifier": [p.qualifier for p in ordered], "basis": [p.basis for p in ordered],
        "source_ids": [", ".join(p.source_ids) for p in ordered],
        "outlets": [", ".join(p.outlets) for p in ordered], "url": [p.url for p in ordered],
        "status": status, "level": levels}
    columns.update(
        previous_value=np.array([nan if prev is None else prev.value for prev in previous],
                                dtype=float),
        previous_label=[nan if prev is None else prev.label for prev in previous],
        previous_date=pd.to_datetime([pd.NaT if prev is None else prev.date
                                      for prev in previous]).as_unit(
                                          pd.Timestamp(ordered[0].date).unit),
        previous_source_ids=[nan if prev is None else ", ".join(prev.source_ids)
                             for prev in previous],
        change=np.array(changes, dtype=float),
        pct=np.array([change / prev.value * 100 if alert else nan
                      for change, prev, alert in zip(changes, previous, alerts)], dtype=float),
        alert=alerts, confirmed_by=confirmed)
    return pd.DataFrame(columns)


def series(figures: pd.DataFrame, events: pd.DataFrame | None = None, *,
           threshold: float = CHANGE_SHARE) -> pd.DataFrame:
    """The estimate for every series in `figures`, oldest first within each.

    `figures` are query.troops rows (value, qualifier, as_of, kind, wider,
    flag, span_start, span_end, shown_at, source_id, outlet, url). `events`
    (query.events rows: mission_id, kind, date, date_start, title) may
    confirm a change. `status` is 'level' where the period sets the estimate,
    'held' for an unconfirmed jump, 'bound' for a bound that moves nothing;
    `level` is the estimate in force after the period, so a line drawn
    through `level` never shows a jump the rule did not accept.
    """
    if figures.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = _rows(figures)
    by_series, supports = _periods(rows), _year_support(rows)
    event_rows = {}
    if events is not None and not events.empty:
        event_rows = {m: _event_list(rows) for m, rows in events.groupby("mission_id")}
    # The rule's verdicts, one entry a period in the order of `ordered`; the periods'
    # own fields are read off them as whole columns below (a dict a period, made into a
    # frame, took a quarter of a second at 100,000 figures).
    keys: list[tuple[str, str]] = []
    ordered: list[Period] = []
    status, levels, alerts, confirmed = [], [], [], []
    previous: list[Period | None] = []
    changes: list[float] = []
    for (mission_id, contributor), found in sorted(by_series.items()):
        mission_events = event_rows.get(mission_id)
        support = supports.get((mission_id, contributor), {})
        current: Period | None = None
        for i, p in enumerate(found):
            state, alert, why, change = LEVEL, "", "", np.nan
            if current is not None:
                level = current.value
                direction = _side(p.value, level, threshold)
                if direction and _bound_satisfied(p, level):
                    state = BOUND
                elif direction and not _refines_bound(p, current):
                    later = found[i + 1:i + 1 + LOOK_AHEAD]  # all it reads; not the rest
                    why = _confirmation(p, later, level, current.date, direction,
                                        mission_events, threshold, support.get(p.key[:4], []))
                    if why:
                        change = p.value - level
                        alert = "reinforcement" if direction > 0 else "drawdown"
                    elif p.date - current.date <= STALE_AFTER:
                        state = HELD  # (an older level gives way: a new level, no alert)
            previous.append(current)
            if state == LEVEL:
                current = p
            status.append(state)
            alerts.append(alert)
            confirmed.append(why)
            changes.append(change)
            levels.append(current.value)
        keys.extend([(mission_id, contributor)] * len(found))
        ordered.extend(found)
    frame = _frame(keys, ordered, previous, status, levels, alerts, confirmed, changes)
    # stable: a series' periods keep their order whatever other series are computed beside
    return frame[COLUMNS].sort_values(["mission_id", "contributor", "date"], kind="stable") \
        .reset_index(drop=True)


def at(estimates: pd.DataFrame, when: pd.Timestamp, *, newest: bool = False) -> pd.DataFrame:
    """Each series' estimate in force at `when`: its latest 'level' period begun by then.

    Also says what newer, unconfirmed figure there is (`held_value`,
    `held_label`), so a headline can mention it without adopting it.
    `newest=True` takes the newest period whether adopted or held: what a
    nation reported last, for lists of contingents with their own dates,
    where a rotation's unconfirmed dip matters less than being current.
    """
    when = pd.Timestamp(when)
    if estimates.empty:
        return pd.DataFrame()
    # The rules read a few columns of every row; those are kept as arrays per series
    # frame (a page asks for many dates of the same kept series), and only the chosen
    # rows, a few dozen, are taken whole.
    rows = _rows_of(estimates)
    known = rows.start <= when.to_datetime64()
    if not known.any():
        return pd.DataFrame()
    latest = _last_per_group(rows.group, known & (rows.level | rows.held if newest else rows.level))
    adopted = np.full(rows.groups, np.datetime64("NaT"), dtype=rows.date.dtype)
    adopted[rows.group[latest]] = rows.date[latest]
    after = rows.date > adopted[rows.group]  # NaT (no adopted period) compares False
    held = _last_per_group(rows.group, known & rows.held & after)
    changed = _last_per_group(rows.group, known & rows.alert)
    records = _records(estimates, rows, [*latest.tolist(), *held.tolist(), *changed.tolist()])
    held = {rows.group[i]: records[i] for i in held.tolist()}
    changed = {rows.group[i]: records[i] for i in changed.tolist()}
    out = []
    for i in latest.tolist():
        latest_row = dict(records[i])
        newer, last = held.get(rows.group[i]), changed.get(rows.group[i])
        latest_row["held_value"] = newer["value"] if newer else None
        latest_row["held_label"] = newer["label"] if newer else None
        for field in CHANGE_FIELDS:
            latest_row[f"last_change_{field}"] = last[field] if last is not None else None
        out.append(latest_row)
    # by columns: what pd.DataFrame(out) makes of the records, without reading them row
    # by row again
    return pd.DataFrame({column: [row[column] for row in out] for column in out[0]}) \
        if out else pd.DataFrame()


class _Rows(NamedTuple):
    """What at() reads of every row of a series frame, as arrays."""

    group: np.ndarray   # the row's series (mission, contributor), numbered from 0
    groups: int
    start: np.ndarray   # datetime64
    date: np.ndarray
    level: np.ndarray   # bool: status LEVEL
    held: np.ndarray    # bool: status HELD
    alert: np.ndarray   # bool: a confirmed change
    records: dict[int, dict]  # rows at() has chosen, as to_dict("records") gives them


_ROWS: dict[int, tuple[pd.DataFrame, _Rows]] = {}
_ROWS_KEPT = 8  # the series frames a few pages ask for; each is kept alive with its arrays


def _rows_of(estimates: pd.DataFrame) -> _Rows:
    """The arrays of a series frame, made once per frame (a kept frame is asked again for
    every date a page shows; the frame is kept with them, so its id is not reused)."""
    kept = _ROWS.get(id(estimates))
    if kept is not None and kept[0] is estimates:
        return kept[1]
    group, uniques = pd.MultiIndex.from_frame(
        estimates[["mission_id", "contributor"]].astype(object)).factorize()
    status = estimates["status"].to_numpy(dtype=object)
    rows = _Rows(group.astype(np.int64), len(uniques),
                 estimates["start"].to_numpy(dtype="datetime64[ns]"),
                 estimates["date"].to_numpy(dtype="datetime64[ns]"),
                 status == LEVEL, status == HELD,
                 estimates["alert"].map(bool).to_numpy(dtype=bool), {})
    if len(_ROWS) >= _ROWS_KEPT:
        _ROWS.pop(next(iter(_ROWS), None), None)
    _ROWS[id(estimates)] = (estimates, rows)
    return rows


def _records(estimates: pd.DataFrame, rows: _Rows, positions: list[int]) -> dict[int, dict]:
    """The rows at these positions as dicts, each read from the frame once: the same few
    rows (each series' latest) are chosen again for date after date."""
    missing = sorted({i for i in positions if i not in rows.records})
    if missing:
        rows.records.update(zip(missing, estimates.iloc[missing].to_dict("records")))
    return rows.records


def _last_per_group(group: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Positions of the last chosen row of each group, in row order (series() sorts a
    series' rows oldest first, so its last row is its newest), whatever order the groups
    come in."""
    at = np.flatnonzero(chosen)
    if len(at) == 0:
        return at
    _, last_from_end = np.unique(group[at][::-1], return_index=True)
    return np.sort(at[len(at) - 1 - last_from_end])


# What at() says of a series' last confirmed change (as last_change_<field>).
CHANGE_FIELDS = ("change", "pct", "alert", "label", "previous_label", "previous_value",
                 "confirmed_by", "source_ids", "previous_source_ids")
