"""A chart as a page draws it: the Plotly figure, the sources of a clicked
point, and under it its export panel: the image framed for publishing (title,
subtitle, clean or analyst style, size, series), the files (images, CSV,
workbook, About JSON), whose bytes are built only on click, and the view's
link and embed code.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from presence.app.data import dataset, figure_fact
from presence.app.links import source_link
from presence.app.state import filters
from presence.view import export, query, text
from presence.view.filters import Filters

PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def chart(fig: go.Figure, *, key: str, caption: export.Caption, frame: pd.DataFrame,
          geojson: Callable[[], dict] | None = None, on_select=None,
          displayed: pd.DataFrame | None = None, heading: str | None = None) -> object:
    """Render a figure with its export buttons underneath; files are built on click.

    Clicking a point shows its source with a link to the Sources page (maps
    pass their own `on_select`, which filters by the clicked country).
    `frame` is every figure behind the chart (the "full data"); `displayed`,
    when given, is what the chart draws (export.displayed of a troop chart's
    estimates), offered as its own CSV. `heading` is the chart's title written
    above it instead of inside it: a title that names the date changes with
    every move of the dates, and a changed figure is a new chart to the browser
    (Streamlit mounts it afresh; a map builds its WebGL context again), while
    the same figure under a new heading is left as it is.
    """
    only = embedded_chart()
    if only:
        # an embed of one chart (`chart=KEY`): that chart and its footer, nothing else
        if only != key:
            return None
        with st.container(key=f"embedded_{key}"):
            write_heading(heading)
            event = st.plotly_chart(fig, key=key, config=PLOT_CONFIG)
            st.caption(embed_footer(caption))
        st.session_state["embedded_drawn"] = True
        return event
    write_heading(heading)
    event = st.plotly_chart(fig, key=key, config=PLOT_CONFIG, on_select=on_select or "rerun",
                            selection_mode="points")
    if not on_select:
        show_selected_sources(event)
    export_buttons(fig, key=key, caption=caption, frame=frame, geojson=geojson,
                   displayed=displayed)
    return event


def write_heading(title: str | None, where=st) -> None:
    """A chart's title written above it (see chart()), in `where` (a column, say)."""
    if title:
        where.markdown(f"**{text.md_escape(title)}**")


def show_selected_sources(event) -> None:
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    ids = []
    for point in points:
        data = point.get("customdata")
        source_id = data[0] if isinstance(data, (list, tuple)) and data else data
        if isinstance(source_id, str) and source_id not in ids:
            ids.append(source_id)
    if not ids:
        return
    sources = dataset().sources.set_index("source_id")
    lines = []
    for source_id in ids[:10]:
        if source_id in sources.index:
            s = sources.loc[source_id]
            lines.append(f"- {text.md_escape(s.outlet)} ({s.published or 'n.d.'}): "
                         f"*{text.md_escape(s.title)}* — "
                         f"[in this dashboard]({source_link(source_id)}) · [original]({s.url})")
    st.markdown("**Source of the selected point" + ("s" if len(lines) > 1 else "") + ":**\n"
                + "\n".join(lines))


EXPORT_PANEL_LABEL = "Export this chart or its data · share or embed it"


def export_panel_key(chart_key: str) -> str:
    """The widget key of a chart's export panel (its open state; tests open it by it)."""
    return f"export_panel_{chart_key}"


