"""Exports: figures as PNG/SVG/PDF/HTML, their data as CSV/Excel, the map as GeoJSON.

A chart that leaves the dashboard travels without it, so the file itself
carries the title, the filters applied, the sources and the date of the data.
"""
from __future__ import annotations

import asyncio
import atexit
import contextlib
import datetime as dt
import io
import json
import os
import re
import threading
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
MAX_SOURCES_PRINTED = 6


@dataclass(frozen=True)
class Caption:
    title: str
    filters: str
    data_date: str
    sources: tuple[str, ...]  # "Outlet (date)" strings, most used first

    def sources_line(self) -> str:
        shown = list(self.sources[:MAX_SOURCES_PRINTED])
        more = len(self.sources) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more (listed in the data export)" if more else "")
        return f"Sources: {text}" if text else "Sources: none"


def caption_sources(frame: pd.DataFrame) -> tuple[str, ...]:
    """Distinct sources of a frame as 'Outlet (published)', most-cited first."""
    if frame.empty or "source_id" not in frame:
        return ()
    counts = frame.groupby(["source_id", "outlet", "source_published"], dropna=False).size()
    counts = counts.sort_values(ascending=False)
    return tuple(f"{outlet} ({published if isinstance(published, str) and published else 'n.d.'})"
                 for (_, outlet, published) in counts.index)


def _wrap(text: str, width: int = 150) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)


def captioned(fig: go.Figure, caption: Caption) -> go.Figure:
    """A copy of `fig` with title, filters, data date and sources printed on it."""
    out = go.Figure(fig)
    foot = _wrap(f"{caption.sources_line()}  ·  Filters: {caption.filters}  ·  "
                 f"Data as of {caption.data_date}  ·  Western Balkans security-presence dashboard")
    n_lines = foot.count("<br>") + 1
    height = (out.layout.height or 500) + 30 + 16 * n_lines
    out.update_layout(
        title={"text": f"<b>{caption.title}</b>", "x": 0.01, "xanchor": "left"},
        height=height, width=out.layout.width or 1100,
        margin={"t": 80, "b": 60 + 16 * n_lines, "l": 70, "r": 30},
        paper_bgcolor="white")
    out.add_annotation(text=foot, showarrow=False, xref="paper", yref="paper", x=0,
                       y=0, yshift=-(40 + 16 * n_lines), xanchor="left", yanchor="bottom",
                       align="left", font={"size": 11, "color": "#333"})
    return out


def figure_bytes(fig: go.Figure, fmt: str, caption: Caption) -> bytes:
    """Build one export file. Called only when the user asks for it.

    Images are drawn by the process's one kaleido browser (`RENDERER`), opened on
    the first image export and kept for the next; ExportUnavailable says what to
    install when there is no Chromium.
    """
    out = captioned(fig, caption)
    if fmt == "html":
        # Plotly's JS is embedded so the file opens offline.
        return out.to_html(include_plotlyjs=True, full_html=True,
                           config={"displaylogo": False}).encode("utf-8")
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (png, svg, pdf or html)")
    # What plotly's `to_image` hands kaleido: the figure as a dict, drawn at its own size.
    opts = {"format": fmt, "width": out.layout.width, "height": out.layout.height,
            "scale": 2 if fmt == "png" else 1}
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
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
    if not path or not os.access(path, os.X_OK) or os.path.isdir(path):
        raise ExportUnavailable(NO_CHROMIUM)


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
LICENCE = ("CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/) for the curated "
           "figures; each source's own terms apply to its text")
PROJECT = "Western Balkans security-presence dashboard"


def citation(caption: Caption) -> str:
    """One line to cite an export by."""
    return f"{PROJECT}: {caption.title} ({caption.filters}), data as of {caption.data_date}."


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
