"""Figure builders: pure functions, called without Streamlit."""
import datetime as dt
import json

import pandas as pd

from presence.view import charts, maps, query
from presence.view.filters import Filters


def test_strength_chart_has_a_line_per_mission_and_sources_in_hover(ds):
    tot = query.troops(ds, Filters(), totals=True)
    fig = charts.strength_over_time(tot, query.events(ds, Filters()))
    lines = [t.name for t in fig.data if t.mode == "lines"]
    assert lines == ["KFOR", "IFOR", "SFOR", "EUFOR-ALTHEA"]
    # the figures are drawn a trace a symbol (exact, about, up to, ...), each point with
    # its own hover text naming the source
    points = [t for t in fig.data if t.name == "KFOR figures"]
    assert sum(len(t.x) for t in points) == len(tot[(tot.mission_id == "KFOR") & ~tot.wider])
    assert all(len(t.hovertext) == len(t.x) and isinstance(t.marker.symbol, str)
               for t in points)
    assert all("Source: " in text for t in points for text in t.hovertext)
    assert any(t.name.startswith("event: ") for t in fig.data)


def test_change_markers_are_moves_of_the_estimate(ds):
    """Each triangle on the Troops chart is a confirmed move of the best estimate,
    and every such move has its triangle; raw figures can be switched off."""
    tot = query.troops(ds, Filters(), totals=True)
    est = query.estimates(ds, Filters(), totals=True)
    fig = charts.strength_over_time(tot, estimates=est)
    marks = [t for t in fig.data if t.name and t.name.startswith("confirmed change")]
    moved = est[est.alert != ""]
    assert len(marks) == 1 and len(marks[0].x) == len(moved) > 0
    for x, y in zip(marks[0].x, marks[0].y):
        row = moved[(moved.date == pd.Timestamp(x)) & (moved.value == y)]
        assert len(row) == 1
        level = est[(est.mission_id == row.mission_id.iloc[0]) & (est.date < row.date.iloc[0])
                    & (est.status == "level")].value.iloc[-1]
        assert abs(y - level) / level * 100 >= query.ALERT_SHARE
    # far fewer than the moves between consecutive raw figures
    raw_moves = 0
    for _, rows in query.in_area(tot).groupby("mission_id"):
        by_date = rows.groupby("date").value.min()
        raw_moves += int((by_date.pct_change().abs() * 100 >= query.ALERT_SHARE).sum())
    assert len(moved) < raw_moves
    line = next(t for t in fig.data if t.mode == "lines" and t.name == "KFOR")
    kfor = est[(est.mission_id == "KFOR") & (est.status == "level")]
    assert [y for y in line.y if y is not None] == list(kfor.value)
    hidden = charts.strength_over_time(tot, estimates=est, raw=False)
    assert not [t for t in hidden.data if t.name and t.name.endswith(" figures")]


def test_figures_are_drawn_inside_their_period_and_the_mission_life(ds):
    tot = query.troops(ds, Filters(), totals=True)
    fig = charts.strength_over_time(tot)
    life = ds.missions.set_index("mission_id").started_start
    for trace in fig.data:
        if trace.name and trace.name.endswith(" figures"):
            mission = trace.name.removesuffix(" figures")
            assert min(pd.Timestamp(x) for x in trace.x) >= life[mission]
    year_only = tot[tot.precision == "year"]
    assert not year_only.empty
    assert (year_only.shown_at > year_only.as_of_start).all()
    assert (year_only.shown_at <= year_only.as_of_end).all()


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
    # five nations a panel (a nation's figures are a trace a symbol)
    assert len({(t.yaxis, t.legendgroup) for t in marker_traces}) <= 10
    heat = charts.contingents_heatmap(c)
    assert heat.data[0].type == "heatmap"
    assert len(heat.data[0].y) == c.contributor_name.nunique()


def test_nations_with_equal_peaks_are_drawn_in_the_order_of_their_codes(ds):
    """Of the nations tied at the last place drawn, the chart and the page (which asks
    for the drawn nations' estimates only) take the same one, whatever the rows' order."""
    c = query.troops(ds, Filters(missions=("KFOR",), end=dt.date(2013, 3, 3)), totals=False)
    peaks = c.groupby("contributor").value.max().sort_values(ascending=False)
    tied = sorted(peaks[peaks == peaks.iloc[9]].index)
    assert len(tied) > 1 and len(peaks[peaks > peaks.iloc[9]]) == 9  # 480 each, in 2013
    drawn = charts.largest_nations(c)
    assert tied[0] in drawn and not set(tied[1:]) & set(drawn)
    for rows in (c, c.iloc[::-1]):
        assert charts.largest_nations(rows) == drawn
        fig = charts.contingents_over_time(rows)
        assert {t.legendgroup for t in fig.data if t.legendgroup} == set(drawn)


def test_nation_lines_are_their_best_estimates(ds):
    f = Filters(missions=("KFOR",), contributors=("ITA",))
    est = query.estimates(ds, f, totals=False)
    fig = charts.contingents_over_time(query.troops(ds, f, totals=False), estimates=est)
    line = next(t for t in fig.data if t.mode == "lines" and t.legendgroup == "ITA")
    level = est[(est.contributor == "ITA") & (est.status == "level")]
    assert [y for y in line.y if y is not None] == list(level.value)


