"""The whole dataset as one zip (presence/view/bundle.py), offered on the Sources page:
it opens, holds every table the package lists exactly as on disk, validates as a
Frictionless Data Package once extracted, and the same data gives the same bytes."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from presence.record.dataset import DEFAULT_DATA_DIR, load_dataset
from presence.view import bundle, query

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped(ds):
    return zipfile.ZipFile(io.BytesIO(bundle.dataset_zip(ds)))


def test_the_zip_holds_every_table_as_it_is_on_disk(ds, shipped):
    top = bundle.folder(ds)
    names = shipped.namelist()
    assert all(name.startswith(top + "/") for name in names)
    package = json.loads(shipped.read(f"{top}/datapackage.json"))
    assert package == json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text("utf-8"))
    for resource in package["resources"]:
        assert f"{top}/{resource['path']}" in names, resource["path"]
    for csv in DEFAULT_DATA_DIR.glob("*.csv"):
        assert shipped.read(f"{top}/{csv.name}") == csv.read_bytes(), csv.name
    assert shipped.read(f"{top}/COVERAGE.md") == (DEFAULT_DATA_DIR / "COVERAGE.md").read_bytes()
    assert shipped.testzip() is None  # every entry's CRC checks


def test_the_readme_says_what_the_files_are_their_terms_and_how_to_cite(ds, shipped):
    top = bundle.folder(ds)
    text = shipped.read(f"{top}/README.txt").decode("utf-8")
    content = bundle.files(ds)
    tag = bundle.version(content)
    assert f"Data version: {tag}" in text
    assert f"Data as of:   {query.latest_date(ds).label}" in text
    for name in [*content, "README.txt"]:
        assert f"- {name}" in text, name
    assert f"troops.csv ({bundle.rows(content['troops.csv']):,} rows)" in text
    assert "Creative Commons Attribution 4.0" in text and "CC-BY-4.0" in text
    assert "The sources keep their own terms" in text
    cite = text.split("How to cite\n-----------\n")[1]
    assert tag in cite and query.latest_date(ds).label in cite
    assert "frictionless validate datapackage.json" in text


def test_the_same_data_gives_the_same_zip_and_a_change_a_new_version(data_copy):
    ds = load_dataset(data_copy)
    first, tag = bundle.dataset_zip(ds), bundle.version(bundle.files(ds))
    assert bundle.dataset_zip(load_dataset(data_copy)) == first
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    day = query.latest_date(ds).day
    assert stamps == {(day.year, day.month, day.day, 0, 0, 0)}  # the data's date, not the clock
    troops = data_copy / "troops.csv"
    lines = troops.read_text(encoding="utf-8").splitlines(keepends=True)
    troops.write_text(lines[0] + "".join(lines[2:]), encoding="utf-8")  # one figure fewer
    changed = load_dataset(data_copy)
    assert bundle.dataset_zip(changed) != first
    assert bundle.version(bundle.files(changed)) != tag


def test_a_record_without_its_coverage_report_gets_one_computed(data_copy):
    from presence.record.coverage import report

    (data_copy / "COVERAGE.md").unlink()
    ds = load_dataset(data_copy)
    archive = zipfile.ZipFile(io.BytesIO(bundle.dataset_zip(ds)))
    assert archive.read(f"{bundle.folder(ds)}/COVERAGE.md").decode("utf-8") == report(ds)


def test_the_extracted_package_validates_with_frictionless(ds, shipped, tmp_path):
    frictionless = pytest.importorskip("frictionless", reason="frictionless is a test "
                                       "dependency (pip install -e '.[test]')")
    shipped.extractall(tmp_path)
    package = tmp_path / bundle.folder(ds) / "datapackage.json"
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert {task.name for task in report.tasks} == \
        {r["name"] for r in json.loads(package.read_text("utf-8"))["resources"]}
    extracted = load_dataset(package.parent)  # our validator reads it too
    readme = (package.parent / "README.txt").read_text("utf-8")
    assert f"troops.csv ({len(extracted.troops):,} rows)" in readme


def test_the_sources_page_offers_the_zip(ds):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page(str(ROOT / "pages/sources.py")).run()
    assert not at.exception, [e.message for e in at.exception]
    button = at.get("download_button")
    zips = [b for b in button if "whole dataset" in b.proto.label]
    assert len(zips) == 1
    assert zips[0].proto.help.count("CC BY 4.0") == 1
