"""The year tables (presence/view/tables.py) and the Tables page.

A cell must say what the rest of the dashboard says on that day: the Overview's
headline (query.strength_at) for a mission, the Map's contingents
(query.contingents_at) for a nation. A record small enough to know by heart
(written into a copy of data/) checks the reading rule, the empty cells and the
change; the page runs through dashboard.py with Streamlit's AppTest.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from presence.record.dataset import load_dataset
from presence.view import export, query, tables
from presence.view.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")


@pytest.fixture(scope="module")
def now(ds):
    return query.latest_date(ds).day


# --- the shipped record: the tables agree with the pages' own answers --------------------

def test_a_mission_cell_is_the_overview_headline_at_the_end_of_its_year(ds, now):
    table = tables.mission_table(ds, Filters(), now)
    assert table.years[0] == ds.missions.started_start.min().year and table.years[-1] == now.year
    compared = 0
    for year in table.years:
        day = min(dt.date(year, 12, 31), now)
        for r in query.strength_at(ds, day, Filters()).itertuples():
            cell = table.cell(r.mission_id, year)
            if r.value is None or pd.isna(r.value):
                assert cell is None, (r.mission_id, year)
            else:
                assert cell is not None and cell["estimate"] == r.value, (r.mission_id, year)
                assert cell["source_ids"] == r.source_ids
                compared += 1
    assert compared > 50


def test_a_mission_that_ended_is_read_on_its_last_day(ds, now):
    table = tables.mission_table(ds, Filters(), now)
    for m in ds.missions.dropna(subset=["ended_end"]).itertuples():
        cell = table.cell(m.mission_id, m.ended_end.year)
        headline = query.strength_at(ds, m.ended_end, Filters(missions=(m.mission_id,)))
        assert cell is not None and cell["read_on"] == m.ended_end.date()
        assert cell["estimate"] == headline.value.iloc[0]
        assert table.cell(m.mission_id, m.ended_end.year + 1) is None


@pytest.mark.parametrize("mission_id", ["KFOR", "EUFOR-ALTHEA", "SFOR"])
def test_a_nation_cell_is_the_maps_contingent_at_the_end_of_its_year(ds, now, mission_id):
    table = tables.nation_table(ds, Filters(), mission_id, now)
    assert table.names, mission_id
    for year in table.years:
        day = table.cells[table.cells.year == year].read_on
        if day.empty:
            continue
        expected = query.contingents_at(ds, day.iloc[0], Filters(missions=(mission_id,)))
        got = table.cells[table.cells.year == year]
        assert dict(zip(got.contributor, got.estimate)) == \
            dict(zip(expected.contributor, expected.value)), year


def test_missing_cells_are_empty_never_zero(ds, now):
    table = tables.mission_table(ds, Filters(), now)
    grid = table.by_year().set_index("year")
    assert (grid.fillna(-1) != 0).all().all()
    kfor_start = ds.missions.set_index("mission_id").started_start["KFOR"].year
    assert grid.loc[:kfor_start - 1, "KFOR"].isna().all()
    nations = tables.nation_table(ds, Filters(), "KFOR", now).by_year()
    assert nations.drop(columns="year").isna().any().any()
    assert (nations.drop(columns="year").fillna(-1) != 0).all().all()


def test_filters_narrow_the_tables(ds, now):
    bosnia = tables.mission_table(ds, Filters(hosts=("BIH",)), now)
    assert set(bosnia.names) == set(ds.missions[ds.missions.host_country == "BIH"].mission_id)
    recent = tables.mission_table(ds, Filters(start=dt.date(2010, 3, 1), end=dt.date(2020, 6, 30)),
                                  dt.date(2020, 6, 30))
    assert recent.years == tuple(range(2010, 2021))
    assert set(recent.names) == {"KFOR", "EUFOR-ALTHEA"}
    assert recent.cell("KFOR", 2020)["read_on"] == dt.date(2020, 6, 30)
    italy = tables.nation_table(ds, Filters(contributors=("ITA",)), "KFOR", now)
    assert list(italy.names) == ["ITA"]
    assert not tables.nation_table(ds, Filters(hosts=("BIH",)), "KFOR", now).names
    assert tables.contingent_missions(ds, Filters(hosts=("XKX",))) == ["KFOR"]


def test_the_change_is_the_last_year_minus_the_first(ds, now):
    table = tables.nation_table(ds, Filters(), "KFOR", now)
    change = table.change(2017, 2024)
    assert list(change.columns) == ["nation", "name", "2017", "2024", "change", "change_pct"]
    both = change.dropna(subset=["2017", "2024"])
    assert len(both) >= 3
    for r in both.itertuples(index=False):
        a, b = r[2], r[3]
        assert r.change == b - a and r.change_pct == pytest.approx(round((b - a) / a * 100, 1))
    one = change[change["2017"].isna() | change["2024"].isna()]
    assert one.change.isna().all() and one.change_pct.isna().all()
    assert not (change["2017"].isna() & change["2024"].isna()).any()
    with pytest.raises(ValueError, match="two different years"):
        table.change(2017, 2017)


def test_figures_behind_are_every_figure_of_each_cells_period(ds, now):
    table = tables.mission_table(ds, Filters(), now)
    behind = tables.figures_behind(ds, table)
    for cell in table.cells.itertuples():
        mine = behind[(behind.mission_id == cell.mission_id)
                      & (behind.contributor == cell.contributor)
                      & (behind.as_of.str[:7] == cell.period)]
        trusted = mine[mine.flag.fillna("") != "doubtful"]
        assert set(cell.source_ids.split(", ")) <= set(mine.source_id)
        assert (trusted.value.min(), trusted.value.max()) == (cell.low, cell.high)
    source = tables.cell_sources(ds, table.cells.iloc[0].to_dict())
    assert list(source.source_id) == table.cells.iloc[0].source_ids.split(", ")
    assert source.url.str.startswith("http").all()


def test_the_csv_is_plain_and_keeps_empty_cells_empty(ds, now):
    table = tables.mission_table(ds, Filters(), now)
    data = export.csv_bytes(table.by_year())
    assert data.decode("utf-8").splitlines()[0] == "year," + ",".join(table.labels)
    back = pd.read_csv(io.BytesIO(data))
    assert list(back.year) == list(table.years)
    grid = table.by_year()
    for label in table.labels:
        assert back[label].isna().tolist() == grid[label].isna().tolist()
        assert back[label].dropna().astype(int).tolist() == grid[label].dropna().tolist()
    cells = pd.read_csv(io.BytesIO(export.csv_bytes(table.cells)))
    assert len(cells) == len(table.cells) and "source_ids" in cells


def test_the_workbook_holds_the_table_and_the_figures_behind_it(ds, now):
    table = tables.nation_table(ds, Filters(), "KFOR", now)
    behind = tables.figures_behind(ds, table)
    caption = export.Caption("KFOR contingents by nation, end of each year", "no filters",
                             query.data_date(behind), export.caption_sources(behind))
    book = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(behind, caption, ds.sources,
                                                                table.by_year())))
    shown = list(book["displayed"].values)
    assert list(shown[0]) == ["year", *table.labels]
    assert len(shown) == len(table.years) + 1
    assert book["data"].max_row == len(behind) + 1
    assert set(r[0] for r in list(book["sources"].values)[1:]) == set(behind.source_id)


def test_a_cell_says_when_it_was_read_and_how_old_its_figures_are(ds, now):
    table = tables.mission_table(ds, Filters(), now)
    carried = table.cells[table.cells.carried].iloc[0].to_dict()
    line = tables.describe_cell(table, carried)
    assert line.startswith(f"{carried['entity']}, {carried['year']}: {carried['estimate']:,}")
    assert f"31 Dec {carried['year']}" in line and carried["as_of"] in line
    assert f"no figure in {carried['year']} changed it" in line


# --- a record small enough to know by heart ----------------------------------------------

def _write_troops(data: Path, rows: list[dict]) -> None:
    path = data / "troops.csv"
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({"host_country": "XKX", "qualifier": "exact", **row})


@pytest.fixture
def small(data_copy):
    """KFOR alone: 40,000 and 42,000 in June 2000 from two press sources, 38,000 in March
    2002 (and a 'wider' 60,000 that counts troops abroad); Italy 5,000 in 2001 and 3,000
    in May 2004."""
    sources = pd.read_csv(data_copy / "sources.csv")
    a, b = sources[sources.kind == "article"].source_id.tolist()[:2]  # press, equal rank
    _write_troops(data_copy, [
        {"mission_id": "KFOR", "contributor": "ALL", "as_of": "2000-06", "value": 40000,
         "source_id": a},
        {"mission_id": "KFOR", "contributor": "ALL", "as_of": "2000-06-20", "value": 42000,
         "source_id": b},
        {"mission_id": "KFOR", "contributor": "ALL", "as_of": "2002-03", "value": 38000,
         "source_id": a},
        {"mission_id": "KFOR", "contributor": "ALL", "as_of": "2002-03", "value": 60000,
         "source_id": b, "scope": "wider"},
        {"mission_id": "KFOR", "contributor": "ITA", "as_of": "2001", "value": 5000,
         "source_id": a},
        {"mission_id": "KFOR", "contributor": "ITA", "as_of": "2004-05", "value": 3000,
         "source_id": b},
    ])
    return load_dataset(data_copy), a, b


def test_the_reading_rule_on_a_known_record(small):
    ds, a, b = small
    table = tables.mission_table(ds, Filters(missions=("KFOR",)), dt.date(2005, 12, 31))
    grid = table.by_year().set_index("year")["KFOR"]
    assert table.years == tuple(range(1999, 2006))
    assert pd.isna(grid[1999])  # KFOR ran, nobody counted it
    assert grid[2000] == 41000  # the median of the two June figures
    assert grid[2001] == 41000 and table.cell("KFOR", 2001)["carried"]
    assert grid[2002] == 38000  # the 'wider' 60,000 counts something else
    assert list(grid.loc[2003:]) == [38000] * 3
    june = table.cell("KFOR", 2000)
    assert (june["low"], june["high"], june["n_sources"]) == (40000, 42000, 2)
    assert set(june["source_ids"].split(", ")) == {a, b} and not june["carried"]
    change = table.change(2000, 2002)
    assert change.change.tolist() == [-3000] and change.change_pct.tolist() == [-7.3]
    assert set(tables.figures_behind(ds, table).value) == {40000, 42000, 38000}


def test_a_nation_older_than_two_years_drops_out(small):
    ds, _, _ = small
    table = tables.nation_table(ds, Filters(), "KFOR", dt.date(2007, 6, 30))
    grid = table.by_year().set_index("year")["Italy"]
    assert pd.isna(grid[2000])
    assert grid[2001] == 5000 and grid[2002] == 5000
    assert pd.isna(grid[2003])  # "2001" (drawn at mid-2001) is over two years before 2003's end
    assert grid[2004] == 3000
    assert grid[2005] == 3000 and table.cell("ITA", 2005)["carried"]
    assert pd.isna(grid[2006]) and pd.isna(grid[2007])  # May 2004 is over two years old
    assert table.cell("ITA", 2007) is None


# --- the page ----------------------------------------------------------------------------

def run_page(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():  # the sidebar reads the filters on a first run
        at.query_params[key] = value
    at.run()
    for key, value in (params or {}).items():  # and the page its own keys when it opens
        at.query_params[key] = value
    at.switch_page(str(ROOT / "pages/tables.py"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_page_shows_both_tables_and_the_change(ds, now):
    at = run_page()
    assert at.title[0].value == "Tables"
    assert "end of the year" in at.caption[0].value and "yearly mean" in at.caption[0].value
    first, last = at.selectbox(key="tables_from").value, at.selectbox(key="tables_to").value
    assert (first, last) == (now.year - 10, now.year)
    expected = tables.mission_table(ds, Filters(), now)
    change, by_year = at.dataframe[0].value, at.dataframe[1].value
    assert change[str(last)].tolist() == expected.change(first, last)[str(last)].tolist()
    assert list(by_year.columns) == ["year", *expected.labels]
    assert len(by_year) == len(expected.years)
    assert at.selectbox(key="tables_mission").value == "KFOR"
    assert at.query_params["compare"] in (f"{first}-{last}", [f"{first}-{last}"])


def test_a_link_chooses_the_years_and_the_mission():
    at = run_page({"compare": "2008-2012", "contingents": "EUFOR-ALTHEA"})
    assert at.selectbox(key="tables_from").value == 2008
    assert at.selectbox(key="tables_to").value == 2012
    assert at.selectbox(key="tables_mission").value == "EUFOR-ALTHEA"
    assert at.query_params["contingents"] in ("EUFOR-ALTHEA", ["EUFOR-ALTHEA"])


def test_a_chosen_cell_shows_the_sources_it_rests_on(ds, now):
    at = run_page()
    table = tables.mission_table(ds, Filters(), now)
    year = table.cells[table.cells.entity == "KFOR"].year.iloc[-1]
    row = list(table.years).index(year)
    at.session_state["tables_missions_years"] = {
        "selection": {"rows": [], "columns": [], "cells": [(row, "KFOR")]}}
    at.run()
    assert not at.exception
    cell = table.cell("KFOR", year)
    shown = [m.value for m in at.markdown if m.value.startswith(f"KFOR, {year}:")]
    assert shown, [m.value[:80] for m in at.markdown]
    for source_id in cell["source_ids"].split(", "):
        assert f"(/sources?source={source_id})" in shown[0]


def test_the_same_year_twice_asks_for_two_years():
    at = run_page()
    at.selectbox(key="tables_to").set_value(at.selectbox(key="tables_from").value).run()
    assert not at.exception
    assert any("two different years" in i.value for i in at.info)


def test_filters_that_leave_no_mission_say_so():
    at = run_page({"host": "SRB"})
    assert any("No mission ran" in i.value for i in at.info)
