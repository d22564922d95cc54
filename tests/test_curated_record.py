"""The published record: sources resolve, rows are whole, the seed article is in."""
from presence import query
from presence.filters import Filters

SEED = "alfapress-2025-03-10-rutte-visit"


def test_every_source_is_citable(ds):
    s = ds.sources
    for col in ("url", "title", "outlet", "language"):
        assert (s[col].str.len() > 0).all(), col
    living = {"factsheet", "encyclopedia", "official", "dataset"}
    undated = s[s.published.isna() | (s.published == "")]
    assert set(undated.kind) <= living


def test_every_figure_names_a_known_source(ds):
    known = set(ds.sources.source_id)
    for table in ("troops", "budgets", "events", "sites", "missions", "rates"):
        assert set(ds.tables[table].source_id) <= known, table


def test_seed_article_figures(ds):
    t = ds.troops[ds.troops.source_id == SEED]
    got = {(r.mission_id, r.contributor, r.value, r.qualifier) for r in t.itertuples()}
    assert got == {("KFOR", "ALL", 4600, "approx"), ("KFOR", "USA", 600, "exact"),
                   ("EUFOR-ALTHEA", "ALL", 1000, "approx")}
    b = ds.budgets[ds.budgets.source_id == SEED].set_index("year")
    assert b.loc[2025, "amount"] == 207_800_000 and b.loc[2025, "currency"] == "EUR"
    assert b.loc[2024, "amount"] == 153_800_000 and "derived" in b.loc[2024, "note"].lower()
    e = ds.events[ds.events.source_id == SEED]
    assert set(e.date) == {"2025-03-07", "2025-03-10", "2025-03-11"}


def test_missions_and_lineage(ds):
    assert query.lineage(ds)["EUFOR-ALTHEA"] == "IFOR → SFOR → EUFOR-ALTHEA"
    m = ds.missions.set_index("mission_id")
    assert m.loc["SFOR", "ended"] == m.loc["EUFOR-ALTHEA", "started"]


def test_sites_have_sourced_coordinates(ds):
    assert len(ds.sites) >= 10
    assert ds.sites[["lat", "lon"]].notna().all().all()
    assert {"KFOR", "EUFOR-ALTHEA"} <= set(ds.sites.mission_id)


def test_kfor_series_spans_the_mission(ds):
    kfor = query.troops(ds, Filters(missions=("KFOR",)), totals=True)
    years = set(kfor.date.dt.year)
    assert min(years) == 1999 and max(years) >= 2025
    assert len(years) >= 20
