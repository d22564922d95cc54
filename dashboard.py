"""Entry point: page navigation and the filters every page shares.

Run with `streamlit run dashboard.py`.
"""
import streamlit as st

from presence.app import data, login, shell, state

shell.freeze_imports()
st.set_page_config(page_title="Western Balkans security presence", page_icon="assets/icon.png",
                   layout="wide")

# The default page is served at "/", whatever its url_path; a hidden second entry
# serves the same page at /overview, so that link opens it instead of "Page not found".
pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="home",
            default=True),
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="overview",
            visibility="hidden"),
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("pages/troops.py", title="Troops", icon=":material/groups:", url_path="troops"),
    st.Page("pages/tables.py", title="Tables", icon=":material/table_chart:", url_path="tables"),
    st.Page("pages/budgets.py", title="Budgets", icon=":material/payments:", url_path="budgets"),
    st.Page("pages/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
]
if login.curator_login_configured():  # the public menu has no Curate page without a login
    pages.append(st.Page("pages/curate.py", title="Curate", icon=":material/rule:",
                         url_path="curate"))
page = st.navigation(pages)
ds = data.dataset()
st.session_state["filters"] = filters = state.sidebar_filters(ds)
shell.run_page(page, filters)
