"""Escaping, tested directly: what a source or an article says is shown as text, never run
as Markdown or HTML."""
from presence.view import text

HOSTILE = '[click](http://evil.example) ![](http://evil.example/i.png) <a href="x">y</a> **b**'


def test_markdown_is_made_inert():
    out = text.md_escape(HOSTILE)
    for token in ("[", "]", "(", ")", "!", "*", "<", ">"):
        assert f"\\{token}" in out
    assert text.md_escape("KFOR 4,500") == "KFOR 4,500"


def test_html_and_hover_text_are_made_inert():
    out = text.plain(HOSTILE)
    assert "<a " not in out and "&lt;a href=" in out
    assert text.plain(3700) == "3700"


def test_the_figure_is_marked_in_an_escaped_sentence():
    out = text.highlighted('KFOR has <b>4,500</b> troops, "said" NATO', "4,500")
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert "<mark>4,500</mark>" in out
    assert text.highlighted("no figure here", "4,500").count("<mark>") == 0
