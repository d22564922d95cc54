"""Overview: each mission's strength now, its latest change, the map, what is new."""
import streamlit as st

from presence import maps, query, ui

ui.require_shell()
ds = ui.dataset()
f = ui.filters()
when = ui.chosen_date(f)

st.title("Western Balkans security presence")
st.caption(f"International military missions and defence budgets, as reported by named "
           f"sources. Figures as of **{when:%d %B %Y}** (the end of the date filter).")

strength = query.strength_at(ds, when, f)
if strength.empty:
    st.info("No mission was active at this date under these filters.")
else:
    cols = st.columns(len(strength))
    for col, r in zip(cols, strength.itertuples()):
        delta = None
        if getattr(r, "change", None) is not None and r.change == r.change:
            delta = f"{int(r.change):+,} vs {int(r.prev_value):,} on {r.prev_date:%d %b %Y}"
        col.metric(f"{r.mission_id} in {query.country_names(ds)[r.host_country]}",
                   ui.fmt_troops(r.low, r.high, getattr(r, "qualifier", None)), delta,
                   delta_color="off")
        if r.n_sources:
            col.markdown(f"as of {r.date:%d %b %Y} · [{ui.md_escape(r.outlets)}]({ui.source_link(r.source_ids.split(', ')[0])})"
                         + (f" · {r.n_sources} sources disagree" if r.low != r.high else ""))

left, right = st.columns([3, 2])
with left:
    presence = query.host_presence_at(ds, when, f)
    site_rows = query.sites(ds, f, when)
    conts = query.contingents_at(ds, when, f)
    fig = maps.presence_map(presence, site_rows, conts, title=f"Foreign troops, {when:%B %Y}",
                            selected=f.hosts, height=480)
    used = query.figures_at(ds, when, f)
    ui.chart(fig, key="overview_map", frame=used,
             caption=ui.make_caption(f"Foreign troops in the Western Balkans, {when}", f, used),
             geojson=lambda: maps.presence_geojson(presence, site_rows, str(when)),
             on_select=ui.map_select_handler("overview_map"))
with right:
    st.subheader("Recent changes in strength")
    st.caption(f"Moves of {query.ALERT_SHARE:.0f}% or more against the previous figure are "
               "flagged as a reinforcement or a drawdown.")
    changes = query.recent_changes(ds, f, until=when, limit=8, totals=None)
    if changes.empty:
        st.write("No change between reported totals under these filters.")
    else:
        st.dataframe(ui.link_columns(changes)[["date", "mission_id", "contributor", "from", "to",
                                               "change", "alert", "outlet", "source"]],
                     column_config={"source": ui.SOURCE_COLUMN, "mission_id": "mission",
                                    "date": st.column_config.DateColumn(format="YYYY-MM-DD"),
                                    "from": st.column_config.NumberColumn(format="localized"),
                                    "to": st.column_config.NumberColumn(format="localized"),
                                    "change": st.column_config.NumberColumn(format="localized")},
                     hide_index=True, width="stretch")
    st.subheader("Latest events")
    ev = query.events(ds, f, until=when, newest_first=8)
    if ev.empty:
        st.write("No events under these filters.")
    else:
        st.dataframe(ui.link_columns(ev)[["date", "kind", "title", "source"]],
                     column_config={"source": ui.SOURCE_COLUMN}, hide_index=True,
                     width="stretch")
