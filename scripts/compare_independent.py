"""The record's KFOR and EUFOR strength against what the missions' own organisations said, as JSON.

    python scripts/compare_independent.py [--data DIR]

Issue 12 asks that coverage against an independent table of published figures rise, and
that every disagreement with it be explained by definition or date in the row's note. The
table below is that yardstick: the force totals NATO stated for KFOR (placemats, NATO
Update, the JFC Naples pages, NATO's reports to the UN Security Council) and the EU, EUFOR
and contributing governments stated for EUFOR-ALTHEA, each with the address it was read at.
It is written out here rather than read from data/, so the comparison does not grade the
record against itself: a statement counts whether or not the record holds it.

Each statement is compared with the record's best estimate for the period it falls in (the
month, as the estimate rule groups figures; see presence.view.estimate), not with the raw
rows: the question is whether a reader of the dashboard is told what the organisation said.

- matched: the estimate agrees within the statement's own precision (3% for a stated
  number, 10% for "about", the right side of a bound);
- disagreeing: there is an estimate and it does not agree; the record's rows of that
  period are listed with their notes, which should say why (a wider count, another date);
- missing: the record has no estimate for that period.

Statements that count the whole theatre (troops in neighbouring countries included) are
held against the record's figures marked scope=wider of the same period, since those never
set the estimate. Prints JSON; exit status 0 always (a yardstick, not a gate).
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

import pandas as pd

from presence.record import dates
from presence.record.dataset import Dataset, load_dataset
from presence.view import query
from presence.view.filters import Filters


@dataclass(frozen=True)
class Statement:
    mission: str
    as_of: str
    value: int
    qualifier: str  # exact, approx, lower, upper: how the organisation put it
    scope: str      # area, or wider (the whole theatre)
    said_by: str
    url: str


NATO_UN = "NATO report to the UN Security Council"
TABLE = (
    Statement("KFOR", "1999-06", 50000, "approx", "area", "KFOR history page (JFC Naples)",
              "https://jfcnaples.nato.int/kfor/about-us/history"),
    Statement("KFOR", "1999-09-08", 41000, "exact", "area", "NATO Update",
              "https://www.nato.int/docu/update/1999/0908e.htm"),
    Statement("KFOR", "1999-09-29", 49000, "approx", "wider", "NATO Update",
              "https://www.nato.int/docu/update/1999/0929e.htm"),
    Statement("KFOR", "2000-02", 45000, "approx", "wider", NATO_UN + ", 24 Jan-22 Feb 2000",
              "https://reliefweb.int/report/serbia/monthly-report-united-nations-operations-kosovo-force"),
    Statement("KFOR", "2000-08", 44800, "approx", "wider", NATO_UN + ", 23 Jul-22 Aug 2000",
              "https://reliefweb.int/report/serbia/monthly-report-united-nations-operation-kosovo-force-23-jul-22-aug-2000"),
    Statement("KFOR", "2002-12", 28000, "upper", "area", NATO_UN + ", December 2002",
              "https://reliefweb.int/report/serbia/kosovo-monthly-report-un-kfor-operations-s2003130"),
    Statement("KFOR", "2003-06", 26000, "exact", "area", "KFOR history page (JFC Naples)",
              "https://jfcnaples.nato.int/kfor/about-us/history"),
    Statement("KFOR", "2003-12", 17500, "exact", "area", "KFOR history page (JFC Naples)",
              "https://jfcnaples.nato.int/kfor/about-us/history"),
    Statement("KFOR", "2006-05-31", 16130, "exact", "area", NATO_UN + ", May 2006 (read in a blog copy)",
              "http://serbo.blogspot.com/2006/07/unsc-letter-from-secretary-general-to.html"),
    Statement("KFOR", "2006-11-27", 17512, "exact", "area", NATO_UN + ", November 2006 (UN parallel-text copy)",
              "https://wenqiao.top/browse/un/part0873"),
    Statement("KFOR", "2008-06-30", 15413, "exact", "area", NATO_UN + ", June 2008 (S/2008/600)",
              "https://reliefweb.int/report/serbia/kosovo-letter-dated-10-sep-2008-un-sg-president-un-sc-monthly-report-kfor-operations"),
    Statement("KFOR", "2008-07-31", 14409, "exact", "area", NATO_UN + ", July 2008 (S/2008/638)",
              "https://reliefweb.int/report/serbia/kosovo-letter-dated-2-oct-2008-un-sg-president-un-sc-monthly-report-kfor-operations"),
    Statement("KFOR", "2013-02", 6000, "upper", "area", "JFC Naples KFOR page (archived 18 Feb 2013)",
              "https://webarchive.library.unt.edu/web/20130218105321/http:/www.jfcnaples.nato.int/operations_kfor.aspx"),
    Statement("KFOR", "2016-03-31", 4600, "approx", "area", NATO_UN + ", Jan-Mar 2016 (S/2016/459)",
              "http://www.derechos.org/nizkor/europa/kosovo/kfor1.html"),
    Statement("KFOR", "2016-06-30", 4600, "approx", "area", NATO_UN + ", Apr-Jun 2016",
              "https://www.derechos.org/nizkor/europa/kosovo/kfor5.html"),
    Statement("KFOR", "2017-02", 4273, "exact", "area", "NATO KFOR placemat (docslib copy)",
              "https://docslib.org/doc/4697084/kosovo-force-kfor-kosovo-force-kfor"),
    Statement("KFOR", "2017-06-15", 4200, "approx", "area", NATO_UN + ", 2017",
              "https://www.derechos.org/nizkor/europa/kosovo/kosovo99.html"),
    Statement("KFOR", "2017-11-15", 4000, "lower", "area", "JFC Naples (Admiral Foggo's blog)",
              "https://www.jfcnaples.nato.int/newsroom/news/2017/kfor-xxii-in-command-natos-enduring-commitment-in-kosovo"),
    Statement("KFOR", "2020-12-31", 3500, "approx", "area", NATO_UN + ", Oct-Dec 2020",
              "https://docslib.org/doc/5704848/security-council-distr-general-8-march-2021"),
    Statement("KFOR", "2025-02", 4686, "exact", "area", "NATO's KFOR figures as listed with Bild's report (Balkan View)",
              "https://balkanview.com/u-s-troop-withdrawal-from-kosovo-possible-after-potential-putin-trump-deal-on-ukraine-report/"),
    Statement("KFOR", "2025-04-25", 4686, "approx", "area", "NATO KFOR placemat as shown by Republika",
              "https://nizelige.republika.rs/vesti/politika/651187/koliko-ima-vojnika-kfor-na-kosovu"),
    Statement("EUFOR-ALTHEA", "2004-12-02", 7000, "exact", "area", "NATO Update (SFOR handed over to EUFOR)",
              "http://www.nato.int/docu/update/2004/12-december/e1202a.htm"),
    Statement("EUFOR-ALTHEA", "2008-09", 2500, "exact", "area", "EU factsheet, EUFOR Althea update 11",
              "http://www.docstoc.com/docs/114372336/080929-Althea-update-11_EN"),
    Statement("EUFOR-ALTHEA", "2010-04", 2000, "approx", "area", "EU factsheet, April 2010",
              "https://docslib.org/doc/3808808/operation-eufor-althea-updated-april-2010-althea-21"),
    Statement("EUFOR-ALTHEA", "2013-11-18", 700, "exact", "area", "Luxembourg Army",
              "https://armee.gouvernement.lu/fr/actualites.gouvernement%2Bfr%2Bactualites%2Btoutes_actualites%2Bcommuniques%2B2013%2B11-novembre%2B18-armee.html"),
    Statement("EUFOR-ALTHEA", "2017-03-28", 800, "approx", "area", "Austrian defence ministry (OTS)",
              "http://www.ots.at/presseaussendung/OTS_20170328_OTS0186/neuer-kommandant-der-eufor-truppe-in-bosnien-und-herzegowina"),
    Statement("EUFOR-ALTHEA", "2017-12-07", 600, "exact", "area", "Hungarian defence ministry",
              "https://honvedelem.hu/hirek/general-tibor-benko-visited-hq-eufor.html"),
    Statement("EUFOR-ALTHEA", "2018-03-28", 630, "exact", "area", "Austrian Armed Forces",
              "https://www.bundesheer.at/cms/artikel.php?ID=9403"),
    Statement("EUFOR-ALTHEA", "2022-02-24", 600, "exact", "area", "EUFOR statement of 24 Feb 2022 (as quoted by Military Leak)",
              "https://militaryleak.com/2022/02/27/european-union-force-eufor-sends-500-troops-to-bosnia-and-herzegovina-amid-russias-ukraine-invasion/"),
    Statement("EUFOR-ALTHEA", "2025-03-09", 1500, "approx", "area", "EUFOR statement of 9 Mar 2025 (as reported by UNN)",
              "https://unn.ua/en/news/the-eu-mission-increases-military-presence-in-bosnia-and-herzegovina"),
)

# How far an estimate may sit from a statement and still agree with it: the statement's
# own precision, not ours.
TOLERANCE = {"exact": 0.03, "approx": 0.10}


def agrees(stated: Statement, value: float) -> bool:
    if stated.qualifier == "lower":
        return value >= stated.value * (1 - TOLERANCE["exact"])
    if stated.qualifier == "upper":
        return value <= stated.value * (1 + TOLERANCE["exact"])
    return abs(value - stated.value) <= stated.value * TOLERANCE[stated.qualifier]


def _rows_of_period(ds: Dataset, stated: Statement) -> pd.DataFrame:
    """The record's mission totals that fall in the statement's estimate period."""
    t = ds.troops
    key = dates.period_key(stated.as_of)
    return t[(t.mission_id == stated.mission) & (t.contributor == "ALL")
             & (t.as_of.map(dates.period_key) == key)]


def _row_list(rows: pd.DataFrame) -> list[dict]:
    return [{"as_of": r.as_of, "value": int(r.value), "qualifier": r.qualifier,
             "scope": r.scope if isinstance(r.scope, str) else "area", "source_id": r.source_id,
             "note": r.note if isinstance(r.note, str) else ""} for r in rows.itertuples()]


def judge(ds: Dataset, estimates: pd.DataFrame, stated: Statement) -> tuple[str, dict]:
    """matched, disagreeing or missing, with what the record says for that period."""
    rows = _rows_of_period(ds, stated)
    wider = rows.scope.fillna("") == "wider"
    out = {"mission": stated.mission, "as_of": stated.as_of, "value": stated.value,
           "qualifier": stated.qualifier, "scope": stated.scope, "said_by": stated.said_by,
           "url": stated.url}
    if stated.scope == "wider":
        held = rows[wider]
        if held.empty:
            return "missing", out
        values = [int(v) for v in held.value]
        out["record"] = {"wider_figures": values}
        if any(agrees(stated, v) for v in values):
            return "matched", out
        out["record_rows"] = _row_list(rows)
        return "disagreeing", out
    key = dates.period_key(stated.as_of)
    est = estimates[(estimates.mission_id == stated.mission) & (estimates.period == key)]
    if est.empty:
        return "missing", out
    e = est.iloc[0]
    out["record"] = {"estimate": float(e.value), "low": int(e.low), "high": int(e.high),
                     "sources": e.source_ids}
    if agrees(stated, float(e.value)):
        return "matched", out
    out["record_rows"] = _row_list(rows)
    return "disagreeing", out


def compare(data: str) -> dict:
    ds = load_dataset(data)
    missions = tuple(sorted({s.mission for s in TABLE}))
    estimates = query.estimates(ds, Filters(missions=missions), totals=True)
    estimates = estimates[estimates.contributor == "ALL"]
    result: dict = {"table": len(TABLE), "matched": [], "disagreeing": [], "missing": []}
    for stated in TABLE:
        verdict, detail = judge(ds, estimates, stated)
        result[verdict].append(detail)
    result["counts"] = {k: len(result[k]) for k in ("matched", "disagreeing", "missing")}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data")
    parser.add_argument("--counts", action="store_true", help="print only the counts")
    args = parser.parse_args()
    result = compare(args.data)
    print(json.dumps(result["counts"] if args.counts else result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
