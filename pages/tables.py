"""Tables: each mission's strength year by year, each nation's contingent within a
mission, and the change between two chosen years; sortable, and downloadable."""
from types import SimpleNamespace

import streamlit as st

from presence.app import data, links, shell, state, widgets
from presence.view import export, query, tables, text

shell.require_shell()
ds = data.dataset()
f = state.filters()
now = state.chosen_date(f)

st.title("Tables")
st.caption(f"Each cell is the best estimate in force at the **end of the year** (31 December; "
           f"a mission's last day in the year it ended; {state.now_phrase(f)} in the last "
           "year). A troop strength is a count on a day, so the end of the year is the number "
           "the Troops line and the Map show on that day, and each cell rests on figures you "
           "can open; a yearly mean would weigh a year by how often the press wrote about it "
           "and give a number no source gave. Grey cells carry an estimate from an "
           "earlier year (no figure that year changed it); an empty cell has no estimate, "
           "never 0. Click a cell to see its sources, or a column header to sort.")
with st.expander("How a figure becomes the best estimate"):
    st.markdown(f"The estimate is {query.ESTIMATE_RULE}")
    st.markdown("A nation's cell is its newest estimate by the end of the year, if that is at "
                "most two years old (as on the Overview and the Map): an older figure says "
                "nothing about its contingent then.")


@data.cached_view
def tables_view(version, f, now, mission_id: str | None):
    ds = data.dataset()
    missions = tables.mission_table(ds, f, now)
    nations = tables.nation_table(ds, f, mission_id, now) if mission_id else None
    out = SimpleNamespace(missions=missions, nations=nations,
                          choices=tables.contingent_missions(ds, f))
    for name, table, title in (("missions", missions, "Troop strength by mission"),
                               ("nations", nations, f"{mission_id} contingents by nation")):
        if table is None:
            continue
        behind = tables.figures_behind(ds, table)
        setattr(out, f"{name}_behind", behind)
        setattr(out, f"{name}_caption", widgets.make_caption(
            f"{title}, end of each year", f, behind))
    return out


def years_from_link(years: list[int]) -> None:
    """The years a shared link asks for (`compare=2015-2025`) on a first visit; the
    last ten years otherwise, or when the filters took a chosen year away."""
    if all(st.session_state.get(key) in years for key in ("tables_from", "tables_to")):
        return
    first, last = max(years[0], years[-1] - 10), years[-1]
    asked = str(st.query_params.get("compare", "")).split("-")
    if len(asked) == 2 and all(a.isdigit() and int(a) in years for a in asked):
        first, last = int(asked[0]), int(asked[1])
    st.session_state.update(tables_from=first, tables_to=last)


missions_now = tables_view(data.data_version(), f, now, None).missions
years = list(missions_now.years)
if not years:
    st.info("No mission ran in the years these filters leave; clear a filter to see the tables.")
    st.stop()

years_from_link(years)
choices = tables_view(data.data_version(), f, now, None).choices
if choices and st.session_state.get("tables_mission") not in choices:
    asked = st.query_params.get("contingents")
    st.session_state["tables_mission"] = asked if asked in choices else choices[0]

col_from, col_to = st.columns(2)
first = col_from.selectbox("Change from", years, key="tables_from",
                           help="The first year of the change columns.")
last = col_to.selectbox("to", years, key="tables_to",
                        help="The second year: the change is this year's estimate minus the "
                             "first year's.")

tab_missions, tab_nations = st.tabs(["Missions by year", "Nations in a mission"])


def number(label: str):
    return st.column_config.NumberColumn(label, format="localized")


def show_sources(table: tables.YearTable, picked: list[tuple[str, int]]) -> None:
    """The chosen cells, each in a sentence with the sources it rests on as links."""
    for entity, year in picked:
        cell = table.cell(entity, year)
        if cell is None:
            st.caption(f"{text.md_escape(table.names.get(entity, entity))}, {year}: no "
                       "estimate.")
            continue
        lines = [text.md_escape(tables.describe_cell(table, cell)), "", "It rests on:"]
        for s in tables.cell_sources(ds, cell).itertuples():
            published = s.published if isinstance(s.published, str) and s.published else "n.d."
            lines.append(f"- {text.md_escape(s.outlet)} ({published}): "
                         f"[{text.md_escape(s.title)}]({links.source_link(s.source_id)}) · "
                         f"[original]({s.url})")
        st.markdown("\n".join(lines))


