"""Overview: each mission's strength now, its latest change, the map, what is new."""
from types import SimpleNamespace

import streamlit as st

from presence.app import data, links, shell, state, widgets
from presence.view import maps, query, text

shell.require_shell()
ds = data.dataset()
f = state.filters()
when = state.chosen_date(f)


@data.cached_view
def overview(version, f, when):
    ds = data.dataset()
    layers = query.map_layers(ds, when, f)
    return SimpleNamespace(
        strength=query.strength_at(ds, when, f), presence=layers.presence,
        site_rows=layers.sites, used=layers.used,
        # the date goes above the map, not into it: the same map on another day is then
        # the same figure, which the browser leaves as it is (widgets.chart)
        map=data.figure(maps.presence_map, *layers[:3], selected=f.hosts, height=480,
                        scale_max=query.presence_scale(ds, f), title=None),
        map_heading=f"Foreign troops, {state.now_label(f)}",
        map_caption=widgets.make_caption(f"Foreign troops in the Western Balkans, {when}", f,
                                    layers.used),
        changes=links.link_columns(query.recent_changes(ds, f, until=when, limit=8, totals=None)),
        events=links.link_columns(query.events(ds, f, until=when, newest_first=8)))


view = overview(data.data_version(), f, when)

st.title("Western Balkans security presence")
st.caption(f"International military missions and defence budgets, as reported by named "
           f"sources. Figures {state.now_phrase(f)}. Each headline is the best estimate drawn "
           f"from the figures that disagree (the rule is below the headlines).")

strength = view.strength
if strength.empty:
    st.info("No mission was active at this date under these filters.")
else:
    cols = st.columns(len(strength))
    for col, r in zip(cols, strength.itertuples()):
        delta = None
        if isinstance(getattr(r, "alert", None), str) and r.alert:
            delta = (f"{int(r.change):+,} in {r.change_label} "
                     f"(from {int(r.prev_value):,} in {r.prev_label})")
        col.metric(f"{r.mission_id} in {query.country_names(ds)[r.host_country]}",
                   widgets.fmt_estimate(r.value, r.low, r.high, getattr(r, "qualifier", None)),
                   delta, delta_color="off",
                   help="Last confirmed change of the estimate" if delta else None)
        if r.n_sources:
            band = f" · range {int(r.low):,}–{int(r.high):,}" if r.low != r.high else ""
            col.markdown(
                f"{r.label} · {r.n_sources} source{'s' if r.n_sources > 1 else ''}{band} · "
                f"[{text.md_escape(r.outlets.split(', ')[0])}]"
                f"({links.source_link(r.source_ids.split(', ')[0])})")
            if isinstance(r.held_label, str):
                col.caption(f"Newer figure not adopted: {int(r.held_value):,} "
                            f"({r.held_label}), one source, not confirmed.")

with st.expander("How the best estimate is chosen"):
    st.markdown(f"The estimate is {query.ESTIMATE_RULE}")

left, right = st.columns([3, 2])
with left:
    widgets.chart(view.map, key="overview_map", frame=view.used, caption=view.map_caption,
                  heading=view.map_heading,
             geojson=lambda: maps.presence_geojson(view.presence, view.site_rows, str(when)),
             on_select=state.map_select_handler("overview_map"))
with right:
    st.subheader("Recent changes in strength")
    st.caption(f"Moves of the best estimate by {query.ALERT_SHARE:.0f}% or more, confirmed by "
               "a second source, the next figure or an announced reinforcement or drawdown. "
               "Sources that merely disagree are not a change.")
    changes = view.changes
    if changes.empty:
        st.write("No confirmed change of the estimate under these filters.")
    else:
        # what a reader needs first (when, whose, to, from): a narrow column keeps them in view
        st.dataframe(changes[["label", "mission_id", "contributor", "to", "from", "change",
                              "from_label", "alert", "confirmed_by", "outlet", "source",
                              "previous_source_ids"]],
                     column_config={"source": links.SOURCE_COLUMN, "mission_id": "mission",
                                    "label": "when", "from_label": "from (when)",
                                    "confirmed_by": "confirmed by",
                                    "previous_source_ids": "sources of the 'from' figure",
                                    "from": st.column_config.NumberColumn(format="localized"),
                                    "to": st.column_config.NumberColumn(format="localized"),
                                    "change": st.column_config.NumberColumn(format="localized")},
                     hide_index=True, width="stretch")
    st.subheader("Latest events")
    ev = view.events
    if ev.empty:
        st.write("No events under these filters.")
    else:
        st.dataframe(ev[["date", "kind", "title", "source"]],
                     column_config={"source": links.SOURCE_COLUMN}, hide_index=True,
                     width="stretch")
