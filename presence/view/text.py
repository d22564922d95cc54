"""Text from sources and articles made safe to show, with no Streamlit here: inert inside
Markdown, inert as HTML (Plotly reads <b> and <a href> in hover text), and an article's
sentence as escaped HTML with its figure marked. tests/test_text.py checks each directly;
pages and charts call these, never their own escaping."""
from __future__ import annotations

import html
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md_escape(text) -> str:
    """Text from a source (titles, outlets, notes) made inert inside st.markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def plain(text) -> str:
    """Text from the record or an article as HTML or Plotly hover text: a title written as
    a link stays visible as text and is never a live link."""
    return html.escape(str(text), quote=False)


def highlighted(quote: str, figure: str) -> str:
    """An article's sentence as escaped HTML with the figure marked: never markup of its own."""
    safe = html.escape(quote)
    mark = html.escape(figure)
    if mark and mark in safe:
        safe = safe.replace(mark, f"<mark>{mark}</mark>", 1)
    return f"<div style='font-size:1.05rem;line-height:1.5'>{safe}</div>"
