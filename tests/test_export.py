"""Exports carry title, filters, sources and data date, and open as what they claim."""
import dataclasses
import io
import json

import openpyxl
import pandas as pd
import pytest

from presence.app import widgets
from presence.view import charts, export, query
from presence.view.filters import Filters


@pytest.fixture(scope="module")
def kfor(ds):
    f = Filters(missions=("KFOR",))
    frame = query.troops(ds, f, totals=True)
    caption = export.Caption(title="KFOR strength", filters=f.describe(),
                             data_date=query.data_date(frame),
                             sources=export.caption_sources(frame))
    return charts.strength_over_time(frame), frame, caption


def test_caption_lists_sources_and_truncates(kfor):
    _, frame, caption = kfor
    assert len(caption.sources) == frame.source_id.nunique()
    line = caption.sources_line()
    assert line.startswith("Sources: ") and "more (listed in the data export)" in line
    undated = frame.source_published.fillna("").eq("").sum()
    assert undated and not any(s.endswith("()") for s in caption.sources)  # 'n.d.' instead


def test_svg_has_title_filters_sources_and_date(kfor):
    fig, _, caption = kfor
    svg = export.figure_bytes(fig, "svg", caption).decode()
    assert svg.startswith("<svg") or "<svg" in svg[:200]
    for text in ("KFOR strength", "mission: KFOR", "Sources:", caption.data_date):
        assert text in svg, text


def test_png_pdf_html(kfor):
    fig, _, caption = kfor
    assert export.figure_bytes(fig, "png", caption)[:8] == b"\x89PNG\r\n\x1a\n"
    assert export.figure_bytes(fig, "pdf", caption)[:5] == b"%PDF-"
    html = export.figure_bytes(fig, "html", caption).decode()
    assert "KFOR strength" in html and "<script src=\"http" not in html
    with pytest.raises(ValueError, match="unknown export format"):
        export.figure_bytes(fig, "bmp", caption)


def test_csv_and_excel_carry_sources(kfor, ds):
    _, frame, caption = kfor
    text = export.csv_bytes(frame, caption).decode()
    body = pd.read_csv(io.StringIO(text))
    assert len(body) == len(frame) and {"source_id", "url", "outlet"} <= set(body.columns)
    assert not any(c.endswith("_start") for c in body.columns)
    # KFOR holds totals that also count troops outside Kosovo: the export says so
    assert "wider" not in body.columns and (body.scope == "wider").sum() == frame.wider.sum() > 0
    book = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(frame, caption, ds.sources)))
    assert book.sheetnames == ["data", "sources", "about"]
    assert book["sources"].max_row - 1 == frame.source_id.nunique()
    about = {r[0]: r[1] for r in book["about"].iter_rows(min_row=2, values_only=True)}
    assert about["title"] == "KFOR strength" and about["licence"] == export.LICENCE
    assert about["citation"].startswith(export.PROJECT) and caption.data_date in about["citation"]


def test_csv_is_plain_and_its_metadata_is_in_a_json_sidecar(kfor, tmp_path):
    """Excel, Sheets, Datawrapper and pandas open the CSV as it is: one header line, then
    one line a row, no '#' lines; the title, filters, sources, date, licence and citation
    are in the JSON beside it."""
    _, frame, caption = kfor
    path = tmp_path / "troops-strength.csv"
    path.write_bytes(export.csv_bytes(frame, caption))
    assert not path.read_text(encoding="utf-8").startswith("#")
    loaded = pd.read_csv(path)  # no options
    assert len(loaded) == len(frame) > 20
    assert loaded.value.tolist() == frame.value.tolist()
    assert loaded.source_id.tolist() == frame.source_id.tolist()
    assert pd.api.types.is_integer_dtype(loaded.value)
    meta = json.loads(export.about_json_bytes(frame, caption))
    assert meta["title"] == "KFOR strength" and meta["filters"] == caption.filters
    assert meta["data_as_of"] == caption.data_date and meta["rows"] == len(loaded)
    assert meta["sources"] == list(caption.sources) and len(meta["sources"]) > 6
    assert meta["columns"] == list(loaded.columns)
    assert meta["licence"].startswith("CC BY 4.0") and "KFOR strength" in meta["citation"]


def test_image_exports_share_one_browser(kfor):
    """The browser is started by the first image export and kept for the next ones
    (starting Chromium takes seconds; drawing on an open one, a fraction of that)."""
    fig, _, caption = kfor
    export.figure_bytes(fig, "png", caption)
    started = export.RENDERER.starts
    assert export.RENDERER.running() and started >= 1
    for fmt in ("png", "svg", "pdf"):
        export.figure_bytes(fig, fmt, caption)
    assert export.RENDERER.running() and export.RENDERER.starts == started


