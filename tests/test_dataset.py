"""Loading and validation: every rule names file, line and field."""
import csv

import pytest

from presence.dataset import DatasetError, load_dataset, parse_partial_date


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
