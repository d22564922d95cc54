"""The validator cannot be fooled: damaged tables are accepted only when the schema allows them,
and otherwise named with file, line and field; the validator never raises anything else."""
from __future__ import annotations

import csv
import io
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presence.record.dataset import (
    DEFAULT_DATA_DIR,
    Dataset,
    DatasetError,
    load_dataset,
    load_schema,
    parse_partial_date,
)

SCHEMA = load_schema(DEFAULT_DATA_DIR)
KEEP_ROWS = 12  # enough rows of each table to damage; the shipped tables take ~1 s to load

HOSTILE = ["", " ", "inf", "-inf", "nan", "NaN", "1e309", "1e3", "4600.5", "4600", "-1", "0",
           "1_000", "4,600", "٤٦٠٠", "４６００", "9" * 400, "2099-12-31", "2004-02-30", "0000",
           "١٩٩٩", "1999-6", "1999-06-01T00:00", "1999\n", "a\nb", "a\rb", "tab\there", "\x00",
           "\u2028", "javascript:alert(1)", "http://", "=HYPERLINK(\"http://x\")", "ALL", "XKX",
           "KFOR", "exact", "article", "XXX", "http://example.org/ok", "39.5", "47.6", "13.0"]


def _trimmed(target: Path) -> None:
    """The shipped dataset with each large table cut to its first rows (references still hold)."""
    shutil.copytree(DEFAULT_DATA_DIR, target)
    for table in ("troops", "budgets", "rates", "events", "sites"):
        path = target / f"{table}.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        rows = list(csv.reader(io.StringIO("".join(lines))))
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows[:KEEP_ROWS + 1])
        path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("base") / "data"
    _trimmed(target)
    load_dataset(target)  # the starting point is valid
    return target


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8", newline="")))


def _write(path: Path, rows: list[dict], fields: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _allowed(value: str, spec: dict, countries: set[str]) -> bool:
    """An independent reading of the schema: would this value be a correct cell?"""
    value = value.strip()
    if value == "":
        return bool(spec.get("optional"))
    if re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", value):
        return False
    if "pattern" in spec and not re.fullmatch(spec["pattern"].strip("^$"), value):
        return False
    kind = spec["type"]
    if kind == "int":
        if not re.fullmatch(r"-?[0-9]+", value) or len(value) > 15:
            return False
        number = int(value)
    elif kind == "number":
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value) or len(value) > 31:
            return False
        number = float(value)
        if not math.isfinite(number):
            return False
    if kind in ("int", "number"):
        return spec.get("min", -math.inf) <= number <= spec.get("max", math.inf)
    if kind == "date":
        span = parse_partial_date(value)
        return span is not None and span[0] <= pd.Timestamp.today() \
            and bool(re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value))
    if kind == "enum":
        return value in spec["values"]
    if kind == "country":
        return value in countries or value in spec.get("also", [])
    if kind == "url":
        return bool(re.fullmatch(r"https?://\S+", value))
    return True


def _load(directory: Path) -> Dataset | DatasetError:
    try:
        return load_dataset(directory)
    except DatasetError as exc:
        assert exc.problems, "a DatasetError names at least one problem"
        for problem in exc.problems:
            assert problem.file and problem.message
            str(problem)
        return exc


cells = st.tuples(
    st.sampled_from(sorted(SCHEMA["tables"])),
    st.integers(min_value=0, max_value=KEEP_ROWS - 1),
    st.data(),
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30),
              st.from_regex(r"-?[0-9]{1,20}(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,4})?",
                            fullmatch=True),
              st.from_regex(r"[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?", fullmatch=True)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells)