def draw(table: tables.YearTable, key: str, behind, caption: export.Caption) -> None:
    """One table: the change between the chosen years, every year, downloads."""
    # One label column, the one a reader knows: KFOR (not "Kosovo Force"), France (not FRA);
    # the files keep both.
    label, hidden = (table.kind, "name") if table.kind == tables.MISSION else ("name", table.kind)
    if first == last:
        st.info("Choose two different years to see the change between them.")
        change = None
    else:
        change = table.change(first, last)
        st.subheader(f"Change from {first} to {last}")
        if change.empty:
            st.info(f"No {table.kind} has an estimate in {first} or {last}.")
        else:
            event = st.dataframe(
                change.drop(columns=hidden), key=f"{key}_change", hide_index=True,
                width="stretch", placeholder="", height="content" if len(change) <= 12 else "auto",
                on_select="rerun", selection_mode="single-row",
                column_config={
                    label: st.column_config.TextColumn(table.kind, pinned=True),
                    str(first): number(str(first)), str(last): number(str(last)),
                    "change": st.column_config.NumberColumn("change", format="%+d"),
                    "change_pct": st.column_config.NumberColumn("change %",
                                                                format="%+.1f%%")})
            rows = event.selection.rows if event else []
            if rows:
                entity = change.iloc[rows[0]][table.kind]
                show_sources(table, [(entity, first), (entity, last)])
    st.subheader("Every year")
    by_year = table.by_year()
    series = list(table.labels)
    grey = table.carried()
    styled = by_year.style.format(thousands=",", precision=0, na_rep="", subset=series) \
        .apply(lambda _: grey[series].replace({True: "color: #808080", False: ""}),
               axis=None, subset=series)
    event = st.dataframe(
        styled, key=f"{key}_years", hide_index=True, width="stretch", height="content",
        placeholder="",
        on_select="rerun", selection_mode="single-cell",
        column_config={"year": st.column_config.NumberColumn("year", format="%d",
                                                             pinned=True)})
    cells = event.selection.cells if event else []
    if cells:
        row, column = cells[0]
        if column in table.labels:
            show_sources(table, [(table.labels[column], int(by_year.iloc[row].year))])
        else:
            st.caption("Click a cell under a " + table.kind + " to see its sources.")
    stem = f"{key.replace('_', '-')}-by-year"
    with st.expander("Download these tables"):
        cols = st.columns(4)
        cols[0].download_button(
            "Every year (CSV)", data=lambda: export.csv_bytes(by_year),
            file_name=f"{stem}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore",
            help="The table above: one row a year, one column a " + table.kind + ", empty "
                 "where there is no estimate; the shape a charting tool reads")
        if change is not None:
            cols[1].download_button(
                f"Change {first}–{last} (CSV)", data=lambda: export.csv_bytes(change),
                file_name=f"{stem}-change-{first}-{last}.csv", mime="text/csv",
                key=f"{key}_change_csv", on_click="ignore")
        cols[2].download_button(
            "Each cell with its sources (CSV)", data=lambda: export.csv_bytes(table.cells),
            file_name=f"{stem}-cells.csv", mime="text/csv", key=f"{key}_cells_csv",
            on_click="ignore", help="One row a cell: the day it was read on, the date of its "
                                    "figures, their range, and the sources it rests on")
        cols[3].download_button(
            "Excel", data=lambda: export.excel_bytes(behind, caption, ds.sources, by_year),
            file_name=f"{stem}.xlsx", key=f"{key}_xlsx", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            help="The table (sheet 'displayed'), every figure behind it (sheet 'data'), "
                 "their sources, and what the file is (sheet 'about': filters, data date, "
                 "licence, citation)")
        st.caption("Plain CSV files, one header line, for Excel, Sheets, Datawrapper or "
                   "pandas.read_csv.")


with tab_missions:
    view = tables_view(data.data_version(), f, now, None)
    draw(view.missions, "tables_missions", view.missions_behind, view.missions_caption)

with tab_nations:
    if not choices:
        st.info("No mission under these filters has figures for its nations.")
        mission_id = None
    else:
        names = ds.missions.set_index("mission_id")["name"]
        mission_id = st.selectbox("Mission", choices, key="tables_mission",
                                  format_func=lambda m: f"{m} — {names[m]}")
        view = tables_view(data.data_version(), f, now, mission_id)
        if not view.nations.names:
            st.info(f"No nation has a figure for {mission_id} under these filters.")
        else:
            st.caption("Nations with the largest contingent first. Sources name a mission's "
                       "nations in snapshots years apart, so many cells are empty: the sum of "
                       "a year's nations is not the mission's strength.")
            draw(view.nations, "tables_nations", view.nations_behind, view.nations_caption)

state.set_page_query(compare=f"{first}-{last}",
                     **({"contingents": mission_id} if mission_id else {}))
