"""Exports carry title, filters, sources and data date, and open as what they claim."""
import io
import json

import openpyxl
import pandas as pd
import pytest

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
    assert ours == export.captioned(fig, caption).to_image(format="png", scale=2)
