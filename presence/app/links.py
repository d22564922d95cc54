"""Links from a figure to its source: the Sources page's address for a source,
and the table columns that show them as links (in the same tab, so the
filters are kept).
"""
from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st


def source_link(source_id: str) -> str:
    return "/sources?" + urlencode({"source": source_id})


def link_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Add a 'source' column that opens the Sources page on that source."""
    if "source_id" in frame:
        frame = frame.assign(source=frame.source_id.map(source_link))
    return frame


SOURCE_COLUMN = st.column_config.LinkColumn("source", display_text=r"/sources\?source=(.*)",
                                             help="Open this source on the Sources page")


URL_COLUMN = st.column_config.LinkColumn("url", display_text="original ↗")