def test_a_damaged_cell_is_accepted_only_if_the_schema_allows_it(base, cell):
    table, row_index, data, value = cell
    columns = SCHEMA["tables"][table]["columns"]
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "data"
        shutil.copytree(base, target)
        path = target / f"{table}.csv"
        rows = _rows(path)
        row_index %= len(rows)
        fields = list(rows[0])
        field = data.draw(st.sampled_from(fields))
        original = rows[row_index][field]
        rows[row_index][field] = value
        _write(path, rows, fields)
        outcome = _load(target)
    countries = {r["code"] for r in _rows(base / "countries.csv")}
    if isinstance(outcome, Dataset):
        assert value.strip() == original.strip() or _allowed(value, columns[field], countries), \
            f"{table}.csv line {row_index + 2} {field}={value!r} was accepted"
    elif not _allowed(value, columns[field], countries):
        assert any(p.file == f"{table}.csv" and p.line == row_index + 2 and p.field == field
                   for p in outcome.problems), (value, outcome.problems)


damage = st.one_of(
    st.tuples(st.just("truncate"), st.integers(min_value=0, max_value=3000)),
    st.tuples(st.just("bytes"), st.binary(max_size=200)),
    st.tuples(st.just("text"), st.text(max_size=200)),
    st.tuples(st.just("append"), st.text(max_size=80)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SCHEMA["tables"])), damage)
def test_a_damaged_file_is_named_never_a_traceback(base, table, how):
    kind, arg = how
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "data"
        shutil.copytree(base, target)
        path = target / f"{table}.csv"
        raw = path.read_bytes()
        if kind == "truncate":
            path.write_bytes(raw[:arg])
        elif kind == "bytes":
            path.write_bytes(arg)
        elif kind == "text":
            path.write_text(arg, encoding="utf-8", errors="surrogatepass")
        else:
            path.write_bytes(raw + arg.encode("utf-8", "surrogatepass"))
        outcome = _load(target)
    if isinstance(outcome, DatasetError):
        assert any(p.file == f"{table}.csv" or p.file.endswith(".csv")
                   for p in outcome.problems)


@pytest.mark.parametrize("table,field,value,message", [
    ("troops", "value", "4600.5", "not a whole number"),
    ("troops", "value", "inf", "not a whole number"),
    ("troops", "value", "1e309", "not a whole number"),
    ("troops", "value", "9" * 400, "not a whole number"),
    ("budgets", "amount", "inf", "not a number"),
    ("budgets", "amount", "nan", "not a number"),
    ("sites", "lat", "nan", "not a number"),
    ("troops", "as_of", "2099-12-31", "in the future"),
    ("troops", "as_of", "٢٠٢٠", "not a date"),
    ("sources", "title", "two\nlines", "control character or line break"),
    ("troops", "contributor", "", "is empty"),
], ids=lambda v: v[:12].encode("unicode_escape").decode() if isinstance(v, str) else v)
def test_the_campaigns_broken_values_are_named(base, tmp_path, table, field, value, message):
    target = tmp_path / "data"
    shutil.copytree(base, target)
    rows = _rows(target / f"{table}.csv")
    rows[0][field] = value
    _write(target / f"{table}.csv", rows, list(rows[0]))
    outcome = _load(target)
    assert isinstance(outcome, DatasetError)
    assert any(p.file == f"{table}.csv" and p.line == 2 and p.field == field
               and message in p.message for p in outcome.problems), outcome.problems


def test_validate_on_an_empty_table_names_it(tmp_path):
    target = tmp_path / "data"
    _trimmed(target)
    (target / "troops.csv").write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "presence.cli", "validate", "--data",
                          str(target)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "troops.csv, line 1: file is empty" in out.stderr


def test_an_event_outside_its_missions_life_is_named_but_a_mandate_may_precede(base, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(base, target)
    rows = _rows(target / "events.csv")
    i = next(i for i, r in enumerate(rows) if r["mission_id"] == "SFOR" and r["kind"] != "mandate")
    rows[i]["date"] = "2025-03-01"  # SFOR ended in 2004: the "2025 visit" of the campaign
    _write(target / "events.csv", rows, list(rows[0]))
    outcome = _load(target)
    assert isinstance(outcome, DatasetError)
    assert any(p.file == "events.csv" and p.line == i + 2 and p.field == "date"
               and "outside SFOR's life" in p.message for p in outcome.problems)
    rows[i]["date"], rows[i]["kind"] = "1996-12-01", "mandate"  # before SFOR began: allowed
    _write(target / "events.csv", rows, list(rows[0]))
    assert isinstance(_load(target), Dataset)
