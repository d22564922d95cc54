"""The record's one description: data/datapackage.json as a Frictionless Data Package,
read by the project's validator and by the `frictionless` library alike, and the
vocabularies the pages take from it."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from presence.record import schema
from presence.record.dataset import DEFAULT_DATA_DIR, DatasetError, load_dataset
from presence.view import charts

frictionless = pytest.importorskip("frictionless", reason="frictionless is a test dependency "
                                   "(pip install -e '.[test]')")


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns("*.md", "*.parquet",
                                                                          ".cache*"))
    return data


def _append(path: Path, changes: dict) -> None:
    """A copy of the file's first row with `changes`, appended at its end."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    row = {**rows[0], **changes}
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=list(rows[0])).writerow(row)


def _errors(data: Path) -> set[str]:
    report = frictionless.validate(str(data / "datapackage.json"))
    return {e.type for task in report.tasks for e in task.errors} | {e.type for e in report.errors}


def test_the_shipped_record_is_a_valid_data_package():
    report = frictionless.validate(str(DEFAULT_DATA_DIR / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    names = {task.name for task in report.tasks}
    assert names == set(schema.load_schema(DEFAULT_DATA_DIR)["tables"])


def test_every_csv_column_is_described(tmp_path):
    described = schema.load_schema(DEFAULT_DATA_DIR)["tables"]
    for table, spec in described.items():
        with (DEFAULT_DATA_DIR / f"{table}.csv").open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header == list(spec["columns"]), table


@pytest.mark.parametrize("table, changes, error", [
    ("troops", {"mission_id": "NOPE"}, "foreign-key"),
    ("troops", {"qualifier": "maybe"}, "constraint-error"),
    ("budgets", {"year": "1890"}, "constraint-error"),
    ("sources", {}, "primary-key"),  # the same source_id twice
    ("sites", {"lat": "north"}, "type-error"),
])
def test_frictionless_and_our_validator_both_reject_a_crafted_row(tmp_path, table, changes, error):
    data = _copy(tmp_path)
    _append(data / f"{table}.csv", changes)
    assert error in _errors(data)
    with pytest.raises(DatasetError) as caught:
        load_dataset(data)
    assert any(p.file == f"{table}.csv" for p in caught.value.problems)


def test_a_broken_descriptor_is_a_named_error(tmp_path):
    data = _copy(tmp_path)
    (data / "datapackage.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(schema.SchemaError, match="datapackage.json"):
        schema.load_schema(data)
    package = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    del package["resources"][0]["schema"]["fields"][0]["presence"]
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(schema.SchemaError, match="presence"):
        schema.load_schema(data)


@pytest.mark.parametrize("values, table", [
    (schema.MEASURES, schema.MEASURE_LABEL),
    (schema.MEASURES, schema.MEASURE_DEFINITIONS),
    (schema.MEASURES, schema.MEASURE_SHORT),
    (schema.MEASURES, charts.MEASURE_DASH),
    (schema.QUALIFIERS, schema.QUALIFIER_LABEL),
    (schema.QUALIFIERS, charts.QUALIFIER_SYMBOL),
    (schema.QUALIFIERS, charts.QUALIFIER_WORD),
    (schema.QUALITIES, schema.QUALITY_LABEL),
    (schema.EVENT_KINDS, schema.EVENT_LABEL),
    (schema.EVENT_KINDS, charts.EVENT_SYMBOLS),
    (schema.EVENT_KINDS, charts.EVENT_COLOURS),
])
def test_every_label_and_style_table_covers_every_value(values, table):
    assert set(values) == set(table), f"missing {set(values) - set(table)}, " \
                                      f"stale {set(table) - set(values)}"
