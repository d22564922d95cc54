"""The whole record as one zip: every table of data/, its description
(datapackage.json), the coverage report and a README saying what the files
are, under which terms and how to cite them.

The same data gives the same zip, byte for byte: entries in one order, one
fixed timestamp (the record's own data date, not the clock), fixed
permissions and compression. So a reader who downloads it twice, or a
mirror that checks it, sees one version, named by a hash of its contents.

The tables are copied as they are on disk (not re-written from the loaded
frames), so the zip holds exactly what the project publishes and validates.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import textwrap
import zipfile
from pathlib import Path

from presence.record import schema
from presence.record.dataset import Dataset
from presence.record.schema import PACKAGE_FILE
from presence.view import query

COVERAGE_FILE = "COVERAGE.md"
README_FILE = "README.txt"
# How many hex digits of the SHA-256 name a version: short enough to say, long enough
# that two versions of the record never share one.
VERSION_DIGITS = 12
# What one row is, for the README; a table the package adds later is described by its
# own `description` in datapackage.json, else by its name.
ROW_IS = {
    "countries": "a country code (ISO 3166-1 alpha-3; Kosovo is XKX) and its name",
    "sources": "a document a figure was read from: URL, title, outlet, date, language, "
               "kind, quality",
    "missions": "a mission: name, organisation, host country, start and end, predecessor",
    "troops": "one troop figure as one source reported it: mission, contributing nation "
              "(ALL for the whole mission), date, value, qualifier, source",
    "budgets": "one defence budget or expenditure figure: country, year, amount, currency, "
               "measure, source",
    "rates": "a yearly average exchange rate to the US dollar, with its source",
    "indicators": "a published yearly series that puts a budget in proportion (GDP share, "
                  "population), with its source",
    "sites": "a camp or headquarters: mission, place, coordinates, opened, closed, source",
    "events": "a dated happening on a mission's timeline (" + ", ".join(schema.EVENT_KINDS)
              + "), with its source",
}


def _package(directory: Path) -> dict:
    return json.loads((directory / PACKAGE_FILE).read_text(encoding="utf-8"))


def files(ds: Dataset) -> dict[str, bytes]:
    """The package's files as they are on disk: datapackage.json, then each table it lists
    (in its order), then the coverage report (computed when data/ has none)."""
    directory = Path(ds.directory)
    package = _package(directory)
    out = {PACKAGE_FILE: (directory / PACKAGE_FILE).read_bytes()}
    for resource in package["resources"]:
        out[resource["path"]] = (directory / resource["path"]).read_bytes()
    coverage = directory / COVERAGE_FILE
    if coverage.is_file():
        out[COVERAGE_FILE] = coverage.read_bytes()
    else:
        from presence.record.coverage import report

        out[COVERAGE_FILE] = report(ds).encode("utf-8")
    return out


def rows(table: bytes) -> int:
    """Rows of a CSV file as the zip holds it (not as a loaded dataset counted them: the
    README must describe the bytes beside it)."""
    return max(sum(1 for _ in csv.reader(io.StringIO(table.decode("utf-8")))) - 1, 0)


def version(tables: dict[str, bytes]) -> str:
    """A name for this version of the record: the start of the SHA-256 of the files
    (name and contents, in order), so the same files give the same version."""
    digest = hashlib.sha256()
    for name, data in tables.items():
        digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:VERSION_DIGITS]


def folder(ds: Dataset) -> str:
    """The zip's one top folder (and file name): the package's name and its data date."""
    name = _package(Path(ds.directory)).get("name", "dataset")
    return f"{name}-{query.latest_date(ds).day.isoformat()}"


def licence_line(package: dict) -> str:
    """The package's own licence, as datapackage.json states it."""
    licences = package.get("licenses") or []
    if not licences:
        return "no licence stated in datapackage.json"
    return "; ".join(f"{lic.get('title') or lic.get('name')} ({lic.get('name')}, "
                     f"{lic.get('path')})" for lic in licences)


def citation(package: dict, ds: Dataset, tag: str) -> str:
    """One line to cite the download by."""
    names = [lic.get("name", "") for lic in package.get("licenses") or []]
    return (f"{package.get('title', 'Dataset')}. Western Balkans security-presence dashboard, "
            f"data version {tag}, data as of {query.latest_date(ds).label}."
            + (f" {', '.join(names)}." if names else ""))


