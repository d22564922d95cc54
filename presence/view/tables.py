"""Year tables: each mission's best estimate year by year (or each nation's
contingent within one mission), and the change between two chosen years.

Which number stands for a year. A troop strength is a stock, not a flow:
sources report how many soldiers serve on a day, and the yearly mean of such
reports would weight a year by how often the press wrote about it (a drawdown
year has many stories, a quiet year two), mix figures from several periods
into a number no source gave, and could not point to the source it rests on.
So a cell is the best estimate **in force at the end of the year**: read on
31 December, on the mission's last day in the year it ended, and on the
page's "now" (the end of the date filter, else the newest date in the record)
in its year. It is read from the same estimate series and by the same rule as
the Overview's headline and the Map (whose yearly steps are the same 31
Decembers), so a cell here, the Troops line and the Map at that date agree,
and the change between two years is the move of the estimate between two days
a reader can check on the Troops chart.

- A mission's cell is its adopted estimate then (`estimate.at`, as
  `query.strength_at`): an unconfirmed newer figure does not replace it.
- A nation's cell is its newest period by then, adopted or not, and only if
  that period is at most two years old (as `query.contingents_at`): a nation's
  figure from years before says nothing about its contingent now.
- A cell whose estimate dates from an earlier year is `carried`: no figure
  that year moved it. The table says so instead of hiding it.
- No estimate, a mission not running that year: the cell is empty, never 0.

Pure: the dataset and filters in, frames out, no Streamlit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from presence.record import dates
from presence.record.dataset import Dataset
from presence.view import estimate, query
from presence.view.filters import Filters

MISSION, NATION = "mission", "nation"
# One vocabulary with query.contingents_at: a nation's newest figure older than this
# (two years) says nothing about the year it would stand for.
NATION_WINDOW = query.CONTINGENT_WINDOW
CELL_COLUMNS = ["year", "read_on", "mission_id", "contributor", "entity", "name", "estimate",
                "low", "high", "qualifier", "as_of", "carried", "n_sources", "source_ids",
                "period"]


@dataclass(frozen=True)
class YearTable:
    """One table's cells (one row a cell that has an estimate) and the years it spans.

    `kind` says what the series are: missions, or nations within `mission_id`.
    `years` are every year some series could have a cell in (the mission ran,
    the filters allow it), so a year without any estimate still shows, empty.
    """

    kind: str
    cells: pd.DataFrame
    years: tuple[int, ...]
    names: dict[str, str]  # entity -> name, in the order the series are shown
    mission_id: str | None = None

    def label(self, entity: str) -> str:
        """The name a reader knows a series by: KFOR (not "Kosovo Force"), France (not FRA)."""
        return entity if self.kind == MISSION else self.names.get(entity, entity)

    @property
    def labels(self) -> dict[str, str]:
        """Column label -> entity, in the order the series are shown."""
        return {self.label(e): e for e in self.names}

    def by_year(self) -> pd.DataFrame:
        """A row a year, a column a series (its label), empty where there is no estimate.

        Time runs down the rows as it runs along the Troops chart, and it is the
        shape a charting tool reads (Datawrapper, Excel: the first column the
        year, one column a line).
        """
        return self._grid("estimate").astype({c: "Int64" for c in self.labels})

    def carried(self) -> pd.DataFrame:
        """The shape of `by_year()`: True where the estimate dates from an earlier year."""
        grid = self._grid("carried")
        return grid.fillna({c: False for c in self.labels}).astype(
            {c: bool for c in self.labels}) if len(grid) else grid

    def _grid(self, value: str) -> pd.DataFrame:
        labels = list(self.labels)
        grid = pd.DataFrame(index=list(self.years), columns=labels, dtype=object)
        if not self.cells.empty:
            cells = self.cells.assign(column=self.cells.entity.map(self.label))
            grid = cells.pivot(index="year", columns="column", values=value) \
                .reindex(index=list(self.years), columns=labels)
        out = grid.rename_axis(index="year", columns=None).reset_index()
        return out.astype({"year": int})

    def change(self, first: int, last: int) -> pd.DataFrame:
        """A row a series: its estimate in `first` and `last`, the change and the change
        in percent.

        Series with neither value are left out; a change needs both, so it is
        empty where one is missing (a nation that joined or left, a mission that
        ended), never counted from 0.
        """
        if first == last:
            raise ValueError("the change between two years needs two different years")
        entities = list(self.names)
        values = self.cells.pivot(index="entity", columns="year", values="estimate") \
            .reindex(index=entities) if not self.cells.empty else pd.DataFrame(index=entities)
        empty = pd.Series(pd.NA, index=values.index, dtype="Int64")
        a = values[first].astype("Int64") if first in values else empty
        b = values[last].astype("Int64") if last in values else empty
        change = (b - a).astype("Int64")
        pct = (change.astype("Float64") / a.astype("Float64") * 100).round(1)
        out = pd.DataFrame({self.kind: entities, "name": [self.names[e] for e in entities],
                            str(first): a.to_numpy(), str(last): b.to_numpy(),
                            "change": change.to_numpy(),
                            "change_pct": pct.astype(float).to_numpy()})
        out = out.astype({str(first): "Int64", str(last): "Int64", "change": "Int64"})
        return out[(a.notna() | b.notna()).to_numpy()].reset_index(drop=True)

    def cell(self, entity: str, year: int) -> dict | None:
        """One cell as a record (its estimate, range, date and sources), or None."""
        hit = self.cells[(self.cells.entity == entity) & (self.cells.year == year)]
        return None if hit.empty else hit.iloc[0].to_dict()


def reading_day(year: int, started: pd.Timestamp, ended: pd.Timestamp | None,
                now: dt.date | pd.Timestamp) -> pd.Timestamp | None:
    """The day a year is read on: 31 December, the mission's last day in the year it
    ended, `now` in its own year; None when the mission did not run that year.

    >>> reading_day(1996, pd.Timestamp("1995-12-20"), pd.Timestamp("1996-12-20"),
    ...             dt.date(2025, 12, 31)).date()
    datetime.date(1996, 12, 20)
    >>> reading_day(1998, pd.Timestamp("1999-06-12"), None, dt.date(2025, 12, 31)) is None
    True
    """
    day = min(pd.Timestamp(year, 12, 31), pd.Timestamp(now))
    if ended is not None and pd.notna(ended):
        day = min(day, pd.Timestamp(ended))
    return None if day < max(pd.Timestamp(year, 1, 1), pd.Timestamp(started)) else day


def _missions(ds: Dataset, f: Filters) -> pd.DataFrame:
    """The missions under the filters, a line of succession together, oldest first."""
    m = ds.missions
    if f.missions:
        m = m[m.mission_id.isin(f.missions)]
    if f.hosts:
        m = m[m.host_country.isin(f.hosts)]
    lines = query.lineage(ds)
    return m.assign(_line=m.mission_id.map(lines)).sort_values(
        ["_line", "started_start"], kind="stable")


def _years(missions: pd.DataFrame, f: Filters, now: dt.date) -> list[int]:
    """Years from the filter's start (else the first mission's) to `now`, each one a
    year at least one of `missions` ran in."""
    if missions.empty:
        return []
    first = f.start.year if f.start else missions.started_start.min().year
    return [y for y in range(first, now.year + 1)
            if any(reading_day(y, m.started_start, m.ended_end, now) is not None
                   for m in missions.itertuples())]


def _plan(missions: pd.DataFrame, years: list[int], now: dt.date) -> pd.DataFrame:
    """(year, mission_id, day): the day each mission's year is read on."""
    plan = [(year, m.mission_id, day) for m in missions.itertuples() for year in years
            if (day := reading_day(year, m.started_start, m.ended_end, now)) is not None]
    return pd.DataFrame(plan, columns=["year", "mission_id", "day"])