def test_without_chromium_the_export_says_what_to_install(kfor, monkeypatch, tmp_path):
    fig, _, caption = kfor
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    renderer = export.Renderer()
    monkeypatch.setattr(export, "RENDERER", renderer)
    with pytest.raises(export.ExportUnavailable, match="need Chromium") as exc:
        export.figure_bytes(fig, "png", caption)
    assert "apt install chromium" in str(exc.value) and not renderer.running()
    assert b"KFOR strength" in export.figure_bytes(fig, "html", caption)  # HTML needs none


def test_the_kept_browser_draws_what_plotly_draws(kfor):
    """The PNG is byte for byte the one plotly's own `to_image` makes (a fresh browser)."""
    fig, _, caption = kfor
    ours = export.figure_bytes(fig, "png", caption)
    assert ours == export.captioned(fig, caption).to_image(format="png", scale=1)


# The export panel: how an image is framed (title, subtitle, clean or analyst, size, series,
# footer with link, licence and citation), checked on the figure the Troops page draws.

LINK = "http://127.0.0.1:8501/troops?mission=KFOR&from=2005-01-01"


@pytest.fixture(scope="module")
def strength(ds):
    """The Troops page's strength chart for KFOR: estimates, every figure, events."""
    f = Filters(missions=("KFOR",))
    totals = query.troops(ds, f, totals=True)
    fig = charts.strength_over_time(totals, query.events(ds, f), estimates=query.estimates(
        ds, f, totals=True), title="Troop strength by mission")
    caption = export.Caption(title="Troop strength by mission", filters=f.describe(),
                             data_date=query.data_date(totals),
                             sources=export.caption_sources(totals))
    return fig, caption


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_clean_mode_keeps_the_series_and_band_only(strength):
    fig, _ = strength
    analyst = export.prepared(fig, "analyst")
    assert len(analyst.data) == len(fig.data)
    assert any(t.yaxis == "y2" for t in analyst.data)  # the events strip
    clean = export.prepared(fig, "clean")
    names = [t.name for t in clean.data]
    assert names == ["KFOR range", "KFOR", "KFOR estimate"], names
    assert not any((t.yaxis or "y") != "y" for t in clean.data)  # no events strip
    assert clean.layout.yaxis2.visible is False and list(clean.layout.yaxis.domain) == [0, 1]
    assert clean.layout.xaxis.showticklabels is True
    keys = [a.text for a in clean.layout.annotations]
    assert keys == ["line: best estimate · shaded: range of the figures"]
    assert export.has_analyst_layers(fig) and not export.has_analyst_layers(clean)
    with pytest.raises(ValueError, match="unknown export mode"):
        export.prepared(fig, "pretty")


def test_png_has_the_size_asked_for(strength):
    fig, caption = strength
    for name, size in export.SIZES.items():
        png = export.figure_bytes(fig, "png", caption, export.Framing(size=name, link=LINK))
        assert _png_size(png) == size.pixels, name
    assert export.SIZES["article"].pixels == (1200, 675)
    assert export.SIZES["print"].pixels == (2400, 1350)  # the article layout at scale 2


def test_a4_pdf_is_an_a4_landscape_page(strength):
    import re

    fig, caption = strength
    pdf = export.figure_bytes(fig, "pdf", caption, export.Framing(size="a4"))
    box = re.search(rb"MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)", pdf)
    width_pt, height_pt = float(box.group(1)), float(box.group(2))
    assert abs(width_pt - 842) < 2 and abs(height_pt - 595) < 2  # 297 x 210 mm


def test_title_subtitle_and_footer(strength):
    """The reader's title and subtitle replace the chart's; the footer names the sources,
    the data date, the licence, a citation with that title, and the link to the view."""
    fig, caption = strength
    framing = export.Framing(title="KFOR in Kosovo, 1999 to now",
                             subtitle="Troops, best estimate", mode="clean", size="article",
                             link=LINK)
    out = export.captioned(fig, caption, framing)
    assert out.layout.title.text == "<b>KFOR in Kosovo, 1999 to now</b>"
    assert out.layout.title.subtitle.text == "Troops, best estimate"
    assert (out.layout.width, out.layout.height) == (1200, 675)
    footer = out.layout.annotations[-1].text
    assert "Sources: " in footer and f"Data as of {caption.data_date}" in footer
    assert f"Licence: {export.LICENCE_SHORT}" in footer and export.LICENCE_SHORT == "CC BY 4.0"
    assert "Cite as: " + export.PROJECT + ": KFOR in Kosovo, 1999 to now" in footer
    assert '<a href="http://127.0.0.1:8501/troops?mission=KFOR&amp;from=2005-01-01">' in footer
    svg = export.figure_bytes(fig, "svg", caption, framing).decode()
    for text in ("KFOR in Kosovo, 1999 to now", "Troops, best estimate", "CC BY 4.0",
                 "troops?mission=KFOR&amp;from=2005-01-01", caption.data_date):
        assert text in svg, text
    assert "event:" not in svg and ">deployment<" not in svg  # no events strip, no key
    analyst = export.figure_bytes(fig, "svg", caption, export.Framing(
        title="x", mode="analyst", link=LINK)).decode()
    assert "event: deployment" in analyst  # the strip's rows are named by the legend


