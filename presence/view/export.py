"""Exports: figures as PNG/SVG/PDF/HTML, their data as CSV/Excel, the map as GeoJSON.

A chart that leaves the dashboard travels without it, so the file itself
carries the title, the filters applied, the sources and the date of the data,
and an image also the link back to the view, the licence and how to cite it.
The reader frames an image in the chart's export panel (`Framing`: title,
subtitle, clean or analyst style, size, series); `captioned` draws that frame.

One module, though long: the image frame, the data files and their metadata
(`about`, licence, citation) describe one export in the same words, and the
one kaleido browser that draws the images belongs to it.
"""
from __future__ import annotations

import asyncio
import atexit
import contextlib
import datetime as dt
import html
import io
import json
import os
import re
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from presence.view.charts import ANALYST
from presence.view.text import plain

IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
MAX_SOURCES_PRINTED = 6


@dataclass(frozen=True)
class Caption:
    title: str
    filters: str
    data_date: str
    sources: tuple[str, ...]  # "Outlet (date)" strings, most used first
    note: str = ""  # what the chart's numbers are, when its title does not say (a unit, a basis)

    def sources_line(self) -> str:
        shown = list(self.sources[:MAX_SOURCES_PRINTED])
        more = len(self.sources) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more (listed in the data export)" if more else "")
        return f"Sources: {text}" if text else "Sources: none"


def caption_sources(frame: pd.DataFrame) -> tuple[str, ...]:
    """Distinct sources of a frame as 'Outlet (published)', most-cited first."""
    if frame.empty or "source_id" not in frame:
        return ()
    # counted in Python: a chart's frame cites a few dozen sources, and a group-by over
    # three text columns costs more than the counting (ties: in the order of their ids)
    counts = Counter(zip(frame["source_id"].tolist(), frame["outlet"].tolist(),
                         frame["source_published"].tolist()))
    ranked = sorted(counts, key=lambda k: (-counts[k], *(_order(part) for part in k)))
    return tuple(f"{outlet} ({published if isinstance(published, str) and published else 'n.d.'})"
                 for (_, outlet, published) in ranked)


def _order(value) -> tuple:
    """A sort key for a text cell that may be missing: missing values last."""
    return (1, "") if not isinstance(value, str) else (0, value)


# The sizes a chart is published at. Each is the image's exact size in pixels at scale 1
# (kaleido draws a layout of width x height CSS pixels, times `scale`); "print" is the
# article layout drawn at twice the pixels. A4 is 297 x 210 mm at 96 pixels an inch, so the
# PDF's page is A4 landscape.
@dataclass(frozen=True)
class Size:
    label: str
    width: int
    height: int
    scale: int = 1

    @property
    def pixels(self) -> tuple[int, int]:
        return self.width * self.scale, self.height * self.scale


SIZES = {
    "article": Size("Article or social post, 1200×675", 1200, 675),
    "square": Size("Square, 1080×1080", 1080, 1080),
    "phone": Size("Phone, 800×1000", 800, 1000),
    "a4": Size("A4 landscape, for PDF (1123×794)", 1123, 794),
    "print": Size("Print, 2400×1350 (the article layout at 2×)", 1200, 675, 2),
}
MODES = {"clean": "Clean: the series and its band",
         "analyst": "Analyst: every figure, events, change markers"}


@dataclass(frozen=True)
class Framing:
    """How one export is framed: what the reader chose in the chart's export panel.

    `title` empty means the caption's title; `subtitle` None means the filters line
    (empty means none). `series` names the legend entries kept (None: all).
    `link` is the address that reopens the view, printed in the footer.
    """
    title: str = ""
    subtitle: str | None = None
    mode: str = "clean"
    size: str = "article"
    series: tuple[str, ...] | None = None
    link: str = ""

    def title_for(self, caption: Caption) -> str:
        return self.title.strip() or caption.title

    def subtitle_for(self, caption: Caption) -> str:
        return default_subtitle(caption) if self.subtitle is None else self.subtitle.strip()


def default_subtitle(caption: Caption) -> str:
    """The chart's own note (its unit or basis, when it has one), then the filters."""
    return " · ".join(p for p in (caption.note, f"Filters: {caption.filters}") if p)


