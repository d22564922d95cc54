"""How fast the dashboard's pages are, against a hello-world Streamlit app; prints JSON.

    python bench/bench_pages.py apptest [--rounds N] [--data DIR]
    python bench/bench_pages.py browser [--rounds N] [--data DIR]

`apptest`: a page's warm rerun (the same session running the page again, as
after a click that changes nothing it depends on) and its first load (the
page's run with every cache emptied: the record is read and validated again,
nothing computed before is reused) in Streamlit's AppTest, beside the same for
bench/hello_app.py. The project and the floor alternate inside each round;
figures are medians.

`browser`: real servers (`streamlit run`) and headless Chromium
(/usr/bin/chromium): cold start (process launched -> first page painted), a
filter change (the end of the date range moved one day, a new value every
time, so nothing is served from a cache of the same state) -> every chart
repainted, on each chart page, and the server's resident memory after every
page and 20 filter changes. The floor moves its one slider the same way.

`--data DIR` points the dashboard at another record (PRESENCE_DATA), e.g. the
100,000 figures of bench/generate_record.py.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard.py"
HELLO = ROOT / "bench" / "hello_app.py"
PAGES = ["overview", "map", "troops", "budgets", "sources"]
CHART_PAGES = ["overview", "map", "troops", "budgets"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
WARM_REPEATS = 3  # reruns timed per page and round; the round keeps their median
MEMORY_CHANGES = 20


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _ratio(project: float, floor: float) -> float:
    return round(project / floor, 2) if floor else float("nan")


# ---------------------------------------------------------------- AppTest


def _timed_runs(at, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError([e.message for e in at.exception])
    return statistics.median(times)


def _forget_everything() -> None:
    """Empty Streamlit's caches and the query layer's per-dataset memo."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        from presence.view import query

        getattr(query, "_MEMOS", {}).clear()
    except ImportError:
        pass


def apptest(rounds: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    warm = {p: [] for p in PAGES}
    first = {p: [] for p in PAGES}
    hello_warm, hello_first = [], []
    for _ in range(rounds):
        # the floor
        _forget_everything()
        hello = AppTest.from_file(str(HELLO), default_timeout=600)
        start = time.perf_counter()
        hello.run()
        hello_first.append(time.perf_counter() - start)
        hello_warm.append(_timed_runs(hello, WARM_REPEATS))
        # the project: warm the dataset once, then each page in a new session
        AppTest.from_file(str(APP), default_timeout=600).run()
        for page in PAGES:
            st.cache_data.clear()
            at = AppTest.from_file(str(APP), default_timeout=600)
            at.run()  # the shell and the default page (caches filled by it stay)
            at.switch_page(str(ROOT / "pages" / f"{page}.py"))
            _forget_everything()
            start = time.perf_counter()
            at.run()
            first[page].append(time.perf_counter() - start)
            if at.exception:
                raise RuntimeError([e.message for e in at.exception])
            warm[page].append(_timed_runs(at, WARM_REPEATS))
    floor_warm = statistics.median(hello_warm)
    floor_first = statistics.median(hello_first)
    return {
        "floor": {"warm_rerun_ms": _ms(floor_warm), "first_load_ms": _ms(floor_first)},
        "pages": {p: {"warm_rerun_ms": _ms(statistics.median(warm[p])),
                      "warm_ratio": _ratio(statistics.median(warm[p]), floor_warm),
                      "first_load_ms": _ms(statistics.median(first[p])),
                      "first_ratio": _ratio(statistics.median(first[p]), floor_first)}
                  for p in PAGES},
    }


# ---------------------------------------------------------------- browser

# The page is current: nothing stale and a chart drawn (checked after the server
# has said the run finished; the script-state attribute alone misses a run
# faster than one React render).
SETTLED = """() => !document.querySelector('[data-stale="true"]')
  && document.querySelectorAll('.js-plotly-plot').length > 0"""
FIRST_PAINT = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll('.js-plotly-plot .main-svg').length > 0
    && !document.querySelector('[data-stale="true"]');
}"""
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


class Server:
    """`streamlit run` on a free port, stopped by its own process id."""

    def __init__(self, script: Path, env: dict):
        self.port = _free_port()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _open_first(page, url: str, started: float) -> float:
    """Seconds from the server's launch to its first page painted."""
    deadline = time.time() + 180
    while True:
        try:
            page.goto(url, timeout=180_000)
            break
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.05)
    page.wait_for_function(FIRST_PAINT, timeout=180_000, polling=20)
    page.evaluate(TWO_FRAMES)
    return time.perf_counter() - started