def _read(series: pd.DataFrame, plan: pd.DataFrame, *, newest: bool,
          window: pd.Timedelta | None) -> pd.DataFrame:
    """Each series' estimate on the reading day of every (year, mission) of `plan`.

    The rule of `estimate.at` (each series' latest 'level' period begun by the
    day; with `newest`, held periods too) for every day at once: `estimate.at`
    answers one date and costs a tenth of a second a call, thirty years of a
    table several seconds. tests/test_tables.py checks the two agree.
    """
    wanted = (estimate.LEVEL, estimate.HELD) if newest else (estimate.LEVEL,)
    rows = series[series.status.isin(wanted)].reset_index(drop=True)
    rows = rows.assign(_order=range(len(rows)))  # series() sorts each series oldest first
    joined = plan.merge(rows, on="mission_id")
    joined = joined[joined.start <= joined.day]
    if joined.empty:
        return pd.DataFrame(columns=[c for c in CELL_COLUMNS if c not in ("entity", "name")])
    latest = joined.sort_values("_order", kind="stable").groupby(
        ["year", "mission_id", "contributor"], sort=False).tail(1)
    if window is not None:
        latest = latest[latest.date >= latest.day - window]
    return pd.DataFrame({
        "year": latest.year, "read_on": latest.day.dt.date, "mission_id": latest.mission_id,
        "contributor": latest.contributor, "estimate": latest.value.round(),
        "low": latest.low, "high": latest.high, "qualifier": latest.qualifier,
        "as_of": latest.label, "carried": latest.date.dt.year < latest.year,
        "n_sources": latest.n_sources, "source_ids": latest.source_ids,
        "period": latest.period})


def _cells(read: pd.DataFrame, entity: str, names: dict[str, str]) -> pd.DataFrame:
    cells = read.reset_index(drop=True)
    cells.insert(4, "entity", cells[entity])
    cells.insert(5, "name", cells.entity.map(names))
    return cells.astype({"year": int, "estimate": "Int64", "low": "Int64", "high": "Int64",
                         "n_sources": "Int64", "carried": bool})[CELL_COLUMNS] \
        .sort_values(["entity", "year"], kind="stable").reset_index(drop=True)


