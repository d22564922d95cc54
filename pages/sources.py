"""Sources: every document a figure was read from, and what it backs."""
import streamlit as st

from presence.app import data, links, shell, state
from presence.view import bundle, query, text

shell.require_shell()
ds = data.dataset()

st.title("Sources")
st.caption("Every figure in the dashboard names one of these documents. Select a row, or "
           "follow a 'source' link from any table, to see what it backs.")

with st.expander("What the record covers, and its gaps"):
    st.markdown(data.coverage_report())

st.download_button(
    "Download the whole dataset (zip)", key="sources_zip", on_click="ignore",
    data=lambda: bundle.dataset_zip(ds), file_name=f"{bundle.folder(ds)}.zip",
    mime="application/zip", icon=":material/download:",
    help="Every table as CSV, their description (datapackage.json, a Frictionless Data "
         "Package), the coverage report, and a README with the data version and date, the "
         "licence (CC BY 4.0 for the curated figures; each source keeps its own terms) and "
         "how to cite it.")

search = st.text_input("Search titles and outlets", key="source_search")
table = query.sources(ds, search)

wanted = st.query_params.get("source")
event = st.dataframe(
    table[["source_id", "published", "outlet", "title", "kind", "language", "figures", "url"]],
    column_config={"url": links.URL_COLUMN,
                   "figures": st.column_config.NumberColumn(help="Figures this source backs")},
    hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    key="sources_table")
rows = event.selection.rows if event else []
chosen = table.iloc[rows[0]].source_id if rows else wanted
if chosen and chosen not in set(ds.sources.source_id):
    st.warning(f"No source with id '{chosen}'.")
elif chosen:
    src = ds.sources.set_index("source_id").loc[chosen]
    st.subheader(text.md_escape(src.title))
    st.markdown(f"**{text.md_escape(src.outlet)}**, {src.published} · {src.kind} · "
                f"language: {src.language}  \n[{text.md_escape(src.url)}]({src.url})")
    if isinstance(src.note, str):
        st.caption(text.md_escape(src.note))
    backed = query.figures_for_source(ds, chosen)
    for name, frame in backed.items():
        st.markdown(f"**{name}** ({len(frame)})")
        st.dataframe(frame.drop(columns=["source_id"]), hide_index=True,
                     width="stretch")
    from_feed = sum(frame.candidate_id.fillna("").ne("").sum() for frame in backed.values()
                    if "candidate_id" in frame)
    if from_feed:
        # The public page reads the published record only: the sentence a figure was read
        # from stays in the curator's store, found there by the row's candidate_id.
        st.caption(f"{from_feed} of these figures were accepted from the article feed; "
                   "`candidate_id` names the reviewed candidate. Read the sentence in the "
                   "original above.")
    state.set_page_query(source=chosen)
