"""Curate: review candidate figures pulled from articles; accept, correct or reject them."""
import streamlit as st

from presence.app import data, login, shell
from presence.desk import curate
from presence.desk.store import Store, StoreBusy
from presence.record import schema
from presence.view import text

# A page waits only briefly for a store another process (an ingest, a curator) holds,
# and for the data folder while another curator writes to it; then it says so on the row.
PAGE_STORE_WAIT_SECONDS = 2
PAGE_LOCK_WAIT = 10

shell.require_shell()
ds = data.dataset()
st.title("Curate")
who = login.curator_login()
st.caption(f"Logged in as **{who}**. Accepting writes the figure and its article into data/; "
           "every action goes to data/audit.jsonl.")

try:
    with Store(wait=PAGE_STORE_WAIT_SECONDS) as store:
        queue = curate.pending_queue(store, ds)
except StoreBusy as exc:
    st.warning(f"The curator's store is busy: {text.md_escape(str(exc))}. The review queue "
               "shows again when that run has finished; reload the page in a moment.",
               icon="⏳")
    st.stop()
if queue.empty:
    st.info("No candidates are waiting. Feed articles with `presence ingest …` and "
            "`presence extract`.")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
kinds = c1.multiselect("Kind", sorted(queue.kind.unique()), key="cur_kind")
missions = c2.multiselect("Mission", sorted(queue.mission.dropna().unique()), key="cur_mission")
langs = c3.multiselect("Language", sorted(queue.language.dropna().unique()), key="cur_lang")
floor = c4.slider("Confidence at least", 0.0, 1.0, 0.0, 0.05, key="cur_conf")
view = curate.filter_queue(queue, kinds=kinds, missions=missions, languages=langs,
                           min_confidence=floor)

columns = ["id", "published", "outlet", "kind", "mission", "contributor", "host_country",
           "as_of", "value", "unit", "qualifier", "confidence", "dataset"]
table = view[columns].assign(pick=False, published=view.published.dt.date)[["pick"] + columns]
edited = st.data_editor(
    table, key="cur_table", hide_index=True, width="stretch",
    disabled=["id", "published", "outlet", "kind", "confidence", "dataset"],
    column_config={"pick": st.column_config.CheckboxColumn("✓", help="Include in a bulk action"),
                   "value": st.column_config.NumberColumn(format="%,.2f"),
                   "qualifier": st.column_config.SelectboxColumn(
                       options=list(schema.QUALIFIERS))})
chosen = edited[edited["pick"]]
st.caption(f"{len(view)} of {len(queue)} pending candidates shown, newest first; "
           f"{len(chosen)} selected. Edit cells to correct a figure before accepting it.")

detail_id = st.selectbox("Read a candidate in its sentence", list(view.id),
                         format_func=lambda i: f"{i} · {view.set_index('id').loc[i, 'kind']}")
row = view.set_index("id").loc[detail_id]
st.markdown(f"**{text.md_escape(row.title)}** — {text.md_escape(row.outlet)}, "
            f"{row.published:%Y-%m-%d}")
st.html(text.highlighted(row.quote, row.figure or ""))
if getattr(row, "why", None):
    st.caption("Why the extractor proposed it: " + "; ".join(
        text.md_escape(line) for line in str(row.why).splitlines()))
url = st.text_input("Article address (cited as the source)", value=row.url or "",
                    key=f"cur_url_{detail_id}")
extra = {"url": url} if url else {}
if row.kind == "event":
    e1, e2 = st.columns(2)
    extra["event_kind"] = e1.selectbox("Event kind", curate.EVENT_KINDS, key="cur_ek")
    extra["title"] = e2.text_input("Title, in your own words", key="cur_et")
if row.kind == "defence_budget":
    extra["measure"] = st.selectbox("Measure", schema.MEASURES, key="cur_measure",
                                    format_func=lambda m: schema.MEASURE_LABEL[m])


reason = st.text_input("Reason for rejecting", value="not a current presence figure",
                       key="cur_reason")
b1, b2, b3 = st.columns(3)
targets = chosen if len(chosen) else edited[edited.id == detail_id]
label = f"{len(targets)} selected" if len(chosen) else "this one"
do_accept = b1.button(f"Accept {label}", type="primary")
do_reject = b2.button(f"Reject {label}")
do_corroborate = b3.button(f"Accept {label} as corroboration",
                           help="The dataset already holds this figure: record this article as "
                                "one more source on it.")
action = "corroborate" if do_corroborate else "accept" if do_accept else \
    "reject" if do_reject else None
if action:
    try:
        with Store(wait=PAGE_STORE_WAIT_SECONDS) as store:
            done, failed = curate.review_rows(
                curate.Reviewer(store, who=who, wait=PAGE_LOCK_WAIT), targets.to_dict("records"), action, ds,
                extra_for=lambda r: extra if r["id"] == detail_id else (
                    {"url": url} if url else {}),
                reason=reason)
    except StoreBusy as exc:
        done, failed = [], [f"nothing was changed: the curator's store is busy ({exc})"]
    if done:
        st.success(f"{'Rejected' if action == 'reject' else 'Accepted'} {len(done)}: "
                   f"{', '.join(done)}")
    for f in failed:
        st.error(f)
    if done and not failed:
        st.rerun()
