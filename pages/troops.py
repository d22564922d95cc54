"""Troops: strength over time per mission and per contributing nation, with sources."""
from dataclasses import replace
from types import SimpleNamespace

import streamlit as st

from presence.app import data, links, shell, state, widgets
from presence.view import charts, export, query

shell.require_shell()
ds = data.dataset()
f = state.filters()

st.title("Troops")
st.caption("The line is each mission's best estimate, the shaded band the range of figures "
           "behind it, and triangles mark confirmed changes. Faint points are the reported "
           "figures themselves, each at the middle of its day, month or year (a figure for "
           "\"1999\" is not drawn on 1 January); hover for the source, or find it in the table "
           "below. IFOR, SFOR and EUFOR Althea follow one another in Bosnia and Herzegovina; "
           "KFOR has served in Kosovo since 1999.")
with st.expander("How a figure becomes the best estimate"):
    st.markdown(f"The estimate is {query.ESTIMATE_RULE}")

log_col, raw_col = st.columns(2)
log = log_col.toggle("Log scale", value=False, key="troops_log",
                     help="Shows the drawdowns from tens of thousands and the small later "
                          "changes on one chart.")
# A record of tens of thousands of figures opens without them drawn one by one (see
# charts.POINTS_DRAWN_MAX); the reader can still switch them on.
figures_held = len(ds.troops)
many = figures_held > charts.POINTS_DRAWN_MAX
raw = raw_col.toggle("Show every reported figure", value=not many, key="troops_raw",
                     help="Faint points: what each source reported, on both charts. The "
                          "line is the best estimate drawn from them.")
if many and not raw:
    st.caption(f"This record holds {figures_held:,} troop figures, too many to draw one by "
               "one: the points would cover the plot and take seconds to draw. The charts "
               "open with each best estimate and the range of the figures behind it; switch "
               "on *Show every reported figure* to draw them all. The table below lists "
               "every figure with its source.")


@data.cached_view
def troops_view(version, f, log: bool, raw: bool):
    ds = data.dataset()
    totals = query.troops(ds, f, totals=True)
    best = query.estimates(ds, f, totals=True)
    conts = query.troops(ds, f, totals=False)
    table = links.link_columns(query.troops(ds, f))
    return SimpleNamespace(
        totals=totals, best=best, shown=export.displayed(best), conts=conts,
        table=table.assign(scope=table.scope.fillna("")),
        strength=data.figure(charts.strength_over_time, totals, query.events(ds, f), log=log,
                             title="Troop strength by mission", estimates=best, raw=raw),
        caption=(caption := widgets.make_caption("Troop strength by mission", f, totals)),
        best_caption=replace(caption, title="Best estimate of troop strength by mission"),
        # the estimates of the nations the chart draws, not of all of them (each series is
        # computed when first asked for: at 100,000 figures a second for the rest)
        nations=data.figure(
            charts.contingents_over_time, conts, log=log,
            colours=charts.nation_colours(query.nation_order(ds)),
            estimates=query.estimates(ds, replace(f, contributors=drawn), totals=False)
            if (drawn := charts.largest_nations(conts)) else None, raw=raw),
        nations_caption=(nations := widgets.make_caption("Contingents by contributing nation",
                                                         f, conts)),
        heatmap_caption=replace(nations, title="Contingents at each reported date"))


view = troops_view(data.data_version(), f, log, raw)
widgets.chart(view.strength, key="troops_strength", frame=view.totals, caption=view.caption,
         displayed=view.shown)
st.download_button("Best-estimate series (CSV)", key="troops_estimate_csv", on_click="ignore",
                   data=lambda: export.csv_bytes(view.best, view.best_caption),
                   file_name="troops-best-estimate.csv", mime="text/csv",
                   help="One row a mission and period: the estimate, its range, how many "
                        "sources, which ones, and any confirmed change.")

st.subheader("By contributing nation")
# Only the open tab is drawn (a tab switch reruns the page): the heat map is built,
# sent and drawn when a reader asks for it, not with every filter change.
tab_lines, tab_grid = st.tabs(["Largest contributors over time", "All nations, every snapshot"],
                              key="troops_nation_tab", on_change="rerun")
embedded = widgets.embedded_chart()  # an embed of one chart draws it, whichever tab is open
if tab_lines.open or embedded == "troops_nations":
    with tab_lines:
        widgets.chart(view.nations, key="troops_nations", frame=view.conts,
                      caption=view.nations_caption)
if tab_grid.open or embedded == "troops_heatmap":
    with tab_grid:
        widgets.chart(data.figure(charts.contingents_heatmap, view.conts), key="troops_heatmap",
                      frame=view.conts, caption=view.heatmap_caption)

st.subheader("The figures behind these charts")
table = view.table
st.dataframe(
    table[
        ["as_of_label", "mission_id", "contributor_name", "value", "qualifier", "flag", "scope", "outlet",
         "source", "url", "note"]],
    column_config={"source": links.SOURCE_COLUMN, "url": links.URL_COLUMN,
                   "value": st.column_config.NumberColumn("troops", format="localized"),
                   "contributor_name": "contributor", "as_of_label": "as of",
                   "scope": st.column_config.TextColumn(
                       "scope", help="'wider': the figure also counts troops outside the "
                       "area of operations (rear bases abroad, reserves); drawn as a grey "
                       "cross, kept off the lines, the map and the change alerts")},
    hide_index=True, width="stretch")
st.caption(f"{len(table)} figures from {table.source_id.nunique()} sources.")
