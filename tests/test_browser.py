"""The real dashboard in a real Chromium: pages, filters in the URL, exports, offline."""
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from presence.view import export, query
from presence.view.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = {"overview": "Western Balkans security presence", "map": "Map", "troops": "Troops",
         "budgets": "Defence budgets", "sources": "Sources"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.outside = []
    pg.on("request", lambda r: pg.outside.append(r.url)
          if urlparse(r.url).hostname not in ("127.0.0.1", None) and
          not r.url.startswith(("data:", "blob:")) else None)
    yield pg
    context.close()


def settle(pg, title):
    pg.wait_for_selector(f"h1:has-text('{title}')", timeout=60_000)
    pg.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    pg.wait_for_timeout(800)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_offline_with_filters_in_sidebar(server, page, name):
    page.goto(f"{server}/{name}")
    settle(page, PAGES[name])
    page.locator("[data-testid='stSidebar']").get_by_text("Contributing nation").wait_for()
    assert not page.locator("[data-testid='stException']").count()
    if name in ("overview", "map", "troops", "budgets"):
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    page.wait_for_timeout(1500)  # let maps finish drawing
    assert page.outside == [], f"requests left the machine: {page.outside}"


def test_overview_path_opens_the_overview_with_no_page_not_found(server, page):
    """/overview is the Overview's own link: it opens that page, not a "Page not found"
    dialog over the default page; / still opens it too."""
    for path in ("/overview?mission=KFOR", "/"):
        page.goto(f"{server}{path}")
        settle(page, PAGES["overview"])
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        page.wait_for_timeout(1500)
        assert page.get_by_text("Page not found").count() == 0, path
        assert not page.locator("[role='dialog']").count(), path
        assert not page.locator("[data-testid='stException']").count()
    page.goto(f"{server}/overview?mission=KFOR")
    settle(page, PAGES["overview"])
    page.wait_for_function("location.search.includes('mission=KFOR')", timeout=30_000)
    assert urlparse(page.url).path == "/overview"


def test_filter_goes_into_the_url_and_the_link_reopens_it(server, page, browser):
    page.goto(f"{server}/troops")
    settle(page, "Troops")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name="KFOR — Kosovo Force").click()
    page.keyboard.press("Escape")
    page.wait_for_function("location.search.includes('mission=KFOR')", timeout=30_000)
    link = page.url
    assert parse_qs(urlparse(link).query)["mission"] == ["KFOR"]

    # Move to another page through the navigation: the filter stays.
    sidebar.get_by_text("Budgets").click()
    settle(page, "Defence budgets")
    page.wait_for_function("location.search.includes('mission=KFOR')", timeout=30_000)

    # A colleague opens the copied link in a fresh browser.
    other = browser.new_context().new_page()
    other.goto(link)
    settle(other, "Troops")
    chip = other.locator("[data-testid='stSidebar']").get_by_text("KFOR — Kosovo Force")
    chip.wait_for(timeout=30_000)
    assert other.locator("[data-testid='stSidebar']").get_by_text("EUFOR-ALTHEA — ").count() == 0
    other.context.close()


def test_png_export_arrives_with_sources_and_csv_has_rows(server, page, tmp_path, ds):
    page.goto(f"{server}/troops?mission=KFOR")
    settle(page, "Troops")
    page.get_by_text("Export this chart or its data").first.click()
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="PNG", exact=True).first.click()
    png = tmp_path / "chart.png"
    dl.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert dl.value.suggested_filename == "troops-strength.png"
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Displayed data (CSV)", exact=True).first.click()
    assert dl.value.suggested_filename == "troops-strength-displayed.csv"
    drawn = pd.read_csv(dl.value.path())  # what the chart draws: one row a plotted point
    best = export.displayed(query.estimates(ds, Filters(missions=("KFOR",)), totals=True))
    assert len(drawn) == len(best) > 20 and set(drawn.mission_id) == {"KFOR"}
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Full data (CSV)", exact=True).first.click()
    assert dl.value.suggested_filename == "troops-strength.csv"
    csv_path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(csv_path)
    table = pd.read_csv(csv_path)  # a plain CSV: no options needed
    shown = query.troops(ds, Filters(missions=("KFOR",)), totals=True)
    assert len(table) == len(shown) > 20 and set(table.mission_id) == {"KFOR"}
    assert table.value.tolist() == shown.value.tolist()
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="About (JSON)", exact=True).first.click()
    assert dl.value.suggested_filename == "troops-strength.json"
    meta = json.loads(dl.value.path().read_text(encoding="utf-8"))
    assert "mission: KFOR" in meta["filters"] and meta["rows"] == len(table)
    assert meta["licence"] and meta["citation"] and meta["sources"]
    if shutil.which("tesseract"):
        out = subprocess.run(["tesseract", str(png), "-"], capture_output=True, text=True)
        assert "Sources" in out.stdout


