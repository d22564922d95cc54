"""What keeps a page fast, checked on the real pages in AppTest (how fast is measured by
bench/bench_pages.py, never here): a rerun does not copy and convert its cached charts
again, and a filter change that leaves a chart's data as it was neither builds the chart
again nor sends the browser a different one; the collection Streamlit runs after each run
skips what the imports made."""
import datetime as dt
import functools
import gc
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.testing.v1 import AppTest

from presence.view import charts

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")


def troops_page() -> AppTest:
    st.cache_resource.clear()  # no chart kept from another test
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(str(ROOT / "pages" / "troops.py"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def specs(at: AppTest) -> dict[str, str]:
    return {chart.proto.id: chart.proto.spec for chart in at.get("plotly_chart")}


def test_a_rerun_sends_the_kept_chart_without_copying_the_figure(monkeypatch):
    at = troops_page()
    before = specs(at)
    copies = []
    real = go.Figure.to_dict

    def counted(fig):
        copies.append(type(fig).__name__)
        return real(fig)

    monkeypatch.setattr(go.Figure, "to_dict", counted)
    at.run()
    assert not at.exception
    assert copies == []  # Plotly's own deep copy of the figure was not made
    after = specs(at)
    assert after.keys() == before.keys() and len(after) == 2  # the heat map's tab is closed
    for key, spec in after.items():
        assert json.loads(spec) == json.loads(before[key])


def test_a_chart_whose_data_did_not_change_is_not_built_again(monkeypatch):
    built = []

    def counting(build):
        @functools.wraps(build)
        def wrapper(*args, **kwargs):
            built.append(build.__name__)
            return build(*args, **kwargs)
        return wrapper

    for name in ("strength_over_time", "contingents_over_time", "contingents_heatmap"):
        monkeypatch.setattr(charts, name, counting(getattr(charts, name)))
    at = troops_page()
    assert sorted(built) == ["contingents_over_time", "strength_over_time"]
    before = specs(at)
    # The end of the date range moves to yesterday: a new filter state (a new view)
    # whose figures are the same, as no figure is dated after the newest in the record.
    start, _ = at.slider(key="f_dates").value
    at.slider(key="f_dates").set_value((start, dt.date.today() - dt.timedelta(days=1)))
    at.run()
    assert not at.exception
    assert at.query_params["to"]  # the filter did change
    assert len(built) == 2  # none built again
    assert specs(at) == before  # the browser gets the very same charts: nothing to redraw


def test_a_chart_whose_data_changed_is_built_again():
    at = troops_page()
    before = specs(at)
    at.slider(key="f_dates").set_value((dt.date(2005, 1, 1), dt.date(2010, 12, 31)))
    at.run()
    assert not at.exception
    after = specs(at)
    assert len(after) == 2 and all(after[key] != before.get(key) for key in after)


def test_the_heat_map_is_built_and_sent_only_when_its_tab_is_open(monkeypatch):
    built = []
    real = charts.contingents_heatmap

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "contingents_heatmap", counting)
    at = troops_page()
    assert not built and not [key for key in specs(at) if key.endswith("troops_heatmap")]
    at.session_state["troops_nation_tab"] = "All nations, every snapshot"  # a reader opens it
    at.run()
    assert not at.exception
    drawn = [key for key in specs(at) if key.endswith("-troops_heatmap")]
    assert built == [1] and len(drawn) == 1
    assert not [key for key in specs(at) if key.endswith("-troops_nations")]
    # an embed of the heat map draws it, whichever tab a session has open
    st.cache_resource.clear()
    embed = AppTest.from_file(APP, default_timeout=120)
    embed.query_params["chart"] = "troops_heatmap"
    embed.run()
    embed.switch_page(str(ROOT / "pages" / "troops.py"))
    embed.run()
    assert not embed.exception
    assert [key for key in specs(embed) if key.endswith("-troops_heatmap")]


def test_a_large_record_opens_without_a_point_a_figure(monkeypatch):
    """Past charts.POINTS_DRAWN_MAX figures the Troops page starts with "Show every
    reported figure" off and says why; the shipped record (below it) draws them all."""
    at = troops_page()
    assert at.toggle(key="troops_raw").value is True
    assert not [c for c in at.caption if "too many to draw" in c.value]
    monkeypatch.setattr(charts, "POINTS_DRAWN_MAX", 100)  # the shipped record is "large"
    at = troops_page()
    assert at.toggle(key="troops_raw").value is False
    note = next(c.value for c in at.caption if "too many to draw" in c.value)
    assert "troop figures" in note and "Show every reported figure" in note
    figures = [t for spec in specs(at).values() for t in json.loads(spec)["data"]
               if t.get("name", "").endswith(" figures")]
    assert figures == []  # neither chart draws a point a figure
    at.toggle(key="troops_raw").set_value(True)
    at.run()
    assert not at.exception
    assert [t for spec in specs(at).values() for t in json.loads(spec)["data"]
            if t.get("name", "").endswith(" figures")]


def test_what_the_imports_made_is_left_out_of_the_collections_after_each_run():
    troops_page()
    # Streamlit collects garbage after every run of a page (runner.postScriptGC): the
    # modules, classes and functions of the imports are not walked again each time.
    assert gc.get_freeze_count() > 50_000


def test_moving_the_dates_a_day_leaves_the_map_as_it_was():
    """The maps' dated titles are written above them, so a day's move of the dates that
    leaves what the map shows as it was sends the very same figure (the browser keeps
    its map and WebGL context) under the new date."""
    st.cache_resource.clear()
    for page in ("overview", "map"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["to"] = "2024-06-20"
        at.run()
        if page != "overview":
            at.switch_page(str(ROOT / "pages" / f"{page}.py"))
            at.run()
        assert not at.exception, [e.message for e in at.exception]
        before = specs(at)
        heading = [m.value for m in at.markdown if m.value.startswith("**Foreign troops")]
        at.slider(key="f_dates").set_value((at.slider(key="f_dates").value[0],
                                            dt.date(2024, 6, 19)))
        at.run()
        assert not at.exception
        maps = [key for key in specs(at) if key.endswith(("-overview_map", "-map_main"))]
        assert len(maps) == 1 and specs(at)[maps[0]] == before[maps[0]]
        assert specs(at) == before  # the Map page's bars too (their dated title is above them)
        assert not json.loads(specs(at)[maps[0]])["layout"].get("title", {}).get("text")
        now = [m.value for m in at.markdown if m.value.startswith("**Foreign troops")]
        assert heading and now and heading != now and "19 Jun 2024" in now[0]


def test_a_charts_key_changes_with_any_cell_and_only_then():
    """data.figure finds a chart by a key made from its frames: equal frames give one
    key; a changed cell, a missing value where the text 'nan' was, a renamed column or
    another type each give another, in short frames and in long ones."""
    from presence.app import data

    for rows in (3, data.REPR_DIGEST_ROWS + 5):
        frame = pd.DataFrame({"nation": pd.array(["ITA", "nan", "DEU"] * (rows // 3 + 1),
                                                 dtype="string[pyarrow]")[:rows],
                              "value": range(rows),
                              "date": pd.date_range("2020-01-01", periods=rows),
                              "note": pd.Series(["a", None, 1.5] * (rows // 3 + 1),
                                                dtype=object)[:rows]})
        key = data._content(frame)
        assert data._content(frame.copy()) == key
        changed = [frame.assign(value=frame.value.where(frame.index != 1, 99)),
                   frame.assign(nation=frame.nation.where(frame.index != 1, None)),
                   frame.assign(note=frame.note.where(frame.index != 1, "None")),
                   frame.iloc[1:].reset_index(drop=True),
                   frame.rename(columns={"value": "troops"}),
                   frame.assign(value=frame.value.astype(float)),
                   frame.iloc[::-1].reset_index(drop=True),
                   frame.set_index(frame.index + 1)]
        assert len({key, *(data._content(other) for other in changed)}) == len(changed) + 1
