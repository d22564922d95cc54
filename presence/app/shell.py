"""The frame every page runs in: dashboard.py's navigation and sidebar, and the
Streamlit workaround that sends a bare page request through it.
"""
from __future__ import annotations

import streamlit as st

from presence.app.state import sync_query
from presence.view.filters import Filters


def run_page(page, f: Filters) -> None:
    """Run the page, then make the URL say the filters and that page's keys."""
    st.session_state["page_query"] = {}
    st.session_state["shell_running"] = True
    try:
        page.run()
    finally:
        st.session_state["shell_running"] = False
    sync_query(f, st.session_state["page_query"])


def require_shell() -> None:
    """Make sure dashboard.py (navigation, sidebar filters) wraps this page.

    Streamlit treats a folder named pages/ beside the entry point as an old-style
    multipage app until the entry point has run once in the process: a link
    straight to /troops on a freshly started server would run the page bare,
    without filters. Turning that mode off and rerunning sends the request
    through dashboard.py, which resolves the same URL to the same page.
    """
    if st.session_state.get("shell_running"):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()