def test_clicking_a_point_shows_its_source(server, page):
    page.goto(f"{server}/troops?mission=EUFOR-ALTHEA")
    settle(page, "Troops")
    page.wait_for_selector(".js-plotly-plot .scatterlayer .points path", timeout=30_000)
    page.locator(".js-plotly-plot").first.locator(".scatterlayer .points path").last.click(
        force=True)
    note = page.get_by_text("Source of the selected point")
    note.wait_for(timeout=30_000)
    link = page.locator("a[href*='/sources?source=']").first
    assert link.count() == 1


HOSTILE = """Hostile <script>window.__pwned = 1</script> headline

2025-05-01 10:00:00 / TEST OUTLET

KFOR currently has about 4,700 troops <script>window.__pwned = 1</script> and [a link](http://evil.example/) **bold** <img src=x onerror="window.__pwned=1"> in Kosovo.

Italy keeps 1,300 soldiers in KFOR, the mission said in its statement on the presence.
"""


def test_curate_page_shows_hostile_article_text_as_text(tmp_path, browser, data_copy,
                                                        dashboard_starter):
    from presence.app.auth import make_hash
    from presence.desk.extract import candidate_id, extract
    from presence.desk.feed import ingest
    from presence.desk.store import Store

    article = tmp_path / "hostile.txt"
    article.write_text(HOSTILE, encoding="utf-8")
    store_path = tmp_path / "store.duckdb"
    with Store(store_path) as store:
        ingest([str(article)], store)
        for a in store.articles():
            rows = [{**c.to_json(a.id), "id": candidate_id(a.id, c)}
                    for c in extract(a.text, a.published, a.title)]
            store.replace_candidates(a.id, rows)
    base, proc = dashboard_starter({"PRESENCE_STORE": str(store_path),
                                    "PRESENCE_DATA": str(data_copy),
                                    "PRESENCE_CURATOR_HASH": make_hash("correct horse")})
    try:
        pg = browser.new_context(viewport={"width": 1400, "height": 1200}).new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.goto(f"{base}/curate")
        settle(pg, "Curate")
        pg.get_by_label("Your name (for the audit log)").fill("ana")
        pg.get_by_label("Curator password").fill("correct horse")
        pg.get_by_role("button", name="Log in").click()
        pg.get_by_text("Read a candidate in its sentence").wait_for(timeout=60_000)
        pg.wait_for_timeout(1500)
        body = pg.locator("[data-testid='stMain']").inner_text()
        assert "<script>window.__pwned = 1</script>" in body
        assert "[a link](http://evil.example/)" in body and "**bold**" in body
        assert pg.locator("a[href='http://evil.example/']").count() == 0
        assert pg.evaluate("window.__pwned") is None and dialogs == []
        assert pg.locator("mark").first.inner_text() in ("4,700", "1,300")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_clicking_a_country_on_the_map_filters_by_it(server, page):
    import csv

    with open(ROOT / "geo" / "countries.csv", encoding="utf-8") as f:
        points = {r["iso_a3"]: r for r in csv.DictReader(f)}
    bih = points["BIH"]
    page.goto(f"{server}/map")
    settle(page, "Map")
    page.wait_for_selector(".js-plotly-plot canvas", timeout=60_000)
    page.wait_for_timeout(3000)
    xy = page.evaluate("""([lon, lat]) => {
        const gd = document.querySelector('.js-plotly-plot');
        const sub = gd._fullLayout.map._subplot;
        const p = sub.map.project([lon, lat]);
        const box = sub.map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }""", [float(bih["lon"]), float(bih["lat"])])
    page.mouse.move(*xy)
    page.wait_for_timeout(500)
    page.mouse.click(*xy)
    page.wait_for_function("location.search.includes('host=BIH')", timeout=30_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Bosnia and Herzegovina").first.wait_for(timeout=30_000)


def test_map_geojson_export(server, page):
    import json as jsonlib

    page.goto(f"{server}/map?at=2008-12-31")
    settle(page, "Map")
    page.get_by_text("Export this chart or its data").first.click()
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="GeoJSON", exact=True).first.click()
    data = jsonlib.loads(dl.value.path().read_text(encoding="utf-8"))
    assert dl.value.suggested_filename == "map-main.geojson"
    kosovo = [f for f in data["features"] if f["properties"].get("iso_a3") == "XKX"][0]
    assert kosovo["properties"]["foreign_troops"] > 10_000  # KFOR at the end of 2008
    assert data["metadata"]["data_as_of"].startswith("2008")
    assert any(f["geometry"]["type"] == "Point" for f in data["features"])


