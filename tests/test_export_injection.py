"""Formula cells in exports: hostile source titles and notes stay text, numbers stay numbers."""
import csv
import io

import openpyxl
import pytest

from presence.view import export, query
from presence.view.filters import Filters

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)",
           "\tstarts with a tab", "\rstarts with a return", "=1+1"]


@pytest.fixture(scope="module")
def hostile(ds):
    frame = query.troops(ds, Filters(missions=("KFOR",)), totals=True).head(len(HOSTILE))
    frame = frame.reset_index(drop=True).copy()
    frame["note"] = HOSTILE
    frame["outlet"] = HOSTILE[::-1]
    sources = ds.sources[ds.sources.source_id.isin(frame.source_id)].copy()
    sources["title"] = HOSTILE[0]
    caption = export.Caption(title="=KFOR", filters="mission: KFOR", data_date="2025",
                             sources=tuple(HOSTILE[:2]))
    return frame, sources, caption


def test_csv_cells_that_would_be_formulas_are_neutralised(hostile):
    frame, _, caption = hostile
    text = export.csv_bytes(frame, caption).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))  # one header line, no '#' lines
    assert len(rows) == len(frame)  # a carriage return in a note does not split its row
    assert [r["note"] for r in rows] == ["'" + h for h in HOSTILE]
    assert [r["outlet"] for r in rows] == ["'" + h for h in HOSTILE[::-1]]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit()
    assert [int(r["value"]) for r in rows] == frame.value.tolist()  # numbers stay numbers


def test_workbook_has_no_live_formula_and_numbers_stay_numbers(hostile):
    frame, sources, caption = hostile
    book = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(frame, caption, sources)))
    formulas = [(sheet.title, cell.coordinate) for sheet in book for row in sheet.iter_rows()
                for cell in row if cell.data_type == "f"]
    assert formulas == []
    data = book["data"]
    header = [c.value for c in data[1]]
    values = [row[header.index("value")] for row in data.iter_rows(min_row=2, values_only=True)]
    assert values == frame.value.tolist() and all(isinstance(v, int) for v in values)
    notes = [row[header.index("note")] for row in data.iter_rows(min_row=2, values_only=True)]
    assert notes == ["'" + h for h in HOSTILE]


def test_plain_negative_numbers_in_text_columns_are_left_alone():
    import pandas as pd

    out = export.neutralised(pd.DataFrame({"text": ["-12.5", "-1+2", "ok"],
                                           "n": [-1, 2, 3]}))
    assert out.text.tolist() == ["-12.5", "'-1+2", "ok"] and out.n.tolist() == [-1, 2, 3]


def test_only_web_addresses_become_links_and_none_is_a_formula(hostile):
    """A URL cell is a link only when it is http(s): a hostile 'url' stays inert text."""
    frame, sources, caption = hostile
    frame = frame.copy()
    frame["url"] = ["javascript:alert(1)", "=HYPERLINK(\"http://evil.example\")",
                    "file:///etc/passwd", "https://example.org/a b", "http://example.org/ok",
                    "HTTPS://EXAMPLE.ORG/OK", ""]
    book = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(frame, caption, sources)))
    data = book["data"]
    header = [c.value for c in data[1]]
    cells = [row[header.index("url")] for row in data.iter_rows(min_row=2)]
    linked = [c.value for c in cells if c.hyperlink is not None]
    assert linked == ["http://example.org/ok", "HTTPS://EXAMPLE.ORG/OK"]
    assert cells[1].value == "'=HYPERLINK(\"http://evil.example\")" and cells[1].data_type != "f"
