"""Plotly figures from query frames: pure functions, frame in, figure out.

Tests call these without Streamlit; pages only render what comes back.
Hover text always names the source, because the first thing an analyst asks
of a point is who said so.

One module, though long: the charts share colours, symbols, scales, hover and the
escaping of text from data, and each is one function to copy for the next.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from presence.record.schema import MEASURE_SHORT
from presence.view.estimate import CHANGE_SHARE
from presence.view.text import plain

MISSION_COLOURS = {"KFOR": "#1f4e79", "IFOR": "#8c564b", "SFOR": "#d9822b",
                   "EUFOR-ALTHEA": "#2a9d48"}
EVENT_SYMBOLS = {"deployment": "triangle-up", "reinforcement": "triangle-up",
                 "drawdown": "triangle-down", "handover": "diamond", "mandate": "square",
                 "incident": "x", "visit": "circle"}
EVENT_COLOURS = {"deployment": "#2a9d48", "reinforcement": "#c0392b", "drawdown": "#7f8c8d",
                 "handover": "#8e44ad", "mandate": "#2c3e50", "incident": "#e67e22",
                 "visit": "#2980b9"}
QUALIFIER_SYMBOL = {"exact": "circle", "approx": "circle-open", "upper": "triangle-down-open",
                    "lower": "triangle-up-open"}
QUALIFIER_WORD = {"exact": "", "approx": "about ", "upper": "up to ", "lower": "more than "}
NATION_PALETTE = qualitative.Dark24 + qualitative.Light24  # plotly.colors: not express

# What only an analyst's copy of a chart shows (the reported figures behind the line, the
# events strip, change markers, the key to their symbols): such a trace has this `meta`,
# such an annotation or shape this `name`. The export's "clean" mode drops them, keeping the
# series and its band, and applies the figure's `layout.meta["clean"]` (a layout update:
# the events strip's axes hidden, the plot grown into their room). The dashboard draws all.
ANALYST = "analyst"


def nation_colours(codes) -> dict[str, str]:
    """One colour per nation, keyed by code, the same in every view and filter.

    Codes are given colours in the order passed (query.nation_order: the whole
    record's largest contributors first, so they get the most distinct
    colours); a filter that hides some nations never shifts the others.
    """
    return {code: NATION_PALETTE[i % len(NATION_PALETTE)] for i, code in enumerate(codes)}


def _fallback_colour(code: str) -> str:
    """A colour from the code itself, for a nation missing from the given order."""
    import zlib

    return NATION_PALETTE[zlib.crc32(code.encode()) % len(NATION_PALETTE)]
# Legends sit under the plot, in rows: on a phone a legend beside the plot took most of
# its 390 px and left the lines about 60 px wide; under it, the plot keeps the width.
BELOW = dict(orientation="h", x=0, xanchor="left", y=-0.1, yanchor="top",
             title_side="top left")
LAYOUT = dict(template="plotly_white", font=dict(family="DejaVu Sans, Arial, sans-serif", size=13),
              hoverlabel=dict(align="left"), margin=dict(l=12, r=12, t=60, b=50))


# A numeric axis writes its numbers inside the plot, over their grid lines (as Our World in
# Data's charts do): the plot keeps the width a margin of numbers would take, and the
# chart's title says the unit (troops) where the axis no longer does.
NUMBERS_INSIDE = dict(ticklabelposition="inside top", ticks="")


def _layout(fig: go.Figure, **settings) -> None:
    """The shared layout; each axis takes the margin its labels need (automargin), so a
    390 px phone keeps its width for the plot instead of a fixed 60 px gutter."""
    fig.update_layout(**LAYOUT, **settings)
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)


LOG_TICKS = [m * 10 ** e for e in range(0, 7) for m in (1, 2, 5)]


def _y_scale(log: bool) -> dict:
    """Y-axis settings for linear or log scale; log ticks at 1-2-5 steps, written in full."""
    if not log:
        return dict(type="linear", rangemode="tozero", separatethousands=True)
    return dict(type="log", tickmode="array", tickvals=LOG_TICKS,
                ticktext=[f"{v:,}" for v in LOG_TICKS])


def empty_figure(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font=dict(size=16, color="#666"),
                       xref="paper", yref="paper", x=0.5, y=0.5)
    _layout(fig, xaxis=dict(visible=False), yaxis=dict(visible=False),
                      height=320)
    return fig


def _hover(frame: pd.DataFrame) -> np.ndarray:
    """One hover text a figure. Read column by column: a frame's row tuples box every
    cell on its own, seconds for the 100,000 points of a large record. An array of
    Python strings, not a list: Plotly checks a list item by item and copies it, and
    keeps an array as it is (a string array would take four bytes a letter)."""
    def column(name: str, default=None) -> list:
        return frame[name].tolist() if name in frame else [default] * len(frame)

    as_of = column("as_of_label") if "as_of_label" in frame else column("as_of")
    # escaped once per distinct name and source: a large record repeats them thousands of times
    names = {name: plain(name) for name in set(column("contributor_name"))}
    sources = {key: _source_line(*key) for key in set(zip(
        column("outlet"), column("source_published"), column("source_title")))}
    return np.array([
        f"<b>{mission_id}</b> · {names[contributor_name]}<br>"
        f"{QUALIFIER_WORD.get(qualifier, '')}{int(value):,} troops · as of {when}<br>"
        + ("<i>the curator marks this figure doubtful</i><br>" if flag == "doubtful" else "")
        + ("<i>also counts troops outside the area of operations</i><br>" if wider else "")
        + sources[outlet, published, title]
        for mission_id, contributor_name, qualifier, value, when, flag, wider, outlet,
        published, title in zip(
            column("mission_id"), column("contributor_name"), column("qualifier"),
            column("value"), as_of, column("flag"), column("wider", False), column("outlet"),
            column("source_published"), column("source_title"))
    ], dtype=object)


# What the point charts read of a query.troops frame (their hover texts, positions,
# grouping and symbols); the rest of its forty columns is left behind before the frame
# is split per mission, nation and symbol.
POINT_COLUMNS = ("mission_id", "contributor", "contributor_name", "lineage", "date",
                 "shown_at", "as_of", "as_of_label", "value", "qualifier", "flag", "wider",
                 "source_id", "outlet", "source_published", "source_title")


# What the contingents chart reads when it draws lines only (no point a figure).
LINE_COLUMNS = ("contributor", "contributor_name", "lineage", "date", "shown_at", "value",
                "wider")


def _points_frame(frame: pd.DataFrame, columns: tuple[str, ...] = POINT_COLUMNS
                  ) -> pd.DataFrame:
    """The `columns` the point charts read, text as Python strings: every split of a
    frame copies each column, and Arrow-backed text is copied and read cell by cell,
    slowly (most of the time of the splits at 100,000 figures)."""
    slim = frame[[name for name in columns if name in frame]]
    return slim.astype({name: object for name in slim.columns
                        if pd.api.types.is_string_dtype(slim[name].dtype)})


def _scatter(**props) -> dict:
    """A scatter trace for `add_trace`, as a dict: Plotly validates it there, once (a
    go.Scatter is validated when made and again when added, twice the time for the
    100,000 points of a large record)."""
    return dict(type="scatter", **props)


def _add_points(fig: go.Figure, trace: dict, *, row: int, col: int, **arrays) -> None:
    """`fig.add_trace(trace)` with its per-point `arrays` (x, y, hover texts, source
    ids) set after it is added: add_trace deep-copies every value it is given, item by
    item for an array of texts, while setting a property of the added trace checks the
    value the same way and keeps it as it is (a third of a second at 100,000 points)."""
    fig.add_trace(trace, row=row, col=col)
    fig.data[-1].update(arrays)


def _by_symbol(rows: pd.DataFrame, symbols: list[str]) -> list[tuple[str, pd.DataFrame]]:
    """The rows split by their marker symbol, one trace's worth each: Plotly checks a
    list of symbols one by one against a pattern (more than a second for the 100,000
    points of a large record), one symbol a trace once. Each part keeps the rows'
    order; the parts come in the order of their first row, so the first part is the
    one whose symbol the legend showed for a single trace (its first point's)."""
    if rows.empty:
        return []
    distinct = list(dict.fromkeys(symbols))
    if len(distinct) == 1:
        return [(distinct[0], rows)]
    codes = np.asarray(symbols, dtype=object)
    return [(symbol, rows[codes == symbol]) for symbol in distinct]


MAX_GAP = pd.Timedelta(days=3 * 365)
# Beyond this many figures in the record, the troop charts open without a point per
# figure (the page's "Show every reported figure" starts off, and says why): on a plot
# a thousand pixels wide over thirty years, tens of thousands of faint points are one
# smear whose hover finds an arbitrary one of hundreds, and they take seconds to build
# and draw. The band still spans every figure, and the table lists each one.
POINTS_DRAWN_MAX = 10_000


def _broken(dates: pd.Series, values: pd.Series) -> tuple[np.ndarray, list]:
    """Line points with a break wherever figures are years apart.

    A straight line over a decade with no figure would claim a smooth path
    nobody reported; a gap says 'no data here': a point halfway with no value.
    The dates come back as an array (Plotly copies a list of timestamps one by
    one, twice), the values as a list, None at each break.
    """
    days = pd.to_datetime(pd.Series(dates)).to_numpy()
    ys = list(values.tolist() if hasattr(values, "tolist") else values)
    if len(days) < 2:
        return days, ys
    gaps = np.flatnonzero(np.diff(days) > MAX_GAP.to_timedelta64()) + 1
    middles = days[gaps - 1] + (days[gaps] - days[gaps - 1]) / 2
    for at in reversed(gaps.tolist()):
        ys.insert(at, None)
    return np.insert(days, gaps, middles), ys


@lru_cache(maxsize=2 ** 16)
def _source_line(outlet, published, title) -> str:
    """A hover text's source line, escaped; kept, as every chart of a page cites the same
    sources again."""
    return f"Source: {plain(outlet)} ({plain(published)})<br><i>{plain(_short(title))}</i>"


def _short(text: str, limit: int = 70) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _band(rows: pd.DataFrame) -> tuple[list, list]:
    """Closed polygons (one per run without a long gap) from low to high."""
    xs, ys = [], []
    runs, current, last = [], [], None
    for r in rows.itertuples():
        if last is not None and r.date - last > MAX_GAP:
            runs.append(current)
            current = []
        current.append(r)
        last = r.date
    runs.append(current)
    for run in runs:
        if not run:
            continue
        xs += [r.date for r in run] + [r.date for r in reversed(run)] + [None]
        ys += [r.high for r in run] + [r.low for r in reversed(run)] + [None]
    return xs, ys


# What the estimate charts read of a query.estimates frame.
ESTIMATE_COLUMNS = ("mission_id", "contributor", "contributor_name", "lineage", "status",
                    "label", "date", "value", "low", "high", "n_sources", "basis",
                    "source_ids", "outlets", "alert", "change", "previous_value",
                    "previous_label", "confirmed_by")


def _estimates_frame(estimates: pd.DataFrame) -> pd.DataFrame:
    """The columns the charts read of the estimates, text as Python strings (as
    _points_frame: thousands of periods at 100,000 figures are split per nation)."""
    slim = estimates[[name for name in ESTIMATE_COLUMNS if name in estimates]]
    return slim.astype({name: object for name in slim.columns
                        if pd.api.types.is_string_dtype(slim[name].dtype)})


def _estimate_hover(rows: pd.DataFrame) -> np.ndarray:
    """A best estimate's hover: a nation's (not the mission total's) names the nation.
    Read column by column, as _hover: row tuples read Arrow-backed text cell by cell."""
    nation = rows.contributor.tolist() if "contributor" in rows else ["ALL"] * len(rows)
    names = rows.contributor_name.tolist() if "contributor_name" in rows else nation
    return np.array([
        f"<b>{mission_id}</b>"
        + (f" · {plain(name)}" if code != "ALL" else "")
        + f" best estimate, {label}<br>"
        f"{int(round(value)):,} troops"
        + (f" (figures range {int(low):,}–{int(high):,})" if low != high else "")
        + f"<br>{n_sources} source{'s' if n_sources != 1 else ''}, "
        + ("official series" if basis == "official" else "press reports")
        + f": {plain(_short(outlets, 60))}"
        + (f"<br><b>{alert}</b>: {int(round(change)):+,} from {int(previous_value):,} "
           f"({previous_label}); confirmed by {plain(confirmed_by)}" if alert else "")
        for (mission_id, code, name, label, value, low, high, n_sources, basis, outlets, alert,
             change, previous_value, previous_label, confirmed_by) in zip(
            rows.mission_id.tolist(), nation, names, rows.label.tolist(), rows.value.tolist(),
            rows.low.tolist(), rows.high.tolist(), rows.n_sources.tolist(),
            rows.basis.tolist(), rows.outlets.tolist(), rows.alert.tolist(),
            rows.change.tolist(), rows.previous_value.tolist(), rows.previous_label.tolist(),
            rows.confirmed_by.tolist())], dtype=object)


def strength_over_time(totals: pd.DataFrame, events: pd.DataFrame | None = None, *,
                       log: bool = False, title: str = "Troop strength over time",
                       changes: pd.DataFrame | None = None,
                       estimates: pd.DataFrame | None = None, raw: bool = True) -> go.Figure:
    """Each mission's best estimate as a line with its band, figures as faint points.

    The line is the estimate (presence.view.estimate), not a path through every
    figure: two sources that disagree widen the band, they do not zigzag the
    line, and the change markers sit only where the estimate moved and the
    move was confirmed. Every reported figure stays on the chart (`raw`) as
    a faint point at the middle of its day, month or year, so the
    disagreement is visible and each point still opens its source.
    IFOR, SFOR and EUFOR Althea follow one another in Bosnia and
    Herzegovina, so their lines run end to end and read as one lineage.
    Without `estimates`, the line runs through the median of each date.
    """
    if totals.empty:
        return empty_figure("No troop figures match these filters")
    totals = _points_frame(totals)
    if estimates is not None:
        estimates = _estimates_frame(estimates)
    has_events = events is not None and not events.empty
    fig = make_subplots(rows=2 if has_events else 1, cols=1, shared_xaxes=True,
                        row_heights=[0.82, 0.18] if has_events else [1.0],
                        vertical_spacing=0.04)
    order = {m: i for i, m in enumerate(MISSION_COLOURS)}
    wider = totals.wider if "wider" in totals else pd.Series(False, index=totals.index)
    x_of = "shown_at" if "shown_at" in totals else "date"
    doubtful = totals["flag"].fillna("").eq("doubtful") if "flag" in totals \
        else pd.Series(False, index=totals.index)
    for mission_id, rows in sorted(totals[~wider].groupby("mission_id"),
                                   key=lambda g: order.get(g[0], 99)):
        rows = rows.sort_values([x_of, "value"])
        colour = MISSION_COLOURS.get(mission_id, "#555")
        est = None
        if estimates is not None and not estimates.empty:
            est = estimates[(estimates.mission_id == mission_id)
                            & (estimates.status == "level")].sort_values("date")
        if est is not None and not est.empty:
            bx, by = _band(est)
            fig.add_trace(_scatter(
                x=bx, y=by, mode="none", fill="toself", fillcolor=_rgba(colour, 0.16),
                name=f"{mission_id} range", legendgroup=mission_id, showlegend=False,
                hoverinfo="skip"), row=1, col=1)
            xs, ys = _broken(est.date, est.value)
            fig.add_trace(_scatter(
                x=xs, y=ys, mode="lines", connectgaps=False, name=mission_id,
                legendgroup=mission_id, line=dict(color=colour, width=2.5), hoverinfo="skip"),
                row=1, col=1)
            fig.add_trace(_scatter(
                x=est.date, y=est.value, mode="markers", name=f"{mission_id} estimate",
                legendgroup=mission_id, showlegend=False,
                marker=dict(color=colour, size=5),
                customdata=est.source_ids.str.split(", ").str[0].to_numpy()[:, None],
                hovertext=_estimate_hover(est), hoverinfo="text"), row=1, col=1)
        else:
            line = rows.groupby(x_of, as_index=False).value.median()
            xs, ys = _broken(line[x_of], line.value)
            fig.add_trace(_scatter(
                x=xs, y=ys, mode="lines", connectgaps=False, name=mission_id,
                legendgroup=mission_id, line=dict(color=colour, width=2.5), hoverinfo="skip"),
                row=1, col=1)
        if raw:
            flagged = doubtful[rows.index]
            symbols = ["x-open" if d else QUALIFIER_SYMBOL.get(q, "circle")
                       for q, d in zip(rows.qualifier.tolist(), flagged.tolist())]
            for symbol, points in _by_symbol(rows, symbols):
                _add_points(fig, _scatter(
                    mode="markers", name=f"{mission_id} figures", legendgroup=mission_id,
                    showlegend=False, opacity=0.45, meta=ANALYST,
                    marker=dict(color=colour, size=7, line=dict(width=1.2, color=colour),
                                symbol=symbol), hoverinfo="text"), row=1, col=1,
                    x=points[x_of], y=points.value, customdata=points[["source_id"]].to_numpy(),
                    hovertext=_hover(points))
    if wider.any() and raw:
        rows = totals[wider]
        fig.add_trace(_scatter(
            x=rows[x_of], y=rows.value, mode="markers", name="counts troops outside the area",
            meta=ANALYST,
            marker=dict(symbol="x-thin", size=11, line=dict(width=2, color="#8e8e8e")),
            customdata=rows[["source_id"]].to_numpy(), hovertext=_hover(rows),
            hoverinfo="text"), row=1, col=1)
    if estimates is not None and not estimates.empty:
        moved = estimates[estimates.alert != ""]
        if not moved.empty:
            fig.add_trace(_scatter(
                x=moved.date, y=moved.value, mode="markers", meta=ANALYST,
                name=f"confirmed change ≥ {CHANGE_SHARE:.0f}%",
                marker=dict(symbol=["triangle-up" if a == "reinforcement" else "triangle-down"
                                    for a in moved.alert], size=15, color="rgba(0,0,0,0)",
                            line=dict(width=2, color=["#c0392b" if a == "reinforcement" else
                                                      "#7f8c8d" for a in moved.alert])),
                customdata=moved.source_ids.str.split(", ").str[0].to_numpy()[:, None],
                hovertext=_estimate_hover(moved), hoverinfo="text"), row=1, col=1)
    if has_events:
        for kind, rows in events.groupby("kind"):
            fig.add_trace(_scatter(
                x=rows.when, y=[kind] * len(rows), mode="markers", name=f"event: {kind}",
                legendgroup="events", legendgrouptitle_text="Events", meta=ANALYST,
                marker=dict(symbol=EVENT_SYMBOLS.get(kind, "circle"), size=11,
                            color=EVENT_COLOURS.get(kind, "#333")),
                customdata=rows[["source_id"]].to_numpy(),
                hovertext=[f"<b>{plain(r.title)}</b><br>{r.date} · {r.mission_id or ''} "
                           f"{r.country}<br>Source: {plain(r.outlet)}" for r in rows.itertuples()],
                hoverinfo="text"), row=2, col=1)
        kinds = sorted(events.kind.unique())
        # the strip's rows are named by the legend's "event: …" entries, not by tick labels
        # that would take a phone's width from the plot
        fig.update_yaxes(row=2, col=1, showgrid=False, title_text="", type="category",
                         categoryorder="array", categoryarray=kinds, showticklabels=False)
    fig.update_yaxes(row=1, col=1, **_y_scale(log), **NUMBERS_INSIDE)
    # Without the events strip the strength panel takes the whole plot (clean export).
    clean = {"yaxis": {"domain": [0, 1]}, "xaxis": {"showticklabels": True, "matches": None},
             "xaxis2": {"visible": False}, "yaxis2": {"visible": False}} if has_events else {}
    _layout(fig, title=title, height=740 if has_events else 580,
                      legend=BELOW, hovermode="closest",
                      meta={"clean": clean})
    fig.update_layout(margin_t=84)
    # The key, in lines just above the plot (placed in pixels, so an export of any size
    # keeps it there): the line and band, then the faint points' symbols over it.
    key = dict(showarrow=False, xref="paper", yref="paper", x=0, xanchor="left", y=1,
               yanchor="bottom", font=dict(size=11, color="#666"))
    banded = estimates is not None and not estimates.empty
    if banded:
        fig.add_annotation(text="line: best estimate · shaded: range of the figures",
                           yshift=3, **key)
    if raw:
        fig.add_annotation(text="faint: ● exact  ○ about  ▽ up to  △ more than  ⊗ doubtful",
                           yshift=19 if banded else 3, name=ANALYST, **key)
    return fig


def largest_nations(contingents: pd.DataFrame, top: int = 10) -> tuple[str, ...]:
    """The nations contingents_over_time draws (the `top` largest of each panel by their
    peak), so a page asks for the estimates of these only."""
    return tuple(sorted({code for panel_peaks in _panel_peaks(contingents).values()
                         for code in _ranked(panel_peaks)[:top]}))


def _panel_peaks(contingents: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Each panel's (lineage's) nations and their largest figure (-inf: none given)."""
    peaks: dict[str, dict[str, float]] = {}
    for panel, code, value in zip(contingents.lineage.tolist(),
                                  contingents.contributor.tolist(),
                                  contingents.value.tolist()):
        panel_peaks = peaks.setdefault(panel, {})
        panel_peaks[code] = max(panel_peaks.get(code, -math.inf),
                                -math.inf if pd.isna(value) else value)
    return peaks


def _ranked(peaks: dict[str, float]) -> list[str]:
    """Nations by their peak, largest first; equal peaks in the order of their codes."""
    return sorted(peaks, key=lambda code: (-peaks[code], code))


def contingents_over_time(contingents: pd.DataFrame, *, top: int = 10, log: bool = False,
                          title: str = "Contingents by contributing nation",
                          colours: dict[str, str] | None = None,
                          estimates: pd.DataFrame | None = None,
                          raw: bool = True) -> go.Figure:
    """The largest contributors, one panel per line of missions in one host.

    With `estimates` (query.estimates, totals=False) each nation's line is its
    best estimate, as for the missions; the reported figures are the points,
    each at the middle of its period. Without `raw` the points are left out (as
    on the strength chart): the lines carry the legend, and with `estimates` a
    small marker at each estimate gives its hover, as the mission lines do.

    A nation's troops in Kosovo and in Bosnia and Herzegovina are different
    deployments, so each host's lineage gets its own panel; within a panel a
    nation's line runs on across IFOR, SFOR and EUFOR. Thirty lines would be
    unreadable, so only the `top` largest (by their peak) are drawn; the heat
    map and the table hold the rest.
    """
    if contingents.empty:
        return empty_figure("No national contingents reported for these filters")
    contingents = _points_frame(contingents, POINT_COLUMNS if raw else LINE_COLUMNS)
    panels = sorted(contingents.lineage.unique(), key=lambda name: (name != "KFOR", name))
    fig = make_subplots(rows=len(panels), cols=1, subplot_titles=panels,
                        vertical_spacing=0.12 if len(panels) > 1 else 0.05)
    given = colours or {}
    colours = {code: given.get(code) or _fallback_colour(code)
               for code in contingents.contributor.unique()}
    shown, hidden = set(), 0
    # each panel's nations and each nation's line split off once, not masked out per nation
    with_lines = estimates is not None and not estimates.empty
    if with_lines:
        estimates = _estimates_frame(estimates)
        levels = estimates[estimates.status == "level"]
        lines = dict(iter(levels.groupby(["lineage", "contributor"], sort=False)))
    # the same ranking as largest_nations(), which a page asks estimates for
    peaks = _panel_peaks(contingents)
    for row, panel in enumerate(panels, start=1):
        here = contingents[contingents.lineage == panel]
        nations = dict(iter(here.groupby("contributor", sort=False)))
        order = _ranked(peaks[panel])
        hidden += max(len(order) - top, 0)
        for code in order[:top]:
            rows = nations[code].sort_values("date")
            area = rows[~rows.wider] if "wider" in rows else rows
            x_of = "shown_at" if "shown_at" in rows else "date"
            if with_lines:
                line = lines.get((panel, code), levels.iloc[:0]).sort_values("date")
                xs, ys = _broken(line.date, line.value)
            else:
                xs, ys = _broken(area[x_of], area.value)
            label = f"{rows.contributor_name.iloc[0]} ({code})"
            fig.add_trace(_scatter(
                x=xs, y=ys, mode="lines", connectgaps=False, legendgroup=code,
                showlegend=not raw and code not in shown, hoverinfo="skip",
                line=dict(color=colours[code], width=2), **({} if raw else {"name": label})),
                row=row, col=1)
            if not raw:
                if with_lines and not line.empty:
                    _add_points(fig, _scatter(
                        mode="markers", name=f"{label} estimate", legendgroup=code,
                        showlegend=False, marker=dict(color=colours[code], size=5),
                        hoverinfo="text"), row=row, col=1,
                        x=line.date, y=line.value,
                        customdata=line.source_ids.str.split(", ").str[0].to_numpy()[:, None],
                        hovertext=_estimate_hover(line))
                shown.add(code)
                continue
            symbols = ["x-thin-open" if w else "x-open" if d == "doubtful" else "circle"
                       for w, d in zip(rows.wider.tolist() if "wider" in rows
                                       else [False] * len(rows),
                                       rows.flag.tolist() if "flag" in rows
                                       else [None] * len(rows))]
            for symbol, points in _by_symbol(rows, symbols):
                _add_points(fig, _scatter(
                    mode="markers", name=label, legendgroup=code, showlegend=code not in shown,
                    marker=dict(color=colours[code], size=7, symbol=symbol,
                                line=dict(width=2, color=colours[code])),
                    hoverinfo="text"), row=row, col=1,
                    x=points[x_of], y=points.value, customdata=points[["source_id"]].to_numpy(),
                    hovertext=_hover(points))
                shown.add(code)
        fig.update_yaxes(**_y_scale(log), **NUMBERS_INSIDE, row=row, col=1)
    note = f" (largest {top} in each panel; {hidden} more in the heat map and table)" \
        if hidden else ""
    _layout(fig, title=title + note, height=420 * len(panels) + 180,
                      legend=BELOW)
    return fig


def contingents_heatmap(contingents: pd.DataFrame,
                        title: str = "Contingents at each reported date") -> go.Figure:
    """Nation x date grid: the one view that stays readable with thirty nations."""
    if contingents.empty:
        return empty_figure("No national contingents reported for these filters")
    # floats before unstacking: one block of numbers, not a column object per date
    grid = contingents.assign(day=contingents.date.dt.strftime("%Y-%m-%d")).groupby(
        ["contributor_name", "day"]).value.max().astype(float).unstack()
    grid = grid.loc[grid.max(axis=1).sort_values().index]
    # Colour on a log scale: 19,000 in 1999 would otherwise wash out every
    # contingent of a few hundred since.
    top = max(float(np.nanmax(grid.to_numpy())), 10)  # once, not per tick
    ticks = [t for t in (1, 10, 100, 1_000, 10_000, 100_000) if t <= top]
    fig = go.Figure(go.Heatmap(
        z=np.log10(grid.values), x=grid.columns, y=grid.index,
        customdata=grid.values, colorscale="Blues", hoverongaps=False, xgap=2, ygap=1,
        zmin=0, colorbar=dict(title="Troops", tickvals=np.log10(ticks),
                              ticktext=[f"{t:,}" for t in ticks]),
        hovertemplate="%{y}<br>%{x}: %{customdata:,} troops<extra></extra>"))
    _layout(fig, title=title, height=max(320, 22 * len(grid) + 140),
                      xaxis=dict(type="category", title="Date of figure"))
    return fig


def contingents_bar(contingents: pd.DataFrame, title: str | None) -> go.Figure:
    """Each nation's newest contingent as a bar. Without a `title` the chart keeps no
    room for one (the Map page writes its dated title above it, as for the map)."""
    if contingents.empty:
        return empty_figure("No national contingents reported near this date")
    rows = contingents.sort_values("value")
    fig = go.Figure(go.Bar(
        x=rows.value, y=[f"{n} · {m}" for n, m in zip(rows.contributor_name, rows.mission_id)],
        orientation="h", marker_color=[MISSION_COLOURS.get(m, "#555") for m in rows.mission_id],
        text=[f"{v:,}" for v in rows.value], textposition="outside", cliponaxis=False,
        customdata=rows[["source_id"]].to_numpy(), hovertext=_hover(rows), hoverinfo="text"))
    _layout(fig, title=title, height=max(260, 26 * len(rows) + 120),
                      xaxis=dict(title="Troops", separatethousands=True,
                                 range=[0, rows.value.max() * 1.18]), showlegend=False)
    if not title:
        fig.update_layout(margin_t=10)
    return fig


COUNTRY_COLOURS = {"XKX": "#1f4e79", "SRB": "#c0392b", "BIH": "#2a9d48", "ALB": "#8e44ad",
                   "MKD": "#d9822b", "MNE": "#16a5a5", "HRV": "#e377c2", "SVN": "#7f7f7f"}
MEASURE_DASH = {"ministry_budget": "solid", "nato_expenditure": "dash",
                "sipri_expenditure": "dot", "defence_allocation": "dashdot"}


def budgets_chart(budgets: pd.DataFrame, currency: str,
                  title: str = "Defence budgets", *, log: bool = False) -> go.Figure:
    """A colour a country, a dash a measure; 'reported' gives each currency a panel.

    Amounts in different currencies never share an axis. Where several
    sources give one year, every figure is a marker and the line runs
    through their middle, so disagreement shows instead of a zigzag.
    """
    column = {"EUR": "amount_eur", "USD": "amount_usd"}.get(currency, "amount")
    b = budgets.dropna(subset=[column])
    if b.empty:
        return empty_figure("No budget figures (or no exchange rate) for these filters")
    b = b.assign(millions=b[column] / 1e6)
    panels = sorted(b.currency.unique()) if column == "amount" else [currency]
    fig = make_subplots(rows=len(panels), cols=1, shared_xaxes=True,
                        subplot_titles=[f"Millions of {p}" for p in panels],
                        vertical_spacing=0.06 if len(panels) > 1 else 0.02)
    shown = set()
    for row, panel in enumerate(panels, start=1):
        here = b if column != "amount" else b[b.currency == panel]
        for (country, measure), rows in here.groupby(["country", "measure"]):
            rows = rows.sort_values("year")
            colour = COUNTRY_COLOURS.get(country, "#555")
            label = f"{rows.country_name.iloc[0]} · {MEASURE_SHORT.get(measure, measure)}"
            line = rows.groupby("year", as_index=False).millions.median()
            fig.add_trace(_scatter(
                x=line.year, y=line.millions, mode="lines", legendgroup=label, name=label,
                showlegend=label not in shown, hoverinfo="skip",
                line=dict(color=colour, dash=MEASURE_DASH.get(measure, "solid"), width=2)),
                row=row, col=1)
            shown.add(label)
            fig.add_trace(_scatter(
                x=rows.year, y=rows.millions, mode="markers", legendgroup=label, name=label,
                showlegend=False, marker=dict(color=colour, size=7),
                customdata=rows[["source_id"]].to_numpy(),
                hovertext=[f"<b>{plain(r.country_name)}</b> {r.year} · {MEASURE_SHORT.get(r.measure, r.measure)}"
                           f"<br>{QUALIFIER_WORD.get(r.qualifier, '')}{r.amount:,.0f} "
                           f"{r.currency}"
                           + (f" (≈ {getattr(r, column) / 1e6:,.1f} million {currency})"
                              if column != "amount" and r.currency != currency else "")
                           + f"<br>Source: {plain(r.outlet)} ({plain(r.source_published)})"
                           for r in rows.itertuples()],
                hoverinfo="text"), row=row, col=1)
        fig.update_yaxes(row=row, col=1, **_y_scale(log), **NUMBERS_INSIDE)
    # whole years, as many labels as the width holds (a phone gets fewer)
    fig.update_xaxes(tickformat="d", dtick=1 if b.year.nunique() <= 6 else None)
    _layout(fig, title=title, height=max(600, 300 * len(panels) + 220),
                      legend=dict(BELOW, title_text="Country · measure"))
    return fig


def normalised_chart(frame: pd.DataFrame, unit: str, title: str, subtitle: str, *,
                     log: bool = False) -> go.Figure:
    """Spending in proportion (share of GDP, per person): a line a country.

    The subtitle states the basis on the figure itself, so an exported image cannot
    be read as nominal money; hover gives the value to the precision it carries."""
    if frame.empty:
        return empty_figure("No figures for these filters")
    fig = go.Figure()
    for country, rows in frame.groupby("country"):
        rows = rows.sort_values("year")
        colour = COUNTRY_COLOURS.get(country, "#555")
        fig.add_trace(_scatter(
            x=rows.year, y=rows.value, mode="lines+markers", name=rows.country_name.iloc[0],
            line=dict(color=colour, width=2), marker=dict(color=colour, size=6),
            customdata=rows[["source_id"]].to_numpy(), hoverinfo="text",
            hovertext=[f"<b>{plain(name)}</b> {year}<br>{value:,.2f} {unit}<br>Source: {plain(outlet)}"
                       for name, year, value, outlet in zip(
                           rows.country_name, rows.year, rows.value, rows.outlet)]))
    fig.update_yaxes(title_text=unit, **_y_scale(log), **NUMBERS_INSIDE)
    fig.update_xaxes(tickformat="d", dtick=1 if frame.year.nunique() <= 6 else None)
    _layout(fig, height=600, legend=dict(BELOW, title_text="Country"),
                      title=dict(text=f"{title}<br><sup>{subtitle}</sup>"))
    return fig