def _wrap(text: str, indent: str = "", hang: str = "") -> str:
    """A paragraph at 88 columns: `indent` on its first line, `hang` on the others."""
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=hang,
                         break_on_hyphens=False, break_long_words=False)


def _item(text: str) -> str:
    return _wrap(text, "- ", "  ")


def readme(ds: Dataset, content: dict[str, bytes]) -> str:
    """README.txt: what the files are, the terms, how to cite, the version and date."""
    package = _package(Path(ds.directory))
    tag = version(content)
    newest = query.latest_date(ds)
    descriptions = {r["path"]: (r["name"], r.get("description")) for r in package["resources"]}
    lines = [package.get("title", "Dataset"), "=" * len(package.get("title", "Dataset")), "",
             _wrap("The curated record behind the Western Balkans security-presence "
                   "dashboard: international missions in the region, their troop numbers "
                   "and contributing nations, camps, events, and the region's defence "
                   "budgets, every figure with its source."), "",
             f"Data version: {tag}",
             _wrap(f"(the first {VERSION_DIGITS} hex digits of the SHA-256 of the files listed "
                   "below except this README: the same files give the same version)",
                   "  ", "  "),
             f"Data as of:   {newest.label} (the newest dated troop figure or event)", "",
             "The files", "---------"]
    lines.append(_item(f"{PACKAGE_FILE}: the description of every table (columns, types, "
                       "allowed values, keys, references between tables, licence), as a "
                       "Frictionless Data Package. Check the tables against it with "
                       f"`frictionless validate {PACKAGE_FILE}`."))
    for path, (name, description) in descriptions.items():
        what = ROW_IS.get(name) or description or name
        lines.append(_item(f"{path} ({rows(content[path]):,} rows): one row is {what}."))
    lines.append(_item(f"{COVERAGE_FILE}: what the record covers, mission by mission and "
                       "country by country, and its gaps."))
    lines.append(_item(f"{README_FILE}: this file."))
    lines += ["", "How to read them", "----------------"]
    for point in (
            "A figure is what one source reported for one date. Two sources that disagree "
            "are two rows; nothing is averaged or smoothed here.",
            "Dates are as precise as their source: 1999 is the year (not 1 January), "
            "1999-06 the month, 1999-06-21 the day.",
            "Every row names its source (source_id); sources.csv gives its URL, title, "
            "outlet and date.",
            "The dashboard's best estimates (one value per mission or nation and period) "
            "are computed from these rows by the rule in the project's README; they are not "
            "stored here."):
        lines.append(_item(point))
    lines += ["", "Licence", "-------",
              _wrap(f"The curated figures and the tables' structure: {licence_line(package)}. "
                    "You may share and adapt them, also commercially, if you credit the "
                    "dataset (see below)."), "",
              _wrap("The sources keep their own terms. The articles, documents and datasets "
                    "listed in sources.csv belong to their publishers: this package records "
                    "facts from them (figures, dates, names) with a citation, not their text. "
                    "Reusing more of a source than the facts recorded here is subject to that "
                    "source's terms."), "",
              "How to cite", "-----------", _wrap(citation(package, ds, tag)), ""]
    return "\n".join(lines)


# The fields of every entry that would otherwise follow the machine that builds the zip:
# deflated, made on "Unix" (3) with rw-r--r-- permissions wherever it is built.
ENTRY_FIELDS = {"compress_type": zipfile.ZIP_DEFLATED, "create_system": 3,
                "external_attr": 0o644 << 16}


def _entry(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    for field, value in ENTRY_FIELDS.items():
        setattr(info, field, value)
    return info


def dataset_zip(ds: Dataset) -> bytes:
    """The zip: one folder holding datapackage.json, the tables, COVERAGE.md and
    README.txt. Deterministic: the same data gives the same bytes."""
    content = files(ds)
    top = folder(ds)
    day = query.latest_date(ds).day
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)  # zip dates start in 1980
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in [*content.items(), (README_FILE, readme(ds, content).encode("utf-8"))]:
            archive.writestr(_entry(f"{top}/{name}", stamp), data, compresslevel=9)
    return buf.getvalue()
