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

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Period:
    """One period's figures reduced to a value, before the change rule runs."""

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


# The columns the rule reads; everything else of a query.troops row is left behind,
# so the rule runs on plain records (a frame per period costs ~20 ms; this, ~0.1).
FIELDS = ("mission_id", "contributor", "as_of", "value", "qualifier", "kind", "flag", "wider", "source_id", "outlet", "url",
          "shown_at", "span_start", "span_end")


def _records(figures: pd.DataFrame) -> list[dict]:
    """In-area figures of one series as plain dicts, with period and precision.

    Built column by column (a frame's own to_dict boxes every cell on its own,
    seconds at 100,000 figures); dates are read once per distinct date.
    """
    frame = figures.reindex(columns=list(FIELDS))
    columns = [frame[name].tolist() for name in FIELDS]
    when = {as_of: (dates.period_key(as_of), dates.precision(as_of))
            for as_of in set(columns[FIELDS.index("as_of")])}
    out = []
    for values in zip(*columns):
        r = dict(zip(FIELDS, values))
        if r["wider"] in (True, 1):
            continue
        r["period"], r["precision"] = when[r["as_of"]]
        r["doubtful"] = r["flag"] == "doubtful"
        r["official"] = r["kind"] in OFFICIAL_KINDS
        r["bound"] = r["qualifier"] in BOUNDS
        out.append(r)
    return out


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _period(key: str, rows: list[dict]) -> Period | None:
    """Rule 3 on one period's figures; None when every figure is doubtful."""
    trusted = [r for r in rows if not r["doubtful"]]
    if not trusted:
        return None
    tier = trusted
    for keep in (lambda r: r["official"] and not r["bound"], lambda r: r["official"],
                 lambda r: not r["bound"]):
        narrower = [r for r in trusted if keep(r)]
        if narrower:
            tier = narrower
            break
    quals = {r["qualifier"] for r in tier}
    if quals <= BOUNDS:
        qualifier = "lower" if quals == {"lower"} else "upper" if quals == {"upper"} else "approx"
    else:
        single = len({r["value"] for r in tier}) == 1
        qualifier = "exact" if quals == {"exact"} and single else "approx"
    as_ofs = {r["as_of"] for r in tier}
    label = dates.label(next(iter(as_ofs))) if len(as_ofs) == 1 else dates.label(key)
    ordered = sorted(tier, key=lambda r: r["value"])
    shown = sorted(r["shown_at"] for r in tier)
    return Period(
        key=key, label=label, date=pd.Timestamp(shown[(len(shown) - 1) // 2]).normalize(),
        start=min(r["span_start"] for r in trusted), end=max(r["span_end"] for r in trusted),
        value=_median([r["value"] for r in tier]),
        low=int(min(r["value"] for r in trusted)), high=int(max(r["value"] for r in trusted)),
        n_sources=len({r["source_id"] for r in trusted}), n_figures=len(trusted),
        qualifier=qualifier,
        basis="official" if all(r["official"] for r in tier) else "press",
        source_ids=tuple(dict.fromkeys(r["source_id"] for r in ordered)),
        outlets=tuple(dict.fromkeys(str(r["outlet"]) for r in ordered)),
        url=str(ordered[len(ordered) // 2]["url"]),
        values=tuple(int(r["value"]) for r in trusted),
        value_sources=tuple(r["source_id"] for r in trusted))


def periods(figures: pd.DataFrame | list[dict]) -> list[Period]:
    """Rules 1-3 for one series (one mission, one contributor), oldest first."""
    rows = _records(figures) if isinstance(figures, pd.DataFrame) else figures
    finer_years = {r["period"][:4] for r in rows if r["precision"] != dates.YEAR}
    grouped: dict[str, list[dict]] = {}
    for r in rows:
        if r["precision"] == dates.YEAR and r["period"] in finer_years:
            continue
        grouped.setdefault(r["period"], []).append(r)
    out = [_period(key, group) for key, group in grouped.items()]
    return sorted((p for p in out if p is not None), key=lambda p: (p.date, p.key))


def year_support(figures: pd.DataFrame | list[dict]) -> dict[str, list[tuple[int, str]]]:
    """Year-only figures of years that have finer-dated ones, as (value, source)
    by year: they set no estimate (rule 2) but can confirm a move in their year."""
    rows = _records(figures) if isinstance(figures, pd.DataFrame) else figures
    rows = [r for r in rows if not r["doubtful"]]
    finer = {r["period"][:4] for r in rows if r["precision"] != dates.YEAR}
    out: dict[str, list[tuple[int, str]]] = {}
    for r in rows:
        if r["precision"] == dates.YEAR and r["as_of"] in finer:
            out.setdefault(r["as_of"], []).append((int(r["value"]), r["source_id"]))
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
    out = []
    if figures.empty:
        return pd.DataFrame(columns=COLUMNS)
    by_series: dict[tuple[str, str], list[dict]] = {}
    for r in _records(figures):
        by_series.setdefault((r["mission_id"], r["contributor"]), []).append(r)
    event_rows = {}
    if events is not None and not events.empty:
        event_rows = {m: _event_list(rows) for m, rows in events.groupby("mission_id")}
    for (mission_id, contributor), rows in sorted(by_series.items()):
        mission_events = event_rows.get(mission_id)
        found = periods(rows)
        support = year_support(rows)
        current: Period | None = None
        for i, p in enumerate(found):
            row = {"mission_id": mission_id, "contributor": contributor, "period": p.key,
                   "label": p.label, "date": p.date, "start": p.start, "end": p.end,
                   "value": p.value, "low": p.low, "high": p.high, "n_sources": p.n_sources,
                   "n_figures": p.n_figures, "qualifier": p.qualifier, "basis": p.basis,
                   "source_ids": ", ".join(p.source_ids), "outlets": ", ".join(p.outlets),
                   "url": p.url, "status": LEVEL, "alert": "", "confirmed_by": ""}
            if current is not None:
                level = current.value
                row.update(previous_value=level, previous_label=current.label,
                           previous_date=current.date,
                           previous_source_ids=", ".join(current.source_ids))
                direction = _side(p.value, level, threshold)
                if direction and _bound_satisfied(p, level):
                    row["status"] = BOUND
                elif direction and not _refines_bound(p, current):
                    why = _confirmation(p, found[i + 1:], level, current.date, direction,
                                        mission_events, threshold, support.get(p.key[:4], []))
                    if why:
                        row.update(change=p.value - level,
                                   pct=(p.value - level) / level * 100,
                                   alert="reinforcement" if direction > 0 else "drawdown",
                                   confirmed_by=why)
                    elif p.date - current.date > STALE_AFTER:
                        row["confirmed_by"] = ""  # a new level, but no alert
                    else:
                        row["status"] = HELD
            if row["status"] == LEVEL:
                current = p
            row["level"] = current.value if current is not None else None
            out.append(row)
    frame = pd.DataFrame(out)
    for col in COLUMNS:
        if col not in frame:
            frame[col] = None
    return frame[COLUMNS].sort_values(["mission_id", "contributor", "date"]) \
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
    wanted = (LEVEL, HELD) if newest else (LEVEL,)
    known = estimates[estimates.start <= when]
    if known.empty:
        return pd.DataFrame()
    # Each series' rows are together and oldest first (series() sorts them), so the
    # last row of a group is its newest; only those few rows become records.
    keys = ["mission_id", "contributor"]
    latest = known[known.status.isin(wanted)].groupby(keys, sort=False).tail(1)
    held = known[known.status == HELD].join(
        latest.set_index(keys)["date"].rename("_adopted"), on=keys)
    held = held[held.date > held._adopted].groupby(keys, sort=False).tail(1)
    held = held.set_index(keys).to_dict("index")
    changed = known[known.alert.map(bool)].groupby(keys, sort=False).tail(1)
    changed = changed.set_index(keys).to_dict("index")
    rows = []
    for latest_row in latest.to_dict("records"):
        key = (latest_row["mission_id"], latest_row["contributor"])
        newer, last = held.get(key), changed.get(key)
        latest_row["held_value"] = newer["value"] if newer else None
        latest_row["held_label"] = newer["label"] if newer else None
        for field in ("change", "pct", "alert", "label", "previous_label", "previous_value",
                      "confirmed_by", "source_ids", "previous_source_ids"):
            latest_row[f"last_change_{field}"] = last[field] if last is not None else None
        rows.append(latest_row)
    return pd.DataFrame(rows)
