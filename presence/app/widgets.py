"""A chart as a page draws it: the Plotly figure, the sources of a clicked
point, and under it the export buttons (images, CSV, workbook, About JSON),
whose files are built only on click.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from presence.app.data import dataset
from presence.app.links import source_link
from presence.view import export, query, text
from presence.view.filters import Filters

PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def chart(fig: go.Figure, *, key: str, caption: export.Caption, frame: pd.DataFrame,
          geojson: Callable[[], dict] | None = None, on_select=None,
          displayed: pd.DataFrame | None = None) -> object:
    """Render a figure with its export buttons underneath; files are built on click.

    Clicking a point shows its source with a link to the Sources page (maps
    pass their own `on_select`, which filters by the clicked country).
    `frame` is every figure behind the chart (the "full data"); `displayed`,
    when given, is what the chart draws (export.displayed of a troop chart's
    estimates), offered as its own CSV.
    """
    event = st.plotly_chart(fig, key=key, config=PLOT_CONFIG, on_select=on_select or "rerun",
                            selection_mode="points")
    if not on_select:
        show_selected_sources(event)
    export_buttons(fig, key=key, caption=caption, frame=frame, geojson=geojson,
                   displayed=displayed)
    return event


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


def export_buttons(fig: go.Figure, *, key: str, caption: export.Caption, frame: pd.DataFrame,
                   geojson: Callable[[], dict] | None = None,
                   displayed: pd.DataFrame | None = None) -> None:
    """Download buttons; `geojson` is a function, so the map's GeoJSON is built on click.

    Image buttons are greyed out, with the reason, when this machine has no
    browser to draw them: inside the download callback the reader would only
    see "Failed to generate file".
    """
    stem = key.replace("_", "-")
    with st.expander("Export this chart or its data", expanded=False):
        try:
            export.check_images()
            images = True
        except export.ExportUnavailable as exc:
            st.warning(str(exc))
            images = False
        st.caption("The chart")
        cols = st.columns(4)
        for col, fmt in zip(cols, ["png", "svg", "pdf", "html"]):
            col.download_button(
                fmt.upper(), data=lambda fmt=fmt: export.figure_bytes(fig, fmt, caption),
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
        st.caption("Images and HTML carry the title, filters, sources and data date. The CSV "
                   "files are plain (one header line): the displayed data is what the chart "
                   "draws, the full data every figure with its source. Their title, filters, "
                   "sources, licence and citation are in the JSON beside them and in the "
                   "workbook's `about` sheet.")


def make_caption(title: str, f: Filters, frame: pd.DataFrame, date_column: str = "date") -> \
        export.Caption:
    names = query.country_names(dataset())
    return export.Caption(title=title, filters=f.describe(names),
                          data_date=query.data_date(frame, date_column),
                          sources=export.caption_sources(frame))


def fmt_estimate(value, low, high, qualifier: str | None = None) -> str:
    """A headline number: the estimate, marked approximate when sources disagree."""
    if value is None or pd.isna(value):
        return "no figure"
    word = {"approx": "≈ ", "upper": "≤ ", "lower": "> "}.get(qualifier or "", "")
    if not word and low != high:
        word = "≈ "
    return f"{word}{int(value):,}"
