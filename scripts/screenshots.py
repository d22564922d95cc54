"""Take a screenshot of every page of a running dashboard in headless Chromium.

    python scripts/screenshots.py [BASE_URL] [OUT_DIR] [QUERY]

Used to refresh docs/ and to look at the pages as a user would. SHOT_WIDTH sets the
window's width (1500; 390 for a phone, where files are named PAGE-390.png), SHOT_HEIGHT
its height. Prints each chart's plot-area width, the number a phone layout must keep
readable.
"""
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PAGES = ["overview", "map", "troops", "tables", "budgets", "sources"]


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8501"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs")
    query = sys.argv[3] if len(sys.argv) > 3 else ""
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        height = int(os.environ.get("SHOT_HEIGHT", "1000"))
        width = int(os.environ.get("SHOT_WIDTH", "1500"))
        suffix = f"-{width}" if width < 800 else ""
        page = browser.new_page(viewport={"width": width, "height": height})
        for name in PAGES:
            page.goto(f"{base}/{name}{'?' + query if query else ''}")
            page.wait_for_selector("[data-testid='stAppViewContainer']")
            page.wait_for_timeout(2500)
            page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                   timeout=30000)
            if name in ("overview", "map"):
                page.wait_for_selector(".js-plotly-plot canvas", timeout=60000)
            page.wait_for_timeout(3000)
            page.screenshot(path=str(out / f"{name}{suffix}.png"), full_page=True)
            plots = page.eval_on_selector_all(
                ".js-plotly-plot .nsewdrag", "els => els.map(e => Math.round(e.getBBox().width))")
            print(out / f"{name}{suffix}.png", "plot areas (px):", plots)
        browser.close()


if __name__ == "__main__":
    main()