def export_buttons(fig: go.Figure, *, key: str, caption: export.Caption, frame: pd.DataFrame,
                   geojson: Callable[[], dict] | None = None,
                   displayed: pd.DataFrame | None = None) -> None:
    """The chart's export panel: how the image is framed, the files, the link and embed.

    Files are built on click (a download button given a function); `geojson` is a
    function too, so the map's GeoJSON is built only then. Image buttons are greyed
    out, with the reason, when this machine has no browser to draw them: inside the
    download callback the reader would only see "Failed to generate file".

    The panel's contents are made only while it is open (opening it reruns the page):
    closed, its thirty-odd controls were still built, sent and laid out on every
    filter change, for every chart of the page. What a reader typed into it is kept
    while it stays open, through filter changes; closing it starts it afresh.
    """
    stem = key.replace("_", "-")
    panel = st.expander(EXPORT_PANEL_LABEL, expanded=False, key=export_panel_key(key),
                        on_change="rerun")
    if not panel.open:
        return
    with panel:
        try:
            export.check_images()
            images = True
        except export.ExportUnavailable as exc:
            st.warning(str(exc))
            images = False
        link = view_link()
        framing = framing_controls(fig, key=key, caption=caption, link=link)
        st.caption("The chart, framed as above, with its sources, data date, link, licence "
                   "and citation printed under it")
        cols = st.columns(4)
        for col, fmt in zip(cols, ["png", "svg", "pdf", "html"]):
            col.download_button(
                fmt.upper(), data=lambda fmt=fmt: export.figure_bytes(fig, fmt, caption, framing),
                file_name=f"{stem}.{fmt}", key=f"{key}_{fmt}", on_click="ignore",
                mime=export.IMAGE_FORMATS.get(fmt, "text/html"),
                disabled=fmt in export.IMAGE_FORMATS and not images)
        st.caption("Its data")
        cols = iter(st.columns(5))
        if displayed is not None:
            next(cols).download_button(
                "Displayed data (CSV)", data=lambda: export.csv_bytes(displayed),
                file_name=f"{stem}-displayed.csv", mime="text/csv", key=f"{key}_shown_csv",
                on_click="ignore", help="What the chart draws: one row per point, with "
                                        "its date, series, estimate, low, high and number "
                                        "of sources")
        next(cols).download_button(
            "Full data (CSV)", data=lambda: export.csv_bytes(frame, caption),
            file_name=f"{stem}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
            help="Every figure behind the chart, each with its source")
        next(cols).download_button(
            "Excel", data=lambda: export.excel_bytes(frame, caption, dataset().sources,
                                                     displayed),
            file_name=f"{stem}.xlsx", key=f"{key}_xlsx", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        next(cols).download_button(
            "About (JSON)", data=lambda: export.about_json_bytes(frame, caption, displayed),
            file_name=f"{stem}.json", mime="application/json", key=f"{key}_about",
            on_click="ignore", help="What the CSV files are: title, filters, sources, data "
                                    "date, licence and citation")
        if geojson is not None:
            next(cols).download_button(
                "GeoJSON", data=lambda: export.geojson_bytes(geojson(), caption),
                file_name=f"{stem}.geojson", mime="application/geo+json",
                key=f"{key}_geojson", on_click="ignore")
        st.caption("The CSV files are plain (one header line): the displayed data is what "
                   "the chart draws, the full data every figure with its source. Their title, "
                   "filters, sources, licence and citation are in the JSON beside them and in "
                   "the workbook's `about` sheet.")
        share(link, framing.title_for(caption), key)


def framing_controls(fig: go.Figure, *, key: str, caption: export.Caption,
                     link: str) -> export.Framing:
    """Title, subtitle, style, size and series of the exported image.

    A field's key carries a digest of its default, so a title that follows the
    filters (the map's date) starts again from the new default when they change,
    and the series list starts again from all when the chart's series change.
    """
    title_default, subtitle_default = caption.title, export.default_subtitle(caption)
    top = st.columns(2)
    title = top[0].text_input("Title", value=title_default,
                              key=f"{key}_title_{_digest(title_default)}")
    subtitle = top[1].text_input("Subtitle", value=subtitle_default,
                                 key=f"{key}_subtitle_{_digest(subtitle_default)}",
                                 help="Empty for none. The filters are in the footer's "
                                      "citation whatever this says.")
    # else clean and analyst are the same image
    styled = figure_fact(fig, "analyst_layers", export.has_analyst_layers)
    cols = iter(st.columns([2, 3, 4] if styled else [3, 6]))
    mode = "clean"
    if styled:
        mode = next(cols).radio(
            "Style", list(export.MODES), key=f"{key}_mode", horizontal=True,
            format_func=lambda m: m.capitalize(),
            help=" · ".join(export.MODES.values()) + ". The chart on this page is the "
                 "analyst's view.")
    size = next(cols).selectbox("Size", list(export.SIZES), key=f"{key}_size",
                                format_func=lambda s: export.SIZES[s].label,
                                help="The PNG has exactly these pixels; PDF and SVG the "
                                     "same layout, drawn as vectors.")
    options = list(figure_fact(fig, f"series_{mode}", lambda fig: export.series(fig, mode)))
    series_col = next(cols)
    keep = None
    if len(options) > 1:
        chosen = series_col.multiselect(
            "Series to include", options, default=options,
            key=f"{key}_series_{_digest(' | '.join(options))}",
            help="A series hidden by clicking the chart's legend is hidden in your browser "
                 "only: the export cannot see it. Leave it out here.")
        keep = None if chosen == options else tuple(chosen)
        if not chosen:
            series_col.caption("No series chosen: the image will show only its frame.")
    return export.Framing(title=title, subtitle=subtitle, mode=mode, size=size, series=keep,
                          link=link)


def embedded_chart() -> str | None:
    """The chart an embed asks for (`chart=KEY` in the URL), if any."""
    wanted = st.query_params.get("chart")
    return wanted if wanted and _CHART_KEY.fullmatch(wanted) else None


_CHART_KEY = re.compile(r"[a-z][a-z0-9_]{0,40}")


def embed_footer(caption: export.Caption) -> str:
    """The line under an embedded chart: sources, data date, licence, the full view."""
    full = export.view_link(st.context.url, filters().to_query())
    return (f"{text.md_escape(caption.sources_line())} · Data as of {caption.data_date} · "
            f"{export.LICENCE_SHORT} · [Open the full view]({full})")


def share(link: str, title: str, key: str) -> None:
    """The view's link and an embed code, each in a code block with a copy button."""
    left, right = st.columns(2)
    left.caption("**Copy link**: reopens this page with these filters")
    left.code(link, language=None, wrap_lines=True)
    right.caption("**Copy embed code**: this chart alone, with its sources, data date, "
                  "licence and a link to the full view, in an article (Streamlit's embed "
                  "mode, no menu, toolbar or filters)")
    right.code(export.embed_code(link, title, height=620, chart=key), language="html",
               wrap_lines=True)


def view_link() -> str:
    """The address that reopens this view: the page's URL (st.context.url, without its
    query) with the filters and the page's own keys, as the shell will write them into
    the address bar at the end of this run. Relative when the URL is unknown (AppTest)."""
    params = {**filters().to_query(), **st.session_state.get("page_query", {})}
    return export.view_link(st.context.url, params)


def _digest(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


def make_caption(title: str, f: Filters, frame: pd.DataFrame, date_column: str = "date", *,
                 note: str = "") -> export.Caption:
    """What an export prints about a chart; `note` says what its numbers are when the
    title does not (a unit, a basis), and opens the exported image's subtitle."""
    names = query.country_names(dataset())
    return export.Caption(title=title, filters=f.describe(names),
                          data_date=query.data_date(frame, date_column),
                          sources=export.caption_sources(frame), note=note)


def fmt_estimate(value, low, high, qualifier: str | None = None) -> str:
    """A headline number: the estimate, marked approximate when sources disagree."""
    if value is None or pd.isna(value):
        return "no figure"
    word = {"approx": "≈ ", "upper": "≤ ", "lower": "> "}.get(qualifier or "", "")
    if not word and low != high:
        word = "≈ "
    return f"{word}{int(value):,}"