def _map_figure(pg):
    pg.wait_for_selector(".js-plotly-plot canvas", timeout=60_000)
    pg.wait_for_timeout(1500)
    shown = pg.evaluate("""() => {
        const gd = [...document.querySelectorAll('.js-plotly-plot')]
            .find(g => (g.data || []).some(t => t.name === 'host countries'));
        const hosts = gd.data.find(t => t.name === 'host countries');
        return {zmin: hosts.zmin, zmax: hosts.zmax, ticks: hosts.colorbar.ticktext}; }""")
    # the map's dated title is written above it (widgets.chart's heading), not inside it
    title = pg.locator("[data-testid='stMarkdown'] strong",
                       has_text="Foreign troops in the Western Balkans").first
    return {**shown, "title": title.inner_text()}


def test_map_shows_the_date_asked_for_on_one_colour_scale(server, page):
    page.goto(f"{server}/map?at=1999-07-01")
    settle(page, "Map")
    july = _map_figure(page)
    assert "1 Jul 1999" in july["title"]
    page.goto(f"{server}/map?at=2025-06-30")
    settle(page, "Map")
    later = _map_figure(page)
    assert "30 Jun 2025" in later["title"]
    assert (july["zmin"], july["zmax"], july["ticks"]) == \
        (later["zmin"], later["zmax"], later["ticks"])


def test_map_play_runs_in_the_browser_and_pauses(server, page):
    sent, sockets = [], []
    page.on("websocket", lambda ws: (sockets.append(ws),
                                     ws.on("framesent", lambda payload: sent.append(payload))))
    page.goto(f"{server}/map?at=1995-12-31")
    settle(page, "Map")
    page.get_by_text("▶ Play years").click()
    page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .some(g => g._transitionData && g._transitionData._frames.length > 20)""",
                           timeout=120_000)
    page.wait_for_timeout(1500)
    assert sockets and sent, "the page talks to the server over a websocket we listen to"
    sent.clear()
    active = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
        .find(g => g._transitionData && g._transitionData._frames.length > 20);
        return gd._fullLayout.sliders[0].active; }"""
    start = page.evaluate(active)
    page.locator("g.updatemenu-button").filter(has_text="Play").first.click()
    page.wait_for_timeout(3500)
    playing = page.evaluate(active)
    assert playing > start, "Play advances the frames"
    page.locator("g.updatemenu-button").filter(has_text="Pause").first.click()
    page.wait_for_timeout(500)
    paused = page.evaluate(active)
    page.wait_for_timeout(2500)
    assert page.evaluate(active) == paused, "Pause stops it"
    assert not page.locator("[data-testid='stStatusWidget']").count()
    assert sent == [], "no rerun of the page while playing"
