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
        # once per source, not per row: 100,000 figures cite a few thousand sources
        links = {source_id: source_link(source_id) for source_id in frame.source_id.unique()
                 if isinstance(source_id, str)}
        frame = frame.assign(source=frame.source_id.map(links))
    return frame


SOURCE_COLUMN = st.column_config.LinkColumn("source", display_text=r"/sources\?source=(.*)",
                                             help="Open this source on the Sources page")


URL_COLUMN = st.column_config.LinkColumn("url", display_text="original ↗")
