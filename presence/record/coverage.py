"""What the curated record covers and where its gaps are, computed from data/.

Written to data/COVERAGE.md by `presence coverage`; a test regenerates it and
fails when the checked-in file no longer matches the data.
"""
from __future__ import annotations

import pandas as pd

from presence.record.dataset import DEFAULT_DATA_DIR, Dataset, load_schema
from presence.view.query import BUDGET_STATES, country_names

BUDGET_YEARS = range(2010, 2026)
SNAPSHOT_MIN_NATIONS = 5


def _years(frame: pd.DataFrame, column: str = "as_of_start") -> set[int]:
    return set(frame[column].dt.year)


def _spans(years: list[int]) -> str:
    """[1999, 2000, 2001, 2004] -> '1999–2001, 2004'."""
    if not years:
        return "none"
    years = sorted(years)
    out, start, prev = [], years[0], years[0]
    for y in years[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(out)


def missions_table(ds: Dataset, until: int) -> pd.DataFrame:
    rows = []
    for m in ds.missions.itertuples():
        first = m.started_start.year
        last = (m.ended_end.year if pd.notna(m.ended_end) else until)
        t = ds.troops[ds.troops.mission_id == m.mission_id]
        tot = t[t.contributor == "ALL"]
        nations = t[t.contributor != "ALL"]
        covered = _years(tot)
        snapshots = nations.groupby("as_of").contributor.nunique()
        rows.append({
            "mission": m.mission_id, "life": f"{m.started} – {m.ended or 'now'}",
            "total figures": len(tot), "sources": tot.source_id.nunique(),
            "years with a total": _spans(sorted(covered)),
            "years without": _spans([y for y in range(first, last + 1) if y not in covered]),
            "nation figures": len(nations), "nations": nations.contributor.nunique(),
            f"snapshots (≥{SNAPSHOT_MIN_NATIONS} nations)":
                ", ".join(snapshots[snapshots >= SNAPSHOT_MIN_NATIONS].index) or "none",
        })
    return pd.DataFrame(rows)


def budget_measures(ds: Dataset) -> list[str]:
    """The measures as the schema lists them, so a new measure gets its column here."""
    schema = load_schema(ds.directory or DEFAULT_DATA_DIR)
    return schema["tables"]["budgets"]["columns"]["measure"]["values"]


def budgets_table(ds: Dataset) -> pd.DataFrame:
    names = country_names(ds)
    rows = []
    others = sorted(set(ds.budgets.country) - set(BUDGET_STATES))
    for code in BUDGET_STATES + others:
        b = ds.budgets[ds.budgets.country == code]
        row = {"country": names.get(code, code), "figures": len(b),
               "sources": b.source_id.nunique()}
        for measure in budget_measures(ds):
            years = sorted(set(b[b.measure == measure].year))
            row[measure] = _spans(years)
        have = set(b.year)
        row["2010–2025 missing"] = _spans([y for y in BUDGET_YEARS if y not in have])
        rows.append(row)
    return pd.DataFrame(rows)


def rates_table(ds: Dataset) -> pd.DataFrame:
    needed = set(ds.budgets.currency) - {"USD"}
    rows = []
    for cur in sorted(needed | set(ds.rates.currency)):
        r = ds.rates[ds.rates.currency == cur]
        used = sorted(set(ds.budgets[ds.budgets.currency == cur].year))
        rows.append({"currency": cur, "years with a rate": _spans(sorted(set(r.year))),
                     "budget years lacking a rate": _spans([y for y in used
                                                            if y not in set(r.year)])})
    return pd.DataFrame(rows)


def other_table(ds: Dataset) -> pd.DataFrame:
    ev = ds.events
    return pd.DataFrame([
        {"table": "events", "rows": len(ev), "sources": ev.source_id.nunique(),
         "spread": _spans(sorted(_years(ev, "date_start")))},
        {"table": "sites", "rows": len(ds.sites), "sources": ds.sites.source_id.nunique(),
         "spread": ", ".join(f"{m}: {n}" for m, n in
                             ds.sites.mission_id.value_counts().sort_index().items())},
        {"table": "sources", "rows": len(ds.sources), "sources": len(ds.sources),
         "spread": ", ".join(f"{k}: {n}" for k, n in
                             ds.sources.language.value_counts().items())},
    ])


def checks_table(ds: Dataset) -> pd.DataFrame:
    """What each consistency check found (presence validate fails on any but outliers)."""
    from presence.record.checks import OUTLIER_FACTOR, outliers, run_checks

    rows = [{"check": name, "found": len(found)} for name, found in run_checks(ds).items()]
    rows.append({"check": f"mission totals over {OUTLIER_FACTOR}× away from both neighbours "
                          "(listed for review by `presence validate --outliers`)",
                 "found": len(outliers(ds))})
    if "quality" in ds.sources.columns:
        quality = ds.troops.source_id.map(ds.sources.set_index("source_id").quality)
        for grade in ("mirror", None):
            n = int(quality.isna().sum()) if grade is None else int((quality == grade).sum())
            what = ("troop figures whose source is a mirror (a repost or copy of a secondary text)"
                    if grade else "troop figures whose source's quality is not yet assessed")
            rows.append({"check": what, "found": f"{n} of {len(quality)} ({n / len(quality):.1%})"})
    return pd.DataFrame(rows)


def _md(frame: pd.DataFrame) -> str:
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "/") for v in row) + " |")
    return "\n".join(lines)


def newest_year(ds: Dataset) -> int:
    return int(ds.troops.as_of_start.dt.year.max())


def report(ds: Dataset) -> str:
    """The coverage report as Markdown: a pure function of the data.

    Open missions are counted to the newest year any troop figure refers to,
    so the report changes when the data does, not when the calendar does.
    """
    until = newest_year(ds)
    return "\n".join([
        "# Coverage of the curated record",
        "",
        f"Generated by `presence coverage` from data/ (open missions counted to {until}, "
        "the newest year of any troop figure). Do not edit by hand.",
        "",
        "## Troops", "", _md(missions_table(ds, until)), "",
        "## Defence budgets", "", _md(budgets_table(ds)), "",
        "## Exchange rates", "", _md(rates_table(ds)), "",
        "## Events, sites, sources", "", _md(other_table(ds)), "",
        "## Checks", "", _md(checks_table(ds)), "",
    ])
