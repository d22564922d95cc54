"""Turn the dataset and the filters into tidy frames for charts, maps and tables.

Pages ask here and nowhere else, so every view answers the same question the
same way. A figure is what a source reported on a date: when two sources give
different values for the same date, both rows come through (and `low`/`high`
say how far apart they are); nothing is averaged.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .dataset import Dataset
from .filters import Filters

SOURCE_COLS = ["source_id", "outlet", "title", "url", "published"]
SOURCE_RENAME = {"published": "source_published", "title": "source_title"}
REGION = ["SVN", "HRV", "BIH", "SRB", "XKX", "MNE", "ALB", "MKD"]
# The seven states whose defence budgets the record covers (Slovenia is on the map only).
BUDGET_STATES = [c for c in REGION if c != "SVN"]
CONTINGENT_WINDOW = pd.Timedelta(days=730)


def _ts(day: dt.date | pd.Timestamp | None) -> pd.Timestamp | None:
    return None if day is None else pd.Timestamp(day)


def country_names(ds: Dataset) -> dict[str, str]:
    return dict(zip(ds.countries["code"], ds.countries["name"]))


def lineage(ds: Dataset) -> dict[str, str]:
    """Mission -> the name of its line of succession (IFOR -> SFOR -> EUFOR Althea)."""
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
    t = ds.troops
    if f.missions:
        t = t[t.mission_id.isin(f.missions)]
    if f.hosts:
        t = t[t.host_country.isin(f.hosts)]
    if totals is True:
        t = t[t.contributor == "ALL"]
    elif totals is False:
        t = t[t.contributor != "ALL"]
    if f.contributors and totals is not True:
        t = t[(t.contributor == "ALL") | t.contributor.isin(f.contributors)]
    if apply_dates and f.start:
        t = t[t.as_of_end >= _ts(f.start)]
    if apply_dates and f.end:
        t = t[t.as_of_start <= _ts(f.end)]
    names = country_names(ds)
    missions = ds.missions.set_index("mission_id")
    out = t.assign(
        date=t.as_of_start,
        mission=t.mission_id.map(missions["name"]),
        lineage=t.mission_id.map(lineage(ds)),
        contributor_name=t.contributor.map(lambda c: "All nations" if c == "ALL"
                                           else names.get(c, c)),
        host_name=t.host_country.map(names),
    )
    out["wider"] = out.scope.fillna("").eq("wider")
    return _with_sources(out, ds).sort_values(["mission_id", "date", "contributor", "value"]) \
        .reset_index(drop=True)


def in_area(t: pd.DataFrame) -> pd.DataFrame:
    """Rows that count the force in its area of operations (not the 'wider' ones:
    troops in neighbouring staging areas or reserves outside the country)."""
    return t[~t.wider] if "wider" in t else t


def map_steps(ds: Dataset, f: Filters, end: dt.date) -> list[str]:
    """Dates a map can show: the last day of every year in range, then `end` itself."""
    first = f.start or ds.missions.started_start.min().date()
    steps = [f"{y}-12-31" for y in range(first.year, end.year) if dt.date(y, 12, 31) >= first]
    return steps + [end.isoformat()]


def active_missions(ds: Dataset, when: pd.Timestamp, f: Filters) -> pd.DataFrame:
    m = ds.missions
    alive = (m.started_start <= when) & (m.ended_end.isna() | (m.ended_end >= when))
    m = m[alive]
    if f.missions:
        m = m[m.mission_id.isin(f.missions)]
    if f.hosts:
        m = m[m.host_country.isin(f.hosts)]
    return m


def strength_at(ds: Dataset, when: dt.date | pd.Timestamp, f: Filters) -> pd.DataFrame:
    """Each active mission's latest reported total on or before `when`.

    One row a mission: value range (low/high) over the sources that reported
    on that latest date, the previous different figure, and the change.
    """
    when = pd.Timestamp(when)
    rows = []
    tot = in_area(troops(ds, f, totals=True, apply_dates=False))
    for m in active_missions(ds, when, f).itertuples():
        hist = tot[(tot.mission_id == m.mission_id) & (tot.date <= when)]
        if hist.empty:
            rows.append({"mission_id": m.mission_id, "mission": m.name,
                         "host_country": m.host_country, "date": pd.NaT, "low": None,
                         "high": None, "n_sources": 0})
            continue
        latest_date = hist.date.max()
        latest = hist[hist.date == latest_date]
        earlier = hist[hist.date < latest_date]
        prev = earlier[earlier.date == earlier.date.max()] if not earlier.empty else earlier
        low, high = int(latest.value.min()), int(latest.value.max())
        first = latest.sort_values("value").iloc[0]
        row = {
            "mission_id": m.mission_id, "mission": m.name, "host_country": m.host_country,
            "date": latest_date, "low": low, "high": high, "qualifier": first.qualifier,
            "n_sources": latest.source_id.nunique(),
            "source_ids": ", ".join(latest.source_id.unique()),
            "outlets": ", ".join(latest.outlet.unique()),
            "source_url": first.url,
        }
        if not prev.empty:
            prev_low = int(prev.value.min())
            row.update(prev_date=prev.date.iloc[0], prev_value=prev_low,
                       change=low - prev_low)
        rows.append(row)
    return pd.DataFrame(rows)


def contingents_at(ds: Dataset, when: dt.date | pd.Timestamp, f: Filters,
                   window: pd.Timedelta = CONTINGENT_WINDOW) -> pd.DataFrame:
    """Each nation's latest contingent on or before `when`, if not older than `window`.

    A nation's figure from years before says nothing about today, so old rows
    drop out instead of standing in for the present.
    """
    when = pd.Timestamp(when)
    active = set(active_missions(ds, when, f).mission_id)
    t = in_area(troops(ds, f, totals=False, apply_dates=False))
    t = t[t.mission_id.isin(active) & (t.date <= when) & (t.date >= when - window)]
    if t.empty:
        return t
    latest = t.groupby(["mission_id", "contributor"]).date.transform("max")
    t = t[t.date == latest]
    return t.sort_values("value", ascending=False).reset_index(drop=True)


def figures_at(ds: Dataset, when: dt.date | pd.Timestamp, f: Filters) -> pd.DataFrame:
    """The troop rows a map at `when` is drawn from: latest totals and contingents."""
    when = pd.Timestamp(when)
    active = set(active_missions(ds, when, f).mission_id)
    tot = in_area(troops(ds, f, totals=True, apply_dates=False))
    tot = tot[tot.mission_id.isin(active) & (tot.date <= when)]
    tot = tot[tot.date == tot.groupby("mission_id").date.transform("max")]
    return pd.concat([tot, contingents_at(ds, when, f)], ignore_index=True)


def host_presence_at(ds: Dataset, when: dt.date | pd.Timestamp, f: Filters) -> pd.DataFrame:
    """Foreign troops present in each region country at `when` (0 where none reported)."""
    s = strength_at(ds, when, f)
    s = s.dropna(subset=["low"]) if not s.empty else s
    names = country_names(ds)
    rows = []
    for code in REGION:
        here = s[s.host_country == code] if not s.empty else s
        rows.append({
            "iso_a3": code, "name": names.get(code, code),
            "troops": int(here.low.sum()) if not here.empty else 0,
            "troops_high": int(here.high.sum()) if not here.empty else 0,
            "missions": ", ".join(here.mission_id) if not here.empty else "",
            "as_of": ", ".join(d.date().isoformat() for d in here.date) if not here.empty else "",
        })
    return pd.DataFrame(rows)


ALERT_SHARE = 10.0  # percent: a move this large against the previous figure is flagged


def recent_changes(ds: Dataset, f: Filters, until: dt.date | pd.Timestamp | None = None,
                   limit: int | None = 10, *, totals: bool | None = True,
                   threshold: float = ALERT_SHARE) -> pd.DataFrame:
    """Changes between consecutive reported figures of one mission (and one nation),
    newest first, with the source of the newer figure.

    `alert` is 'reinforcement' or 'drawdown' where the move is at least
    `threshold` percent of the previous figure, so a curator's accepted figure
    that shifts strength shows up as a change, not only as a new point.
    """
    tot = in_area(troops(ds, f, totals=totals))
    if until is not None:
        tot = tot[tot.date <= pd.Timestamp(until)]
    rows = []
    for (mission_id, contributor), hist in tot.groupby(["mission_id", "contributor"]):
        by_date = hist.groupby("date").agg(value=("value", "min"), source_id=("source_id", "first"),
                                           outlet=("outlet", "first"), url=("url", "first"),
                                           qualifier=("qualifier", "first")).reset_index()
        by_date["previous"] = by_date.value.shift()
        by_date["previous_date"] = by_date.date.shift()
        by_date = by_date.dropna(subset=["previous"])
        by_date = by_date[by_date.value != by_date.previous]
        for r in by_date.itertuples():
            pct = (r.value - r.previous) / r.previous * 100
            alert = ("reinforcement" if pct >= threshold else
                     "drawdown" if pct <= -threshold else "")
            rows.append({"date": r.date, "mission_id": mission_id, "contributor": contributor,
                         "from": int(r.previous), "to": int(r.value),
                         "change": int(r.value - r.previous), "pct": pct, "alert": alert,
                         "previous_date": r.previous_date, "source_id": r.source_id,
                         "outlet": r.outlet, "url": r.url})
    out = pd.DataFrame(rows, columns=["date", "mission_id", "contributor", "from", "to",
                                      "change", "pct", "alert", "previous_date", "source_id",
                                      "outlet", "url"])
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
    return _with_sources(s, ds).reset_index(drop=True)


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
    counts = {}
    for table in ("troops", "budgets", "events", "sites", "missions", "rates"):
        counts[table] = ds.tables[table].groupby("source_id").size()
    out = ds.sources.copy()
    for table, c in counts.items():
        out[table] = out.source_id.map(c).fillna(0).astype(int)
    out["figures"] = out[list(counts)].sum(axis=1)
    if search:
        out = out[out.title.str.contains(search, case=False, regex=False)
                  | out.outlet.str.contains(search, case=False, regex=False)]
    return out.sort_values(["published", "source_id"], ascending=[False, True]) \
        .reset_index(drop=True)


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