def test_default_title_and_subtitle_come_from_the_caption(strength):
    fig, caption = strength
    out = export.captioned(fig, caption)
    assert out.layout.title.text == "<b>Troop strength by mission</b>"
    assert out.layout.title.subtitle.text == "Filters: mission: KFOR"
    noted = dataclasses.replace(caption, note="Share of GDP, current prices")
    assert export.captioned(fig, noted).layout.title.subtitle.text == \
        "Share of GDP, current prices · Filters: mission: KFOR"
    assert export.captioned(fig, caption, export.Framing(subtitle="")).layout.title \
        .subtitle.text == ""


def test_typed_title_is_text_not_markup(strength):
    fig, caption = strength
    framing = export.Framing(title='<a href="http://evil.example/">KFOR</a>', link="javascript:x")
    out = export.captioned(fig, caption, framing)
    assert "<a href" not in out.layout.title.text and "&lt;a href" in out.layout.title.text
    footer = out.layout.annotations[-1].text
    assert "View: javascript:x" in footer and 'href="javascript' not in footer


def test_series_to_include(ds):
    """The browser keeps the legend clicks to itself, so the panel asks which series to
    export; a series left out takes its band and points with it."""
    f = Filters()
    totals = query.troops(ds, f, totals=True)
    fig = charts.strength_over_time(totals, query.events(ds, f),
                                    estimates=query.estimates(ds, f, totals=True))
    clean = export.series(fig, "clean")
    assert clean == ["KFOR", "IFOR", "SFOR", "EUFOR-ALTHEA"]
    assert "event: visit" in export.series(fig, "analyst")
    kept = export.prepared(fig, "clean", ("KFOR",))
    assert {t.legendgroup for t in kept.data} == {"KFOR"}
    assert [t.name for t in kept.data] == ["KFOR range", "KFOR", "KFOR estimate"]
    analyst = export.prepared(fig, "analyst", ("KFOR", "event: visit"))
    names = {t.name for t in analyst.data}
    assert {"KFOR figures", "event: visit"} <= names and "event: mandate" not in names
    assert "SFOR figures" not in names
    # One series: nothing to choose (the heat map has no legend at all)
    assert export.series(charts.contingents_heatmap(query.troops(ds, f, totals=False))) == []


def test_frame_leaves_room_for_the_plot_at_every_size(ds):
    """With every mission and event kind in the legend, the title, legend, key and
    footer still leave the plot at least a third of the image."""
    f = Filters()
    totals = query.troops(ds, f, totals=True)
    fig = charts.strength_over_time(totals, query.events(ds, f),
                                    estimates=query.estimates(ds, f, totals=True))
    caption = export.Caption(title="Troop strength by mission", filters=f.describe(),
                             data_date=query.data_date(totals),
                             sources=export.caption_sources(totals))
    for name, size in export.SIZES.items():
        out = export.captioned(fig, caption, export.Framing(mode="analyst", size=name,
                                                            link=LINK))
        plot = size.height - out.layout.margin.t - out.layout.margin.b
        assert plot >= size.height / 3, (name, plot)


def test_a_maps_colour_bar_keeps_the_footer_under_it(ds):
    """The map's horizontal colour bar stands under the plot with its title and ticks; the
    footer (sources, date, licence, citation) starts below it, not over it."""
    from presence.view import maps

    f = Filters()
    layers = query.map_layers(ds, "2025-12-31", f)
    fig = maps.presence_map(*layers[:3], title=None, scale_max=query.presence_scale(ds, f))
    caption = export.Caption(title="Foreign troops in the Western Balkans", filters=f.describe(),
                             data_date="2025-12-31", sources=export.caption_sources(layers.used))
    out = export.captioned(fig, caption)
    footer = out.layout.annotations[-1]
    assert footer.yshift == -export.BELOW_COLOURBAR
    assert out.layout.margin.b >= export.BELOW_COLOURBAR + export.PAD
    # a chart with an x axis keeps the axis' room only
    line = charts.strength_over_time(query.troops(ds, f, totals=True), query.events(ds, f))
    assert export.captioned(line, caption).layout.annotations[-1].yshift == -export.BELOW_AXIS