class RunWatch:
    """Counts the server's "script finished" messages on a page's WebSocket."""

    def __init__(self, page):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.finished = 0

        def frame(payload):
            if isinstance(payload, bytes):
                try:
                    kind = ForwardMsg.FromString(payload).WhichOneof("type")
                except Exception:  # not a ForwardMsg: ignore
                    return
                if kind == "script_finished":
                    self.finished += 1

        page.on("websocket", lambda ws: ws.on("framereceived", frame))


def _change(page, watch: RunWatch) -> float:
    """Move the sidebar's last slider thumb (a range input) one step left; seconds
    until the run it causes has finished and the page is painted."""
    thumb = page.locator("[data-testid='stSidebar'] input[type='range']").last
    thumb.focus()
    before = watch.finished
    start = time.perf_counter()
    page.keyboard.press("ArrowLeft")
    deadline = time.time() + 180
    while watch.finished == before:
        if time.time() > deadline:
            raise TimeoutError("no run after a filter change")
        page.wait_for_timeout(5)
    page.wait_for_function(SETTLED, timeout=180_000, polling=10)
    page.evaluate(TWO_FRAMES)
    return time.perf_counter() - start


def _visit(page, watch: RunWatch, name: str) -> None:
    """Open a page from the sidebar's menu, as a reader does (the filters stay)."""
    before = watch.finished
    page.locator(f"[data-testid='stSidebarNav'] a[href$='/{name}']").first.click()
    deadline = time.time() + 180
    while watch.finished == before:
        if time.time() > deadline:
            raise TimeoutError(f"no run after opening {name}")
        page.wait_for_timeout(5)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')",
                           timeout=180_000, polling=10)
    if name in CHART_PAGES:
        page.wait_for_function(FIRST_PAINT, timeout=180_000, polling=20)
    page.evaluate(TWO_FRAMES)


def browser(rounds: int, env: dict) -> dict:
    from playwright.sync_api import sync_playwright

    floor = {"cold": [], "change": [], "rss": []}
    project = {"cold": [], "rss": [], **{f"change_{p}": [] for p in CHART_PAGES}}
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(rounds):
            # the floor
            server = Server(HELLO, env)
            try:
                page = chromium.new_page(viewport={"width": 1500, "height": 1000})
                watch = RunWatch(page)
                floor["cold"].append(_open_first(page, server.url, server.started))
                for i in range(MEMORY_CHANGES):
                    took = _change(page, watch)
                    if i < 4:
                        floor["change"].append(took)
                floor["rss"].append(_rss_mb(server.proc.pid))
                page.close()
            finally:
                server.stop()
            # the project
            server = Server(APP, env)
            try:
                page = chromium.new_page(viewport={"width": 1500, "height": 1000})
                watch = RunWatch(page)
                project["cold"].append(_open_first(page, server.url + "/", server.started))
                changes = 0
                for name in PAGES:
                    if name != "overview":  # the first page is open already
                        _visit(page, watch, name)
                    if name in CHART_PAGES:
                        for _ in range(MEMORY_CHANGES // len(CHART_PAGES)):
                            project[f"change_{name}"].append(_change(page, watch))
                            changes += 1
                assert changes == MEMORY_CHANGES
                project["rss"].append(_rss_mb(server.proc.pid))
                page.close()
            finally:
                server.stop()
        chromium.close()
    f_cold, f_change = statistics.median(floor["cold"]), statistics.median(floor["change"])
    f_rss = statistics.median(floor["rss"])
    out = {"floor": {"cold_start_ms": _ms(f_cold), "filter_change_ms": _ms(f_change),
                     "rss_mb": f_rss},
           "project": {"cold_start_ms": _ms(statistics.median(project["cold"])),
                       "cold_ratio": _ratio(statistics.median(project["cold"]), f_cold),
                       "rss_mb": statistics.median(project["rss"]),
                       "rss_over_floor_mb": round(statistics.median(project["rss"]) - f_rss, 1)}}
    for name in CHART_PAGES:
        took = statistics.median(project[f"change_{name}"])
        out["project"][f"filter_change_{name}_ms"] = _ms(took)
        out["project"][f"filter_change_{name}_ratio"] = _ratio(took, f_change)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("measure", choices=["apptest", "browser"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", help="a record to use instead of data/ (PRESENCE_DATA)")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.data:
        env["PRESENCE_DATA"] = str(Path(args.data).resolve())
        os.environ["PRESENCE_DATA"] = env["PRESENCE_DATA"]
    sys.path.insert(0, str(ROOT))
    result = {"measure": args.measure, "rounds": args.rounds, "data": args.data or "data/",
              "python": platform.python_version(), "cpus": os.cpu_count(),
              "load_average": os.getloadavg()}
    if args.measure == "apptest":
        os.chdir(ROOT)
        result.update(apptest(args.rounds))
    else:
        result.update(browser(args.rounds, env))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
