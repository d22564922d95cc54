"""The frame every page runs in: dashboard.py's navigation and sidebar, and the
Streamlit workaround that sends a bare page request through it.
"""
from __future__ import annotations

import functools
import gc

import streamlit as st

from presence.app import widgets
from presence.app.state import sync_query
from presence.view.filters import Filters


def run_page(page, f: Filters) -> None:
    """Run the page, then make the URL say the filters and that page's keys."""
    st.session_state["page_query"] = {}
    st.session_state["shell_running"] = True
    chart = widgets.embedded_chart()
    if chart:
        embed_only(chart)
        st.session_state["embedded_drawn"] = False
    try:
        page.run()
    finally:
        st.session_state["shell_running"] = False
    if chart and not st.session_state.get("embedded_drawn"):
        # a chart key this page does not have: say so where the embed would have been
        with st.container(key=f"embedded_{chart}"):
            st.warning(f"This page has no chart named '{chart}'. Open the page without "
                       "`chart=` to see all of it.")
    sync_query(f, {**st.session_state["page_query"], **({"chart": chart} if chart else {})})


def embed_only(chart: str) -> None:
    """Show only the embedded chart's container: the page's other blocks, the sidebar and
    the header are hidden (they still run: the page builds its view as usual)."""
    keep = f".st-key-embedded_{chart}"
    st.html(f"""<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
    [data-testid="stHeader"] {{display: none !important;}}
    [data-testid="stVerticalBlock"] > div:not(:has({keep})):not({keep}):not({keep} *)
        {{display: none !important;}}
    </style>""")


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


@functools.cache
def freeze_imports() -> None:
    """Once per process, after the imports: leave what they made (modules, classes,
    functions, about 120,000 objects that live as long as the process) out of every
    later garbage collection.

    Streamlit runs a full collection after each run of a page (runner.postScriptGC);
    walking those objects again each time was about 60 of its 85 ms, on every
    filter change. Garbage made after this point is collected as before.
    """
    gc.collect()
    gc.freeze()
