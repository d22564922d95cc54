"""Chart -> PNG through the project's export against a bare kaleido call; prints JSON.

    python bench/bench_export.py [--repeats 5]

The chart is the KFOR strength line of the shipped record with its caption (title,
filters, sources, data date), as the Troops page exports it. The project's figure is
`presence.view.export.figure_bytes(fig, "png", caption)`: the first call (which may start a
browser) and the median of the warm calls after it. The floor is kaleido's own
`Kaleido.calc_fig` on the same captioned figure, on a kaleido browser of its own
opened before timing starts (not kaleido's global server, which plotly would
otherwise use for the project's calls too): rendering and nothing else. Both are timed in this run, alternating.
The bar (issue 15): warm export at most 1.5 times the floor.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kaleido
import plotly

from presence.record.dataset import load_dataset
from presence.view import charts, export, query
from presence.view.filters import Filters


def chart() -> tuple:
    ds = load_dataset()
    filters = Filters(missions=("KFOR",))
    frame = query.troops(ds, filters, totals=True)
    caption = export.Caption(title="KFOR strength", filters=filters.describe(),
                             data_date=query.data_date(frame),
                             sources=export.caption_sources(frame))
    return charts.strength_over_time(frame), caption


class BareKaleido:
    """A kaleido browser kept open on an event loop of its own."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.kaleido = self._run(self._open())

    async def _open(self):
        browser = kaleido.Kaleido(n=1, timeout=90)
        await browser.open()
        return browser

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def calc_fig(self, fig_dict: dict, opts: dict) -> bytes:
        return self._run(self.kaleido.calc_fig(fig_dict, opts=opts))

    def close(self) -> None:
        self._run(self.kaleido.close())
        self.loop.call_soon_threadsafe(self.loop.stop)


def timed(call) -> tuple[float, bytes]:
    start = time.perf_counter()
    out = call()
    return time.perf_counter() - start, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    fig, caption = chart()
    captioned = export.captioned(fig, caption)
    fig_dict = captioned.to_dict()
    opts = {"format": "png", "width": captioned.layout.width,
            "height": captioned.layout.height, "scale": 2}

    first_s, first_png = timed(lambda: export.figure_bytes(fig, "png", caption))
    bare = BareKaleido()
    floor_first_s, floor_png = timed(lambda: bare.calc_fig(fig_dict, opts))
    project, floor = [], []
    for _ in range(args.repeats):
        seconds, png = timed(lambda: export.figure_bytes(fig, "png", caption))
        project.append(seconds)
        floor.append(timed(lambda: bare.calc_fig(fig_dict, opts))[0])
    bare.close()
    project_s, floor_s = statistics.median(project), statistics.median(floor)
    print(json.dumps({
        "measure": "chart -> PNG", "chart": "KFOR strength with caption, scale 2",
        "repeats": args.repeats, "project_first_s": round(first_s, 3),
        "project_warm_s": round(project_s, 3), "floor_s": round(floor_s, 3),
        "ratio": round(project_s / floor_s, 2), "bar_ratio": 1.5,
        "floor_first_s": round(floor_first_s, 3),
        "project_runs_s": [round(t, 3) for t in project],
        "floor_runs_s": [round(t, 3) for t in floor],
        "png_bytes": len(png), "first_png_equals_warm": first_png == png,
        "png_equals_floor": png == floor_png,
        "floor": "Kaleido.calc_fig on the same captioned figure, its browser already open",
        "kaleido": importlib.metadata.version("kaleido"),
        "plotly": plotly.__version__, "cpu_count": os.cpu_count(),
        "python": platform.python_version()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
