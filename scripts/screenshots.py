"""Take a screenshot of every page of a running dashboard in headless Chromium.

    python scripts/screenshots.py [BASE_URL] [OUT_DIR] [QUERY]

Used to refresh docs/ and to look at the pages as a user would.
"""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PAGES = ["overview", "map", "troops", "budgets", "sources"]


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8501"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs")
    query = sys.argv[3] if len(sys.argv) > 3 else ""
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        height = int(__import__("os").environ.get("SHOT_HEIGHT", "1000"))
        page = browser.new_page(viewport={"width": 1500, "height": height})
        for name in PAGES:
            page.goto(f"{base}/{name}{'?' + query if query else ''}")
            page.wait_for_selector("[data-testid='stAppViewContainer']")
            page.wait_for_timeout(2500)
            page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                   timeout=30000)
            if name in ("overview", "map"):
                page.wait_for_selector(".js-plotly-plot canvas", timeout=60000)
            page.wait_for_timeout(3000)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