def mission_table(ds: Dataset, f: Filters, now: dt.date) -> YearTable:
    """Every mission under the mission and host filters, year by year up to `now`.

    The contributor filter does not narrow it: a mission's strength is the same
    whoever one looks at (as everywhere in the dashboard).
    """
    missions = _missions(ds, f)
    years = _years(missions, f, now)
    series = query.estimates(ds, Filters(missions=f.missions, hosts=f.hosts), totals=True)
    plan = _plan(missions, years, now)
    rows = _read(series, plan, newest=False, window=None)
    running = missions[missions.mission_id.isin(plan.mission_id)]  # in some year shown
    names = dict(zip(running.mission_id, running.name))
    return YearTable(MISSION, _cells(rows, "mission_id", names), tuple(years), names)


def nation_table(ds: Dataset, f: Filters, mission_id: str, now: dt.date) -> YearTable:
    """Each nation's contingent in one mission, year by year up to `now`, under the
    host and contributor filters; nations with the largest contingent in the last
    year first."""
    missions = ds.missions[ds.missions.mission_id == mission_id]
    if missions.empty:
        raise ValueError(f"no mission '{mission_id}' in the record")
    scope = Filters(missions=(mission_id,), hosts=f.hosts, contributors=f.contributors)
    missions = _missions(ds, scope)
    years = _years(missions, f, now)
    series = query.estimates(ds, scope, totals=False)
    rows = _read(series, _plan(missions, years, now), newest=True, window=NATION_WINDOW)
    country = query.country_names(ds)
    # Today's largest contingents first, then those that have left, largest first.
    peak = rows.groupby("contributor").estimate.max()
    latest = rows[rows.year == max(years, default=0)].set_index("contributor").estimate
    order = sorted(peak.index, key=lambda c: (-latest.get(c, -1), -peak[c], country.get(c, c)))
    names = {c: country.get(c, c) for c in order}
    return YearTable(NATION, _cells(rows, "contributor", names), tuple(years), names,
                     mission_id=mission_id)


def contingent_missions(ds: Dataset, f: Filters) -> list[str]:
    """Missions under the filters with any national figure, most nations first."""
    missions = _missions(ds, f)
    t = ds.troops[(ds.troops.contributor != "ALL") & ds.troops.mission_id.isin(
        missions.mission_id)]
    counts = t.groupby("mission_id").contributor.nunique()
    return sorted(counts.index, key=lambda m: (-counts[m], m))


def figures_behind(ds: Dataset, table: YearTable) -> pd.DataFrame:
    """Every troop figure of the periods the cells were read from, with its source:
    the table's "full data", as the Troops page's is every figure behind its chart.

    A cell's range (low to high) spans these figures; its estimate rests on
    the best-ranked of them (`source_ids`).
    """
    if table.cells.empty:
        return query.troops(ds, Filters()).iloc[0:0]
    used = table.cells[["mission_id", "contributor", "period"]].drop_duplicates()
    figures = query.in_area(query.troops(ds, Filters(missions=tuple(used.mission_id.unique())),
                                         apply_dates=False))
    figures = figures.assign(period=figures.as_of.map(dates.period_key))
    return figures.merge(used, on=["mission_id", "contributor", "period"]) \
        .drop(columns=["period"]).reset_index(drop=True)


def cell_sources(ds: Dataset, cell: dict) -> pd.DataFrame:
    """The sources a cell's estimate rests on, best-ranked first, with title, outlet and URL."""
    ids = [s for s in str(cell.get("source_ids") or "").split(", ") if s]
    found = ds.sources.set_index("source_id").reindex(ids).dropna(how="all")
    return found.reset_index()[["source_id", "outlet", "published", "title", "url"]]


def describe_cell(table: YearTable, cell: dict) -> str:
    """A cell in one sentence: what it is, which day it was read on, how old its
    figures are, their range and how many sources gave them (plain text)."""
    read_on = pd.Timestamp(cell["read_on"])
    where = f"{cell['name']} in {table.mission_id}" if table.kind == NATION else cell["entity"]
    when = "31 Dec" if (read_on.month, read_on.day) == (12, 31) else f"{read_on:%-d %b}"
    line = (f"{where}, {cell['year']}: {cell['estimate']:,} — the best estimate on "
            f"{when} {read_on.year}, from figures of {cell['as_of']}")
    if cell["carried"]:
        line += f" (no figure in {cell['year']} changed it)"
    spread = "" if cell["low"] == cell["high"] else \
        f"; the figures of that period range from {cell['low']:,} to {cell['high']:,}"
    sources = int(cell["n_sources"])
    return f"{line}{spread}; {sources} source{'s' if sources != 1 else ''}."
