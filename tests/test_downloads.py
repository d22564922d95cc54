"""Data downloads under a chart: what it draws, every figure behind it, and the workbook."""
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from presence.app import widgets
from presence.view import charts, export, query
from presence.view.filters import Filters

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
TROOPS_PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "troops.py")


@pytest.fixture(scope="module")
def kfor(ds):
    f = Filters(missions=("KFOR",))
    totals = query.troops(ds, f, totals=True)
    best = query.estimates(ds, f, totals=True)
    caption = export.Caption(title="KFOR strength", filters=f.describe(),
                             data_date=query.data_date(totals),
                             sources=export.caption_sources(totals))
    fig = charts.strength_over_time(totals, estimates=best)
    return fig, totals, best, caption


def plotted(fig, name):
    (trace,) = [t for t in fig.data if t.name == name]
    return trace


def test_displayed_csv_is_one_row_per_plotted_estimate_point(kfor, tmp_path):
    fig, _, best, _ = kfor
    path = tmp_path / "troops-strength-displayed.csv"
    path.write_bytes(export.csv_bytes(export.displayed(best)))
    loaded = pd.read_csv(path)  # no options
    assert list(loaded.columns) == export.DISPLAYED_COLUMNS
    points = plotted(fig, "KFOR estimate")
    assert len(loaded) == len(points.x) > 20
    assert loaded.date.tolist() == [pd.Timestamp(x).strftime("%Y-%m-%d") for x in points.x]
    assert loaded.estimate.tolist() == pytest.approx(list(points.y))
    assert (loaded.entity == "KFOR").all() and (loaded.low <= loaded.estimate).all() \
        and (loaded.estimate <= loaded.high).all() and (loaded.n_sources >= 1).all()
    # a held period (an unconfirmed jump) is not drawn, so it is not in the file
    assert (best.status != "level").any() and len(loaded) < len(best)


def test_displayed_contingents_name_the_nation(ds):
    f = Filters(missions=("KFOR",), contributors=("ITA", "USA"))
    shown = export.displayed(query.estimates(ds, f, totals=False))
    assert set(shown.entity) == {"Italy", "United States"}
    assert (shown.mission_id == "KFOR").all()
    empty = export.displayed(query.estimates(ds, Filters(contributors=("ZZZ",)), totals=False))
    assert empty.empty and list(empty.columns) == export.DISPLAYED_COLUMNS


def test_workbook_has_dates_links_frozen_header_and_filters(kfor, ds):
    _, totals, best, caption = kfor
    shown = export.displayed(best)
    book = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(totals, caption, ds.sources,
                                                                shown)))
    assert book.sheetnames == ["data", "displayed", "sources", "about"]
    for name in ("data", "displayed", "sources"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref == sheet.dimensions, name
    data = book["data"]
    header = [c.value for c in data[1]]
    rows = list(data.iter_rows(min_row=2))
    dates = [row[header.index("date")] for row in rows]
    assert all(c.is_date and isinstance(c.value, dt.datetime) for c in dates)
    assert {c.number_format.lower() for c in dates} == {"yyyy-mm-dd"}  # a day, not a time
    assert [c.value.date() for c in dates] == [d.date() for d in totals.date]
    # as_of is as precise as its source: a full day is a date, a year stays text
    as_of = {r.as_of: row[header.index("as_of")].value for r, row in
             zip(totals.itertuples(), rows)}
    years = [k for k in as_of if len(k) == 4]
    assert years and all(as_of[k] == k for k in years)
    days = [k for k in as_of if len(k) == 10]
    assert days and all(isinstance(as_of[k], dt.datetime) for k in days)
    urls = [row[header.index("url")] for row in rows]
    assert all(c.hyperlink is not None and c.hyperlink.target == c.value for c in urls)
    sources = book["sources"]
    source_header = [c.value for c in sources[1]]
    linked = [row[source_header.index("url")] for row in sources.iter_rows(min_row=2)]
    assert len(linked) == totals.source_id.nunique()
    assert all(c.hyperlink.target == c.value for c in linked if c.value)
    shown_sheet = book["displayed"]
    assert shown_sheet.max_row - 1 == len(shown)
    assert shown_sheet["A2"].is_date and shown_sheet["A1"].value == "date"


def test_about_json_describes_the_displayed_file(kfor):
    _, totals, best, caption = kfor
    shown = export.displayed(best)
    meta = json.loads(export.about_json_bytes(totals, caption, shown))
    assert meta["rows"] == len(totals)
    assert meta["displayed"]["rows"] == len(shown)
    assert meta["displayed"]["columns"] == export.DISPLAYED_COLUMNS
    assert "displayed" not in json.loads(export.about_json_bytes(totals, caption))


def test_check_images_finds_the_browser_or_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(export, "RENDERER", export.Renderer())
    export.check_images()  # the test machine has Chromium
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    with pytest.raises(export.ExportUnavailable, match="apt install chromium"):
        export.check_images()


def test_without_chromium_the_page_warns_and_greys_out_image_buttons(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    monkeypatch.setattr(export, "RENDERER", export.Renderer())
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(TROOPS_PAGE)
    at.run()
    assert not any("need Chromium" in w.value for w in at.warning)  # the panel is closed
    at.session_state[widgets.export_panel_key("troops_strength")] = True  # a reader opens it
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("need Chromium" in w.value for w in at.warning)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")
               if b.proto.id.endswith(("troops_strength_png", "troops_strength_html",
                                       "troops_strength_csv"))}
    assert buttons["PNG"].disabled
    assert not buttons["HTML"].disabled and not buttons["Full data (CSV)"].disabled