def test_view_link_and_embed_code():
    link = export.view_link("http://example.org/troops", {"mission": "KFOR,SFOR",
                                                          "from": "2005-01-01"})
    assert link == "http://example.org/troops?mission=KFOR,SFOR&from=2005-01-01"
    assert export.view_link("http://example.org/troops?old=1#x", {}) == \
        "http://example.org/troops"
    assert export.view_link(None, {"mission": "KFOR"}) == "?mission=KFOR"  # relative
    assert export.view_link("http://example.org:8501", {"mission": "KFOR"}) == \
        "http://example.org:8501/?mission=KFOR"  # the default page
    code = export.embed_code(link, 'KFOR "strength"')
    assert code.startswith("<iframe ") and code.endswith("></iframe>")
    assert 'src="http://example.org/troops?mission=KFOR,SFOR&amp;from=2005-01-01&amp;' \
           'embed=true"' in code
    assert 'title="KFOR &quot;strength&quot;"' in code
    assert 'src="http://example.org/troops?embed=true"' in export.embed_code(
        "http://example.org/troops", "t")


def test_the_panel_under_a_chart(ds):
    """The Troops page's strength chart, run by AppTest: the panel offers the title and
    subtitle (defaults from the chart), the style, the sizes, the link and embed code."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=120)
    at.query_params["mission"] = "KFOR"
    at.run()
    at.query_params["mission"] = "KFOR"
    at.switch_page(str(root / "pages" / "troops.py")).run()
    assert not at.exception, [e.message for e in at.exception]
    # closed, the panel holds nothing (its controls are made when a reader opens it)
    assert not [t for t in at.text_input if t.key.startswith("troops_strength_title_")]
    assert not [b for b in at.get("download_button") if b.proto.id.endswith("troops_strength_png")]
    at.session_state[widgets.export_panel_key("troops_strength")] = True
    at.query_params["mission"] = "KFOR"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    title = next(t for t in at.text_input if t.key.startswith("troops_strength_title_"))
    subtitle = next(t for t in at.text_input if t.key.startswith("troops_strength_subtitle_"))
    assert title.value == "Troop strength by mission"
    assert subtitle.value == "Filters: mission: KFOR"
    style = at.radio(key="troops_strength_mode")
    assert style.value == "clean" and style.options == ["Clean", "Analyst"]
    size = at.selectbox(key="troops_strength_size")
    assert size.value == "article" and len(size.options) == len(export.SIZES)
    # KFOR alone: one series, nothing to choose; with every mission, all four offered
    assert not [m for m in at.multiselect if m.key and m.key.startswith("troops_strength_")]
    codes = [c.value for c in at.code]
    assert "?mission=KFOR" in codes  # AppTest knows no URL: the link is relative
    assert any(c.startswith("<iframe") and "mission=KFOR&amp;chart=troops_strength&amp;embed=true"
               in c for c in codes)
    # The heat map has no analyst layers: no style to choose
    assert not [r for r in at.radio if r.key == "troops_heatmap_mode"]


def test_one_chart_embeds_alone_with_its_footer(monkeypatch):
    """`chart=KEY` (the embed code's address) shows that chart and a footer with its sources,
    data date, licence and a link to the full view; the page's other charts and the export
    panel are not drawn, and the key stays in the URL."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=120)
    at.query_params["chart"] = "troops_strength"
    at.query_params["mission"] = "KFOR"
    at.switch_page("pages/troops.py").run()
    assert not at.exception, [e.message for e in at.exception]
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    footer = [c.value for c in at.caption if "Open the full view" in c.value]
    assert footer and "Sources: " in footer[0] and "CC BY 4.0" in footer[0]
    assert not [e for e in at.expander if e.label.startswith("Export this chart")]
    assert at.query_params["chart"] in ("troops_strength", ["troops_strength"])
    code = export.embed_code("https://x.org/troops?mission=KFOR", "t", chart="troops_strength")
    assert "chart=troops_strength&amp;embed=true" in code


def test_an_embed_of_a_chart_the_page_lacks_says_so(monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=120)
    at.query_params["chart"] = "no_such_chart"
    at.switch_page("pages/troops.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.get("plotly_chart")
    assert any("no chart named 'no_such_chart'" in w.value for w in at.warning)
