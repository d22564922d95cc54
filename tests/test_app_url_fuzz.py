"""Hostile and out-of-range URL parameters: clamped or ignored, listed as plain text, never an
exception box and never rendered as a link or an image."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")


@pytest.mark.parametrize("params,said", [
    ({"from": "1900-01-01"}, "clamped"),
    ({"to": "2099-12-31"}, "clamped"),
    ({"from": "1994-12-31"}, "clamped"),
    ({"from": "2099-01-01", "to": "1900-01-01"}, "clamped"),
    ({"mission": "[x](http://evil.example)"}, "unknown code"),
    ({"mission": "![](http://evil.example/i.png)"}, "unknown code"),
])
def test_hostile_url_parameters_are_listed_as_plain_text(params, said):
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    warnings = [w.value for w in at.sidebar.warning]
    assert any(said in w for w in warnings), warnings
    for text in warnings:  # markdown link and image syntax is escaped, so it shows as text
        assert "](" not in text.replace("\\]\\(", "")
    start, end = at.session_state["f_dates"]
    assert start <= end
