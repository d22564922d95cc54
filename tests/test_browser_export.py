"""The export panel in a real Chromium: a journalist's KFOR chart, framed, downloaded, shared.

The dashboard runs as `streamlit run` would start it; Playwright drives the browser at
CHROMIUM (as tests/test_browser.py does) and reads what the download buttons send.
"""
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from presence.view import charts, export, query
from presence.view.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TITLE = "KFOR strength in Kosovo, 1999 to 2025"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000},
                                      accept_downloads=True)
        yield context.new_page()
        context.close()
        browser.close()


def settle(pg):
    pg.wait_for_selector("h1:has-text('Troops')", timeout=60_000)
    pg.wait_for_selector(".js-plotly-plot", timeout=60_000)
    pg.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    pg.wait_for_timeout(800)


def download(pg, panel, label: str) -> tuple[str, bytes]:
    with pg.expect_download(timeout=120_000) as dl:
        panel.get_by_role("button", name=label, exact=True).click()
    return dl.value.suggested_filename, dl.value.path().read_bytes()


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def has_colour(png: bytes, hex_colour: str, tolerance: int = 12) -> bool:
    """Whether any pixel is (nearly) this colour: an event marker's solid fill."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return bool((np.abs(pixels - rgb).max(axis=2) <= tolerance).any())


@pytest.fixture(scope="module")
def panel(server, page):
    """The KFOR strength chart's export panel, open, with the journalist's title typed in."""
    page.goto(f"{server}/troops?mission=KFOR")
    settle(page)
    page.get_by_text("Export this chart or its data").first.click()
    panel = page.locator("[data-testid='stExpander']").filter(
        has_text="Export this chart or its data").first
    title = panel.get_by_label("Title", exact=True)
    # the chart's own, by default; the panel fills in a rerun after the click, so the
    # value is waited for (read at once, the input was once caught still empty)
    sync_api.expect(title).to_have_value("Troop strength by mission", timeout=60_000)
    title.fill(TITLE)
    title.press("Enter")
    page.wait_for_timeout(500)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(800)
    assert panel.get_by_label("Title", exact=True).input_value() == TITLE
    return panel


def test_clean_png_at_article_size_with_title_and_footer(server, page, panel):
    """The bar of issue 11: PNG, custom title, clean mode, 1200x675; that size, that
    title, no event strip, a footer naming the link and licence."""
    assert panel.get_by_role("radio", name="Clean").is_checked()  # the default style
    assert "1200×675" in panel.get_by_label("Size", exact=True).input_value()
    name, png = download(page, panel, "PNG")
    assert name == "troops-strength.png"
    assert png_size(png) == (1200, 675)
    # No events strip: none of the events' marker colours is anywhere in the image
    # (the analyst's copy below has them).
    event_colours = [charts.EVENT_COLOURS[k] for k in ("incident", "visit", "mandate")]
    assert not any(has_colour(png, c) for c in event_colours)
    assert has_colour(png, charts.MISSION_COLOURS["KFOR"])  # the line is there

    # The same options drawn as SVG: its text is what the PNG shows.
    name, svg = download(page, panel, "SVG")
    svg = svg.decode("utf-8")
    assert name == "troops-strength.svg"
    assert TITLE in svg and "Troop strength by mission" not in svg
    assert "event:" not in svg and ">deployment<" not in svg and "faint:" not in svg
    link = f"{server}/troops?mission=KFOR"
    assert "View: " in svg and link in svg and f'href="{link}"' in svg
    assert f"Licence: {export.LICENCE_SHORT}" in svg and "CC BY 4.0" in svg
    assert f"Cite as: {export.PROJECT}: {TITLE} (mission: KFOR)" in svg


def test_analyst_png_keeps_the_event_strip(page, panel):
    panel.get_by_text("Analyst", exact=True).click()
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(800)
    _, png = download(page, panel, "PNG")
    assert png_size(png) == (1200, 675)
    assert has_colour(png, charts.EVENT_COLOURS["incident"])
    panel.get_by_text("Clean", exact=True).click()
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(800)


def test_displayed_data_csv_has_one_row_per_plotted_point(page, panel, ds):
    name, body = download(page, panel, "Displayed data (CSV)")
    assert name == "troops-strength-displayed.csv"
    table = pd.read_csv(io.BytesIO(body))  # no options: one header line, plain rows
    plotted = page.evaluate("""() => {
        const gd = document.querySelector('.js-plotly-plot');
        return gd.data.find(t => t.name === 'KFOR estimate').x.length; }""")
    best = export.displayed(query.estimates(ds, Filters(missions=("KFOR",)), totals=True))
    assert len(table) == plotted == len(best) > 20
    assert set(table.mission_id) == {"KFOR"}
    assert list(table.columns) == export.DISPLAYED_COLUMNS


def test_copy_link_and_embed_code(server, page, panel):
    codes = panel.locator("[data-testid='stCode']").all_inner_texts()
    link = f"{server}/troops?mission=KFOR"
    assert codes[0].strip() == link
    embed = " ".join(codes[1].split())
    assert embed.startswith("<iframe") and \
        f'src="{link}&amp;chart=troops_strength&amp;embed=true"' in embed
    # The embed link opens the page in Streamlit's embed mode, filters read, nothing
    # reported as ignored, the keys stay in the address, and only that chart is visible
    # (the page's other charts, its text, the sidebar are not).
    other = page.context.new_page()
    other.goto(f"{link}&chart=troops_strength&embed=true")
    settle(other)
    assert "embed=true" in other.url and "mission=KFOR" in other.url
    assert "chart=troops_strength" in other.url
    assert other.get_by_text("Parts of the link were ignored").count() == 0
    assert other.locator(".stApp.streamlit-embedded").count() == 1  # Streamlit's embed mode
    assert other.locator(".js-plotly-plot").count() == 1
    assert other.get_by_text("Open the full view").is_visible()
    assert not other.get_by_role("heading", name="Troops").is_visible()
    assert not other.locator("[data-testid='stSidebar']").is_visible()
    assert page.locator(".stApp.streamlit-embedded").count() == 0
    other.close()