def _lines(text: str, width: int) -> list[str]:
    """Words packed into lines of at most `width` characters (a longer word stands alone)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def _link_lines(link: str, width: int) -> list[str]:
    """A long address broken after its '&' or '?' (it has no spaces to break at)."""
    parts = re.split(r"(?<=[?&])", link)
    lines, line = [], ""
    for part in parts:
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = part
        else:
            line += part
    return lines + [line] if line else lines


def _is_analyst(item) -> bool:
    return getattr(item, "meta", None) == ANALYST or getattr(item, "name", None) == ANALYST


def _legend_entries(traces) -> dict[str, str]:
    """Legend entry name -> its legend group, for the traces that draw an entry."""
    entries: dict[str, str] = {}
    for t in traces:
        if t.type not in _LEGEND_TYPES or t.showlegend is False or not t.name:
            continue
        entries.setdefault(t.name, t.legendgroup or t.name)
    return entries


_LEGEND_TYPES = ("scatter", "scattergl", "bar", "scattermap", "scattergeo", "scattermapbox")


def series(fig: go.Figure, mode: str = "analyst") -> list[str]:
    """The legend entries a reader can keep or leave out of an export, in legend order.

    The browser does not tell the server which entries the reader hid with a click
    on the legend, so the export panel asks again with these."""
    if fig.layout.showlegend is False:
        return []
    traces = [t for t in fig.data if mode == "analyst" or not _is_analyst(t)]
    return list(_legend_entries(traces))


def _selected(traces: list, keep: tuple[str, ...]) -> list:
    """The traces of the kept entries, with their unlabelled parts (a band, the points
    of a line): a trace without an entry goes with its legend group."""
    entries = _legend_entries(traces)
    kept_groups = {g for name, g in entries.items() if name in keep}
    dropped_groups = {g for name, g in entries.items() if name not in keep} - kept_groups
    out = []
    for t in traces:
        if t.name in entries and t.type in _LEGEND_TYPES and t.showlegend is not False:
            if t.name in keep:
                out.append(t)
        elif (t.legendgroup or t.name) not in dropped_groups:
            out.append(t)
    return out


def prepared(fig: go.Figure, mode: str = "analyst",
             keep: tuple[str, ...] | None = None) -> go.Figure:
    """A copy of `fig` as the export draws it: in "clean" mode without the analyst's
    layers (charts.ANALYST) and with the figure's own clean layout; with `keep`, only
    those legend entries."""
    if mode not in MODES:
        raise ValueError(f"unknown export mode '{mode}' ({' or '.join(MODES)})")
    traces = list(fig.data)
    layout = go.Layout(fig.layout)
    if mode == "clean":
        traces = [t for t in traces if not _is_analyst(t)]
        layout.annotations = [a for a in layout.annotations if not _is_analyst(a)]
        layout.shapes = [s for s in layout.shapes if not _is_analyst(s)]
        meta = layout.meta if isinstance(layout.meta, dict) else {}
        layout.update(meta.get("clean") or {})
    if keep is not None:
        traces = _selected(traces, tuple(keep))
    return go.Figure(data=traces, layout=layout)


def has_analyst_layers(fig: go.Figure) -> bool:
    """Whether "clean" and "analyst" differ for this figure (charts.ANALYST)."""
    layout = fig.layout
    return any(_is_analyst(item) for item in (*fig.data, *layout.annotations, *layout.shapes))


def view_link(url: str | None, params: Mapping[str, str]) -> str:
    """The address that reopens a view: the page's URL (without a query of its own)
    with the view's query; only the query, which a browser reads against the page it
    is on, when the URL is not known."""
    query = urlencode(dict(params), safe=",")
    parts = urlsplit(url or "")
    # The default page's URL is the bare host: its path is "/".
    base = urlunsplit((parts.scheme, parts.netloc, parts.path or ("/" if parts.netloc else ""),
                       "", ""))
    return f"{base}?{query}" if query else (base or "?")


def embed_code(link: str, title: str, height: int = 720, chart: str | None = None) -> str:
    """An <iframe> showing the view in Streamlit's embed mode (`embed=true`: no menu or
    toolbar); with `chart`, only that chart and its footer (`chart=KEY`, which the page
    shell honours); the filters ride in the same query."""
    sep = "" if link.endswith("?") else "&" if "?" in link else "?"
    src = f"{link}{sep}" + urlencode({**({"chart": chart} if chart else {}), "embed": "true"})
    return (f'<iframe src="{html.escape(src, quote=True)}" title="{html.escape(title, quote=True)}"'
            f' width="100%" height="{int(height)}" style="border:0" loading="lazy"></iframe>')


# Type in the frame: sizes in pixels and the width of an average character at each size
# (DejaVu Sans), to wrap text before Plotly draws it (it does not wrap on its own).
TITLE_PX, SUBTITLE_PX, LEGEND_PX, FOOT_PX = 22, 14, 12, 11
CHAR_WIDTH = 0.6  # of the font size
PAD = 16
BELOW_AXIS, BELOW_COLOURBAR = 40, 80  # under the plot: an axis' labels, a colour bar


def _chars(width: float, font_px: int) -> int:
    return max(int(width / (font_px * CHAR_WIDTH)), 20)


def footer_lines(caption: Caption, framing: Framing, width: int) -> list[str]:
    """The footer of an image or page, as lines of Plotly text: the sources, the data's
    date, the licence, the citation and the link that reopens the view."""
    chars = _chars(width - 2 * PAD, FOOT_PX)
    title = framing.title_for(caption)
    lines = _lines(caption.sources_line(), chars)
    lines += _lines(f"Data as of {caption.data_date} · Licence: {LICENCE_SHORT} (the "
                    f"curated figures; each source keeps its own terms)", chars)
    lines += _lines(f"Cite as: {citation(caption, title)}", chars)
    out = [plain(line) for line in lines]
    link = framing.link or ""
    if link:
        live = link.startswith(("http://", "https://"))
        href = html.escape(link, quote=True)
        for i, part in enumerate(_link_lines(link, chars - len("View: "))):
            shown = plain(part)
            # A live link in SVG, PDF and HTML (a PNG shows it as text), however it breaks.
            shown = f'<a href="{href}">{shown}</a>' if live else shown
            out.append(("View: " if i == 0 else "") + shown)
    return out


def captioned(fig: go.Figure, caption: Caption, framing: Framing | None = None) -> go.Figure:
    """`fig` framed for publishing: its size, the title and subtitle over it, the legend
    under them, and the footer (sources, data date, licence, citation, link) under it.

    Every height is counted in pixels from the text it holds, so the title, legend,
    plot and footer never overlap at any of the SIZES.
    """
    framing = framing or Framing()
    size = SIZES[framing.size]
    out = prepared(fig, framing.mode, framing.series)
    width, height = size.width, size.height
    title = _lines(plain(framing.title_for(caption)), _chars(width - 2 * PAD, TITLE_PX))
    subtitle = _lines(plain(framing.subtitle_for(caption)),
                      _chars(width - 2 * PAD, SUBTITLE_PX))
    entries = _legend_entries(out.data) if out.layout.showlegend is not False else {}
    left, right = _left_margin(out), 30
    # Plotly fits a horizontal legend to the plot's width, not the image's.
    legend_rows = _legend_rows(list(entries), width - left - right) if len(entries) > 1 else 0
    foot = footer_lines(caption, framing, width)

    title_h = round(TITLE_PX * 1.3) * len(title)
    subtitle_h = round(SUBTITLE_PX * 1.4) * len(subtitle)
    legend_top = PAD + title_h + subtitle_h + 8
    legend_h = 22 * legend_rows
    top = legend_top + legend_h + 40  # room for a subplot title or two lines of key
    foot_h = round(FOOT_PX * 1.35) * len(foot)
    axis_h = _below_plot(out)
    bottom = axis_h + foot_h + PAD
    for t in out.data:  # a horizontal legend flows; a group's title would stack it instead
        if getattr(t, "legendgrouptitle", None) is not None:
            t.legendgrouptitle = None
    out.update_layout(
        width=width, height=height, paper_bgcolor="white", autosize=False,
        margin={"t": top, "b": bottom, "l": left, "r": right, "autoexpand": True},
        title={"text": "<br>".join(f"<b>{line}</b>" for line in title), "x": PAD / width,
               "xref": "container", "xanchor": "left", "y": 1 - PAD / height,
               "yref": "container", "yanchor": "top", "font": {"size": TITLE_PX},
               "subtitle": {"text": "<br>".join(subtitle),
                            "font": {"size": SUBTITLE_PX, "color": "#444"}}},
        legend={"orientation": "h", "x": PAD / width, "xref": "container", "xanchor": "left",
                "y": 1 - legend_top / height, "yref": "container", "yanchor": "top",
                "font": {"size": LEGEND_PX}, "title": {"text": ""}, "traceorder": "normal"},
        showlegend=bool(legend_rows))
    out.add_annotation(text="<br>".join(foot), showarrow=False, xref="paper", yref="paper",
                       x=0, xshift=PAD - left, y=0, yshift=-axis_h, xanchor="left",
                       yanchor="top", align="left", font={"size": FOOT_PX, "color": "#333"})
    return out


def _below_plot(fig: go.Figure) -> int:
    """Room under the plot for what Plotly draws there: the x axis' tick labels (40 px),
    or a map's horizontal colour bar with its title and tick labels (80 px), which the
    footer must not print over."""
    for t in fig.data:
        bar = getattr(t, "colorbar", None) if "colorbar" in t else None
        if bar is not None and bar.orientation == "h" and t["showscale"] is not False:
            return BELOW_COLOURBAR
    return BELOW_AXIS


def _left_margin(fig: go.Figure) -> int:
    """Room for the y axes' title and tick labels, from the longest label the figure
    names (a category axis, text ticks, the rows of a bar chart or heat map); numbers
    take about seven characters. Plotly would widen the margin itself, but then the
    footer, placed from the plot's left edge, would move with it."""
    labels: list = []
    for name in fig.layout:
        axis = fig.layout[name] if name.startswith("yaxis") else None
        if axis is not None and axis.visible is not False:
            labels += list(axis.ticktext or ()) + list(axis.categoryarray or ())
    for t in fig.data:
        if t.type in ("bar", "heatmap") and getattr(t, "y", None) is not None:
            labels += [y for y in t.y if isinstance(y, str)]
    longest = max([7] + [len(str(label)) for label in labels])
    return int(34 + longest * 12 * CHAR_WIDTH)