def test_without_the_figures_the_nation_lines_carry_legend_and_hover(ds):
    """'Show every reported figure' off: no point a figure; each nation keeps its legend
    entry (on its line), and a marker at each of its estimates gives the hover, naming
    the nation, as the mission lines do."""
    f = Filters(missions=("KFOR",))
    conts = query.troops(ds, f, totals=False)
    est = query.estimates(ds, f, totals=False)
    with_points = charts.contingents_over_time(conts, estimates=est)
    without = charts.contingents_over_time(conts, estimates=est, raw=False)

    def legend(fig):
        return sorted(t.name for t in fig.data if t.showlegend)

    assert legend(without) == legend(with_points) != []
    marks = [t for t in without.data if t.mode == "markers"]
    assert marks and all(t.name.endswith(" estimate") for t in marks)
    first = marks[0]
    level = est[(est.contributor == first.legendgroup) & (est.status == "level")]
    assert list(first.y) == list(level.value)
    name = level.contributor_name.iloc[0]
    assert all(f"<b>KFOR</b> · {name} best estimate" in h and "source" in h
               for h in first.hovertext)
    assert len(first.customdata) == len(first.x)


def test_a_nation_keeps_its_colour_whatever_the_filter(ds):
    colours = charts.nation_colours(query.nation_order(ds))

    def drawn(f):
        fig = charts.contingents_over_time(query.troops(ds, f, totals=False), colours=colours)
        return {t.legendgroup: t.marker.color for t in fig.data if t.mode == "markers"}

    everyone = drawn(Filters())
    few = drawn(Filters(contributors=("GBR", "USA", "ROU")))
    bosnia = drawn(Filters(missions=("EUFOR-ALTHEA",)))
    assert {"GBR", "USA"} <= set(few)
    for code, colour in few.items():
        assert everyone.get(code, colour) == colour == colours[code]
    for code, colour in bosnia.items():
        assert colour == colours[code]
    assert len(set(colours.values())) == min(len(colours), len(charts.NATION_PALETTE))


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


def test_map_colour_scale_is_the_same_every_year(ds):
    """Kosovo's 50,000 of 1999 and its 4,500 of 2025 on one scale: the colour
    bar's range does not change with the year, and the shade follows strength."""
    top = query.presence_scale(ds, Filters())
    shades, ranges = {}, set()
    for when in ("1999-12-31", "2008-12-31", "2025-06-01"):
        presence = query.host_presence_at(ds, when, Filters())
        fig = maps.presence_map(presence, query.sites(ds, Filters(), when),
                                query.contingents_at(ds, when, Filters()), title=when,
                                scale_max=top)
        hosts = next(t for t in fig.data if t.name == "host countries")
        ranges.add((hosts.zmin, hosts.zmax, tuple(hosts.colorbar.tickvals)))
        shades[when] = dict(zip(hosts.locations, hosts.z))["XKX"]
    assert len(ranges) == 1
    assert shades["1999-12-31"] > shades["2008-12-31"] > shades["2025-06-01"]
    series = query.estimates(ds, Filters())
    assert top == series[series.status == "level"].high.max()


def test_map_takes_any_date_and_says_when_it_moves_one(ds):
    end = query.latest_date(ds).day
    inside = query.map_position(ds, Filters(), end, "1999-07-01")
    assert inside.at == "1999-07-01" and inside.note is None and "1999-07-01" in inside.steps
    assert inside.steps == sorted(inside.steps)
    assert query.map_label("1999-07-01") == "1 Jul 1999"
    later = query.map_position(ds, Filters(), end, "2031-01-01")
    assert later.at == later.steps[-1] and "outside" in later.note
    bad = query.map_position(ds, Filters(), end, "July")
    assert bad.at == bad.steps[-1] and "not a date" in bad.note


def test_contingent_coverage_says_what_share_the_nations_make(ds):
    when = query.latest_date(ds).day
    conts = query.contingents_at(ds, when, Filters())
    cover = {c.mission_id: c for c in query.contingent_coverage(ds, when, Filters(), conts)}
    strength = query.strength_at(ds, when, Filters()).set_index("mission_id")
    for mission_id, c in cover.items():
        rows = conts[conts.mission_id == mission_id]
        assert (c.nations, c.troops) == (rows.contributor.nunique(), rows.value.sum())
        assert c.total == strength.loc[mission_id, "value"]
    text = query.describe_coverage(list(cover.values()))
    assert all(f"{c.troops:,} of about {c.total:,}" in text for c in cover.values())


def test_text_from_the_record_is_never_markup_in_hover(ds):
    """A source title or outlet written as HTML shows as text: Plotly would read <a href>
    in hover text as a live link."""
    hostile = '<a href="http://evil.example">click</a>'
    tot = query.troops(ds, Filters(), totals=True).assign(source_title=hostile,
                                                          outlet=hostile)
    events = query.events(ds, Filters()).assign(title=hostile, outlet=hostile)
    fig = charts.strength_over_time(tot, events)
    texts = [h for t in fig.data if t.hovertext is not None for h in t.hovertext]
    assert texts and not any("<a " in h for h in texts)
    assert any("&lt;a href" in h for h in texts)
