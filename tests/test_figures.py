"""Figure builders: pure functions, called without Streamlit."""
import json

import pandas as pd

from presence import charts, maps, query
from presence.filters import Filters


def test_strength_chart_has_a_line_per_mission_and_sources_in_hover(ds):
    tot = query.troops(ds, Filters(), totals=True)
    fig = charts.strength_over_time(tot, query.events(ds, Filters()))
    lines = [t.name for t in fig.data if t.mode == "lines"]
    assert lines == ["KFOR", "IFOR", "SFOR", "EUFOR-ALTHEA"]
    points = [t for t in fig.data if t.name == "KFOR figures"][0]
    assert len(points.x) == len(tot[(tot.mission_id == "KFOR") & ~tot.wider])
    assert "Source: " in points.hovertext[0]
    assert any(t.name.startswith("event: ") for t in fig.data)


def test_strength_chart_log_scale_and_empty():
    empty = charts.strength_over_time(pd.DataFrame())
    assert "No troop figures" in empty.layout.annotations[0].text


def test_lines_break_over_long_gaps():
    dates = pd.to_datetime(["2000-01-01", "2001-01-01", "2010-01-01"])
    xs, ys = charts._broken(pd.Series(dates), pd.Series([3, 2, 1]))
    assert ys == [3, 2, None, 1]


def test_contingents_split_by_host_lineage(ds):
    c = query.troops(ds, Filters(), totals=False)
    fig = charts.contingents_over_time(c, top=5)
    titles = [a.text for a in fig.layout.annotations]
    assert "KFOR" in titles and "IFOR → SFOR → EUFOR-ALTHEA" in titles
    marker_traces = [t for t in fig.data if t.mode == "markers"]
    assert len(marker_traces) <= 10
    heat = charts.contingents_heatmap(c)
    assert heat.data[0].type == "heatmap"
    assert len(heat.data[0].y) == c.contributor_name.nunique()


def test_budget_chart_never_mixes_currencies(ds):
    b = query.budgets(ds, Filters())
    fig = charts.budgets_chart(b, "reported")
    panels = {a.text for a in fig.layout.annotations}
    assert panels == {f"Millions of {c}" for c in b.currency.unique()}
    eur = charts.budgets_chart(b, "EUR")
    assert [a.text for a in eur.layout.annotations] == ["Millions of EUR"]
    shown = sum(len(t.x) for t in eur.data if t.mode == "markers")
    assert shown == b.amount_eur.notna().sum()
    assert eur.layout.yaxis.type == "linear"
    assert charts.budgets_chart(b, "EUR", log=True).layout.yaxis.type == "log"


def test_seven_states_compare_in_one_currency(ds):
    """The Budgets page's promise: seven states over fifteen years in one currency."""
    b = query.budgets(ds, Filters())
    eur = b[b.amount_eur.notna()]
    for code in query.BUDGET_STATES:
        years = set(eur[eur.country == code].year)
        assert len(years & set(range(2010, 2026))) >= 10, (code, sorted(years))


def test_map_is_offline(ds):
    when = "2025-06-01"
    fig = maps.presence_map(query.host_presence_at(ds, when, Filters()),
                            query.sites(ds, Filters(), when),
                            query.contingents_at(ds, when, Filters()), title="t")
    types = {t.type for t in fig.data}
    assert types <= {"choroplethmap", "scattermap"}
    style = fig.layout.map.style
    assert style["sources"] == {} and "glyphs" not in style and "sprite" not in style
    blob = json.dumps(fig.to_plotly_json(), default=str)
    assert "http" not in blob.replace("http://www.w3.org", "")


def test_map_geojson_has_hosts_and_sites(ds):
    when = "2025-06-01"
    presence = query.host_presence_at(ds, when, Filters())
    site_rows = query.sites(ds, Filters(), when)
    gj = maps.presence_geojson(presence, site_rows, when)
    kinds = [f["geometry"]["type"] for f in gj["features"]]
    assert kinds.count("Point") == len(site_rows) > 0
    kosovo = [f for f in gj["features"] if f["properties"].get("iso_a3") == "XKX"][0]
    assert kosovo["properties"]["foreign_troops"] == presence.set_index("iso_a3").loc["XKX", "troops"]