def _legend_rows(names: list[str], width: int) -> int:
    """Rows a horizontal legend of these entries takes: Plotly lines its entries up in
    columns as wide as the widest, as many as fit the width."""
    widest = 40 + LEGEND_PX * CHAR_WIDTH * max(len(name) for name in names)
    columns = max(int(width // widest), 1)
    return -(-len(names) // columns)


def figure_bytes(fig: go.Figure, fmt: str, caption: Caption,
                 framing: Framing | None = None) -> bytes:
    """Build one export file. Called only when the user asks for it.

    Images are drawn by the process's one kaleido browser (`RENDERER`), opened on
    the first image export and kept for the next; ExportUnavailable says what to
    install when there is no Chromium. A PNG is the size's pixels exactly
    (`Size.pixels`: width and height times its scale).
    """
    framing = framing or Framing()
    out = captioned(fig, caption, framing)
    if fmt == "html":
        # Plotly's JS is embedded so the file opens offline.
        return out.to_html(include_plotlyjs=True, full_html=True,
                           config={"displaylogo": False}).encode("utf-8")
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (png, svg, pdf or html)")
    size = SIZES[framing.size]
    # What plotly's `to_image` hands kaleido: the figure as a dict, drawn at its own size.
    opts = {"format": fmt, "width": size.width, "height": size.height,
            "scale": size.scale if fmt == "png" else 1}
    return RENDERER.render(out.to_dict(), opts)


class ExportUnavailable(RuntimeError):
    """An image export cannot be drawn on this machine; the message says why and what to do."""


def check_images() -> None:
    """Raise ExportUnavailable now when there is no browser to draw images with.

    A download is built in Streamlit's deferred callback, where an exception only
    reaches the reader as "Failed to generate file": the page calls this while it
    runs, so it can say what to install instead. Looks where kaleido looks
    (BROWSER_PATH, then Chromium or Chrome on PATH and in their usual places).
    """
    if RENDERER.running():
        return
    # Searching costs a few milliseconds a chart on every run; the browser found is
    # remembered for the same BROWSER_PATH and PATH, and looked for again only when it
    # is no longer there (or was never found).
    where = (os.environ.get("BROWSER_PATH"), os.environ.get("PATH"))
    path = _BROWSERS_FOUND.get(where)
    if not _runnable(path):
        from choreographer.browsers.chromium import Chromium

        path = _BROWSERS_FOUND[where] = Chromium.find_browser(skip_local=False)
    if not _runnable(path):
        raise ExportUnavailable(NO_CHROMIUM)


_BROWSERS_FOUND: dict[tuple[str | None, str | None], str | None] = {}


def _runnable(path: str | None) -> bool:
    return bool(path) and os.access(path, os.X_OK) and not os.path.isdir(path)


# Starting Chromium takes seconds (about 10 on the 2-core test machine) and a render
# on an open one about half a second, so one browser serves every export of a process.
START_TIMEOUT_S = 60
RENDER_TIMEOUT_S = 90  # kaleido's own default for one image
NO_CHROMIUM = ("PNG, SVG and PDF export need Chromium (or Google Chrome), which was not "
               "found on this machine. Install it (Debian or Ubuntu: apt install chromium) "
               "or set BROWSER_PATH to its executable. HTML, CSV, Excel and GeoJSON "
               "exports work without it.")


class Renderer:
    """One kaleido browser kept open on an event loop of its own, started on first use.

    Exports from several sessions take turns (a lock): kaleido's own sync server
    hands results back in a shared queue, which two threads could swap. A render
    that fails or hangs closes the browser, so the next export starts a fresh one
    instead of waiting on a dead one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._browser = None
        self.starts = 0  # browsers opened so far (one, unless a render failed)
        atexit.register(self.close)

    def render(self, fig_dict: dict, opts: dict) -> bytes:
        with self._lock:
            if self._browser is None:
                self._start()
            job = asyncio.run_coroutine_threadsafe(
                self._browser.calc_fig(fig_dict, opts=opts, topojson=pio.defaults.topojson),
                self._loop)
            try:
                return job.result(timeout=RENDER_TIMEOUT_S)
            except BaseException:
                job.cancel()
                self._close()
                raise

    def running(self) -> bool:
        return self._browser is not None

    def close(self) -> None:
        with self._lock:
            self._close()

    def _start(self) -> None:
        import kaleido
        from kaleido.errors import ChromeNotFoundError

        # The browser options plotly's `to_image` would pass, but MathJax off unless
        # configured: kaleido would fetch it from a CDN, and the dashboard fetches
        # nothing from the internet (no chart of ours writes TeX).
        options = {name: getattr(pio.defaults, name) for name in ("plotlyjs", "mathjax",
                                                                  "headers")
                   if getattr(pio.defaults, name, None)}
        options.setdefault("mathjax", False)

        async def open_browser():
            browser = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT_S, **options)
            await browser.open()
            return browser

        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="export-renderer", daemon=True).start()
        try:
            self._browser = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(
                timeout=START_TIMEOUT_S)
        except ChromeNotFoundError as exc:
            loop.call_soon_threadsafe(loop.stop)
            raise ExportUnavailable(NO_CHROMIUM) from exc
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            raise
        self._loop = loop
        self.starts += 1

    def _close(self) -> None:
        browser, loop = self._browser, self._loop
        self._browser = self._loop = None
        if loop is None:
            return
        if browser is not None:
            # A browser that will not close is left to end with the process.
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)


RENDERER = Renderer()


# The dataset's terms, printed in every data export's metadata (the JSON sidecar and the
# workbook's `about` sheet). The figures are facts recorded with their citation; the
# articles and documents they come from keep their own terms.
LICENCE_SHORT = "CC BY 4.0"
LICENCE = (f"{LICENCE_SHORT} (https://creativecommons.org/licenses/by/4.0/) for the curated "
           "figures; each source's own terms apply to its text")
PROJECT = "Western Balkans security-presence dashboard"


def citation(caption: Caption, title: str | None = None) -> str:
    """One line to cite an export by (`title`: the one the reader gave the image)."""
    return (f"{PROJECT}: {title or caption.title} ({caption.filters}), data as of "
            f"{caption.data_date}.")


def about(caption: Caption, frame: pd.DataFrame,
          shown: pd.DataFrame | None = None) -> dict:
    """What an export is: title, filters, data date, sources, licence, citation, columns;
    with `shown` (the displayed-data frame), its rows and columns too."""
    meta = {"title": caption.title, "filters": caption.filters,
            "data_as_of": caption.data_date, "rows": len(frame),
            "columns": [str(c) for c in _public(frame).columns],
            "sources": list(caption.sources), "sources_line": caption.sources_line(),
            "licence": LICENCE, "citation": citation(caption), "published_by": PROJECT}
    if shown is not None:
        meta["displayed"] = {"rows": len(shown), "columns": list(shown.columns),
                             "what": DISPLAYED_NOTE}
    return meta


# The points a troop chart draws, one row each: the columns a reader re-plotting the
# chart needs, in the order they read it.
DISPLAYED_COLUMNS = ["date", "period", "mission_id", "entity", "estimate", "low", "high",
                     "n_sources", "estimate_source_ids"]
DISPLAYED_NOTE = ("One row per point the chart draws: each series' best estimate for a "
                  "period (date is the point's position, period the date as precise as its "
                  "sources), the low-high range of the figures behind it and how many "
                  "sources gave them. The full data holds every figure with its source.")


def displayed(estimates: pd.DataFrame) -> pd.DataFrame:
    """What a troop chart shows, from query.estimates: the 'level' periods its line
    and band run through (a held or bound period is not drawn), one row each.

    `entity` is the mission for a mission total, the contributing nation for a
    contingent (the mission stays in `mission_id`). An estimate is a median, so
    it can fall on a half; a series of whole numbers is written as integers.
    `n_sources` counts every source behind the range (low to high); the estimate itself
    rests on the best-ranked of them (presence.view.estimate), listed in
    `estimate_source_ids`, so the list can be shorter than the count.
    """
    if estimates.empty:
        return pd.DataFrame(columns=DISPLAYED_COLUMNS)
    drawn = estimates[estimates.status == "level"]
    entity = drawn.mission_id.where(drawn.contributor == "ALL", drawn.get(
        "contributor_name", drawn.contributor))
    value = drawn.value.astype(float)
    if (value.dropna() % 1 == 0).all():
        value = value.round().astype("Int64")
    out = pd.DataFrame({"date": pd.to_datetime(drawn.date), "period": drawn.label,
                        "mission_id": drawn.mission_id, "entity": entity,
                        "estimate": value, "low": drawn.low.astype("Int64"),
                        "high": drawn.high.astype("Int64"),
                        "n_sources": drawn.n_sources.astype("Int64"),
                        "estimate_source_ids": drawn.source_ids})
    return out.sort_values(["mission_id", "entity", "date"], kind="stable") \
        .reset_index(drop=True)


def _about(caption: Caption, frame: pd.DataFrame) -> pd.DataFrame:
    meta = about(caption, frame)
    fields = ["title", "filters", "data as of", "rows", "sources", "licence", "citation"]
    return pd.DataFrame({"field": fields,
                         "value": [meta["title"], meta["filters"], meta["data_as_of"],
                                   str(meta["rows"]), meta["sources_line"], meta["licence"],
                                   meta["citation"]]})


def _public(frame: pd.DataFrame, *, text_dates: bool = True) -> pd.DataFrame:
    """Drop helper columns the dataset does not publish (derived period bounds, and the
    'wider' flag, which repeats the published `scope` column). Dates become
    YYYY-MM-DD text for a CSV; a workbook keeps them as dates (`text_dates=False`)."""
    drop = [c for c in frame.columns
            if c.endswith(("_start", "_end")) or c in ("customdata", "wider")]
    out = frame.drop(columns=drop)
    if text_dates:
        for col in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[col]):
                out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


# OWASP's CSV-injection guidance: a spreadsheet runs a cell that begins with one of
# these as a formula (=HYPERLINK(...) from a source title would be live in the export).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would read as a formula, prefixed with "'".

    Numbers stay numbers: numeric columns are untouched, and so is a text cell
    that is just a number such as "-12.5".
    """
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(
                out[col]):
            continue
        out[col] = out[col].map(
            lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START)
            and not _PLAIN_NUMBER.fullmatch(v) else v)
    return out


def csv_bytes(frame: pd.DataFrame, caption: Caption | None = None) -> bytes:
    """Plain CSV, one header line then one line a row, every row carrying its source
    (id, outlet, title, URL), so Excel, Sheets, Datawrapper or `pandas.read_csv` open
    it as it is. What the file is (title, filters, sources, date, licence, citation)
    travels beside it: `about_json_bytes` and the workbook's `about` sheet.

    CRLF line ends (RFC 4180): the writer quotes a cell holding any character of
    the line end, so a bare carriage return in a note cannot split a row.
    """
    return neutralised(_public(frame)).to_csv(index=False, lineterminator="\r\n") \
        .encode("utf-8")


def about_json_bytes(frame: pd.DataFrame, caption: Caption,
                     shown: pd.DataFrame | None = None) -> bytes:
    """The sidecar of the CSV exports: `about` as JSON."""
    return json.dumps(about(caption, frame, shown), ensure_ascii=False, indent=2) \
        .encode("utf-8")


# Text columns holding a date as precise as its source ("1999", "1999-06", "1999-06-21"):
# in a workbook, a full day becomes a date cell; a year or month stays text, never
# a made-up 1 January.
_DATE_TEXT_COLUMNS = ("as_of", "published", "source_published")
_FULL_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEB_LINK = re.compile(r"https?://\S+", re.IGNORECASE)


def _sheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame as a workbook sheet holds it: published columns, formulas neutralised,
    datetimes and full-day date text as days (`datetime.date`, which openpyxl writes
    as a date cell shown yyyy-mm-dd; every date of ours is a day, none a time)."""
    out = neutralised(_public(frame, text_dates=False)).astype(object)
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(frame.get(col, pd.Series(dtype=object))):
            out[col] = [v.date() if isinstance(v, pd.Timestamp) else None for v in out[col]]
        elif col in _DATE_TEXT_COLUMNS:
            out[col] = [dt.date.fromisoformat(v) if isinstance(v, str) and _FULL_DAY.fullmatch(v)
                        else v for v in out[col]]
    return out


def _finish_sheet(sheet, *, links: bool = True) -> None:
    """Header frozen, a filter on every column, web addresses clickable."""
    if sheet.max_row < 1 or sheet.max_column < 1:
        return
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if (links and header[cell.column - 1] == "url" and isinstance(cell.value, str)
                  and _WEB_LINK.fullmatch(cell.value)):
                cell.hyperlink = cell.value
                cell.style = "Hyperlink"


def excel_bytes(frame: pd.DataFrame, caption: Caption, sources: pd.DataFrame,
                shown: pd.DataFrame | None = None) -> bytes:
    """Workbook: the data, the points the chart draws (`shown`, when given), the sources
    it cites and what the export is. Dates are date cells, source URLs are links (only
    http and https: a cell is never a link to run something), the header row is
    frozen and every column has a filter."""
    buf = io.BytesIO()
    cited = sources[sources.source_id.isin(frame.get("source_id", pd.Series(dtype=str)))]
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        _sheet_frame(frame).to_excel(xl, sheet_name="data", index=False)
        if shown is not None:
            _sheet_frame(shown).to_excel(xl, sheet_name="displayed", index=False)
        _sheet_frame(cited).to_excel(xl, sheet_name="sources", index=False)
        neutralised(_about(caption, frame)).to_excel(xl, sheet_name="about", index=False)
        for name, sheet in xl.sheets.items():
            if name != "about":
                _finish_sheet(sheet)
    return buf.getvalue()


def geojson_bytes(collection: dict, caption: Caption) -> bytes:
    out = dict(collection)
    out["metadata"] = {"title": caption.title, "filters": caption.filters,
                       "data_as_of": caption.data_date, "sources": list(caption.sources),
                       "boundaries": "Natural Earth 1:10m (public domain), via world-atlas"}
    return json.dumps(out, ensure_ascii=False).encode("utf-8")
