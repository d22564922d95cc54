"""Map: the region at a chosen date; play through the years; click a country to filter."""
from types import SimpleNamespace

import streamlit as st

from presence.app import data, links, shell, state, widgets
from presence.view import charts, maps, query

shell.require_shell()
ds = data.dataset()
f = state.filters()
position = query.map_position(ds, f, state.chosen_date(f), st.query_params.get("at"))
steps = position.steps
newest = None if f.end else query.latest_date(ds).label


def label(step: str) -> str:
    return query.map_label(step, steps, newest)


st.title("Map")
st.caption("Host countries shaded by the best estimate of the foreign troops of the missions "
           "active at the chosen date, on one colour scale for every year; headquarters and "
           "camps as markers; arcs from each contributing nation to its host, as wide as its "
           "contingent. Click a country's grey dot to filter by it. The last step is the "
           "newest date in the record, not today.")

if "map_at" not in st.session_state or st.session_state.map_at not in steps:
    st.session_state.map_at = position.at
if position.note:
    st.info(position.note)
if nowhere := query.unhosted(ds, f):
    names = query.country_names(ds)
    st.info(f"{', '.join(names.get(c, c) for c in nowhere)} hosted no international mission "
            "in the record, so nothing is shaded there. Use *Clear filters* in the sidebar to "
            "see the whole region, or choose a contributing nation instead.")
slider_col, play_col = st.columns([6, 1])
slider_col.select_slider("Date shown", options=steps, key="map_at",
                         format_func=label)
play = play_col.toggle("▶ Play years", key="map_play",
                       help="Every year of the date range on one map, with Play and Pause "
                            "buttons that run in the browser")
state.set_page_query(at=st.session_state.map_at)

# Containers made every run in the same order: the map's slot is the same block each time
# (an st.empty().container() is a new block every run, which made the browser mount the
# map, WebGL context and all, afresh after every filter change).
placeholder = st.container()
side = st.container()


@data.cached_view
def map_at(version, f, at: str, title: str):
    ds = data.dataset()
    layers = query.map_layers(ds, at, f)
    return SimpleNamespace(
        presence=layers.presence, site_rows=layers.sites,
        site_table=links.link_columns(layers.sites), used=layers.used,
        map=data.figure(maps.presence_map, *layers[:3], selected=f.hosts,
                        scale_max=query.presence_scale(ds, f), title=None),
        caption=widgets.make_caption(title, f, layers.used),
        bars=data.figure(charts.contingents_bar, layers.contingents, None),  # title above it
        coverage=query.describe_coverage(
            query.contingent_coverage(ds, at, f, layers.contingents)))


at = st.session_state.map_at
title = f"Foreign troops in the Western Balkans, {label(at)}"
bars_title = f"Contingents, newest figure of each nation by {label(at)}"
view = map_at(data.data_version(), f, at, title)
if play:
    placeholder.plotly_chart(data.map_animation(f, tuple(steps), newest, steps.index(at)),
                             config=widgets.PLOT_CONFIG, key="map_animation")
else:
    with placeholder:
        widgets.chart(view.map, key="map_main", frame=view.used, caption=view.caption,
                      heading=title,
                 geojson=lambda: maps.presence_geojson(view.presence, view.site_rows, at),
                 on_select=state.map_select_handler("map_main"))

with side:
    left, right = st.columns(2)
    widgets.write_heading(bars_title, left)
    left.plotly_chart(view.bars, config=widgets.PLOT_CONFIG, key="map_bars")
    left.caption("Covers " + (view.coverage or "no nation with a figure from the two years "
                                               "before.")
                 + " National figures of different dates do not add up to a total.")
    with right:
        st.subheader("Camps and headquarters open at this date")
        if view.site_rows.empty:
            st.write("No sourced site for this date and filters.")
        else:
            st.dataframe(view.site_table[["name", "kind", "mission_id", "opened",
                                                     "closed", "source"]],
                         column_config={"source": links.SOURCE_COLUMN}, hide_index=True,
                         width="stretch")
