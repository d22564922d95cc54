"""Loading and validation: every rule names file, line and field."""
import csv
import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presence.record.dataset import (
    _ARROW_FROM_BYTES,
    DEFAULT_DATA_DIR,
    DatasetError,
    _arrow_csv,
    _pandas_csv,
    _parse_csv,
    load_dataset,
    parse_partial_date,
)


def write_rows(path, rows, fields):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def edit(path, row_index, field, value):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[row_index][field] = value
    write_rows(path, rows, list(rows[0]))


def problems(directory):
    with pytest.raises(DatasetError) as exc:
        load_dataset(directory)
    return exc.value.problems


def test_shipped_dataset_loads(ds):
    assert set(ds.tables) >= {"sources", "missions", "troops", "budgets", "sites", "events"}
    assert set(ds.missions.mission_id) == {"KFOR", "EUFOR-ALTHEA", "SFOR", "IFOR"}
    assert ds.troops.value.dtype.name == "Int64"


@pytest.mark.parametrize("table,field,value,message", [
    ("troops", "contributor", "XXX", "not a known country code"),
    ("troops", "as_of", "2025-13-01", "not a date"),
    ("troops", "value", "4,600", "not a whole number"),
    ("troops", "qualifier", "roughly", "not one of"),
    ("troops", "scope", "outside", "not one of"),
    ("troops", "source_id", "no-such-source", "not in sources.csv"),
    ("budgets", "year", "1850", "below the minimum"),
    ("sources", "url", "alfapress.al/x", "not an http(s) URL"),
    ("sites", "lat", "", "is empty"),
])
def test_bad_value_is_named(data_copy, table, field, value, message):
    edit(data_copy / f"{table}.csv", 0, field, value)
    found = problems(data_copy)
    assert any(p.file == f"{table}.csv" and p.line == 2 and p.field == field
               and message in p.message for p in found), found
    assert f"{table}.csv, line 2, field '{field}'" in str(DatasetError(found))


@pytest.mark.parametrize("table,pick,field,value,message", [
    ("troops", ("mission_id", "EUFOR-ALTHEA"), "as_of", "2001-05", "outside EUFOR-ALTHEA"),
    ("sources", ("kind", "article"), "published", "", "must be dated"),
])
def test_rule_across_columns_names_the_line(data_copy, table, pick, field, value, message):
    """Rules that read two columns (a mission's life, a source's kind) name the right line."""
    path = data_copy / f"{table}.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    i = next(i for i, r in enumerate(rows) if r[pick[0]] == pick[1])
    edit(path, i, field, value)
    found = problems(data_copy)
    assert any(p.file == f"{table}.csv" and p.line == i + 2 and p.field == field
               and message in p.message for p in found), found


def test_duplicate_row_and_missing_column(data_copy):
    path = data_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    found = problems(data_copy)
    assert any(p.file == "events.csv" and p.line == len(lines) + 1 and "duplicate" in p.message
               for p in found)
    text = (data_copy / "rates.csv").read_text(encoding="utf-8").replace("per_usd", "rate", 1)
    (data_copy / "rates.csv").write_text(text, encoding="utf-8")
    found = problems(data_copy)
    assert any(p.file == "rates.csv" and p.line == 1 and "per_usd" in (p.field or "")
               for p in found)


def test_optional_column_may_be_left_out(data_copy):
    """A troops file written before `scope` existed still loads; scope reads as empty."""
    path = data_copy / "troops.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    write_rows(path, rows, [f for f in rows[0] if f != "scope"])
    ds = load_dataset(data_copy)
    assert len(ds.troops) == len(rows) and ds.troops.scope.isna().all()


def test_partial_dates():
    assert parse_partial_date("2004")[1].isoformat().startswith("2004-12-31")
    assert parse_partial_date("2024-02")[1].day == 29
    assert parse_partial_date("1999-06-12")[0] == parse_partial_date("1999-06-12")[1]
    assert parse_partial_date("12.06.1999") is None
    assert parse_partial_date("2023-02-30") is None


# The fast reader (pyarrow, for large tables) must give pandas' frame or step aside.
CSV_PIECES = [",", '"', '""', "\n", "\n", "\r", "\r\n", " ", "a", "b", "é", "\x00", "\ufeff",
              "\u2028", "\t", "\x0b", "\x0c", "\xa0", "1", "-", "\\", ',"', '",', '"\n', '\n"']


def _read_or_error(read, data):
    try:
        return read(data)
    except Exception as exc:  # noqa: BLE001 - the two readers must fail alike
        return type(exc).__name__


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None)
@given(header=st.sampled_from(["a,b,c\n", "a,b\r\n", "\ufeffa,b,c\n", "a,a,b\n", "a,,b\n", ""]),
       body=st.lists(st.sampled_from(CSV_PIECES), max_size=40).map("".join))
def test_fast_reader_gives_what_pandas_reads(header, body):
    """Whatever bytes a table holds, the loader's large-table reader yields pandas' frame
    (or leaves the file to pandas' reader, whose error the curator then sees)."""
    data = (header + body).encode("utf-8")
    expected = _read_or_error(_pandas_csv, data)
    got = _read_or_error(lambda d: _parse_csv(d, arrow_from=0), data)
    if isinstance(expected, str) or isinstance(got, str):
        assert got == expected
    else:
        pd.testing.assert_frame_equal(got, expected)


def test_the_fast_reader_reads_every_shipped_table_as_pandas_does():
    """The shipped tables (each under the size at which the loader switches readers)
    parse to the same frames through pyarrow's reader as through pandas'."""
    for path in sorted(DEFAULT_DATA_DIR.glob("*.csv")):
        data = path.read_bytes()
        assert len(data) < _ARROW_FROM_BYTES, path.name
        fast = _arrow_csv(data)
        assert fast is not None, f"{path.name} was left to pandas' reader"
        pd.testing.assert_frame_equal(fast, _pandas_csv(data), obj=path.name)
