"""The record's one description, and the vocabularies read from it.

`data/datapackage.json` is a Frictionless Data Package: a Table Schema per CSV (types,
required columns, patterns, allowed values, ranges, primary and foreign keys), the
licence, the sources and the contributors, so open-data tools (`frictionless validate`,
Datasette, CKAN) read the record as it is. The rules a Table Schema cannot say (a date
within its mission's lifetime, a source's date required unless it is a living page, a
contributor that may also be 'ALL') stand beside each field under the key "presence".

`load_schema` turns that package into the column rules the project's own fast validator
(`presence.record.dataset`) applies, so the app, `presence validate` and `frictionless validate`
hold the data to the same description. The vocabularies below (event kinds, budget
measures, qualifiers, source qualities) come from it too, with the labels the pages and
charts show; tests/test_schema.py checks every label table covers every value.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

PACKAGE_FILE = "datapackage.json"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"

# Table Schema constraint -> the validator's own key
_CONSTRAINTS = {"pattern": "pattern", "enum": "values", "minimum": "min", "maximum": "max"}


class SchemaError(ValueError):
    """The package descriptor cannot be read or says something the validator cannot use."""


def package_path(directory: Path) -> Path:
    """The data package of a data folder; the shipped one when the folder has none."""
    path = Path(directory) / PACKAGE_FILE
    return path if path.exists() else DEFAULT_DATA_DIR / PACKAGE_FILE


def load_schema(directory: Path) -> dict:
    """{"tables": {name: {"key": [...], "columns": {column: rule}}}} for the validator.

    A rule holds "type" (id, text, date, int, number, country, enum, url), "optional",
    and where given "pattern", "values", "min", "max", "ref" (a foreign key as
    "table.column") and the project's own keys ("also", "within",
    "required_unless_kind", "definitions", "about")."""
    path = package_path(directory)
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
        return {"tables": {r["name"]: _table(r) for r in package["resources"]}}
    except (OSError, ValueError) as exc:
        raise SchemaError(f"{path.name}: cannot be read as JSON: {exc}") from exc
    except (KeyError, TypeError) as exc:
        raise SchemaError(f"{path.name}: not a data package the validator can read "
                          f"(missing or malformed {exc})") from exc


def _table(resource: dict) -> dict:
    schema = resource["schema"]
    refs = {}
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"]["resource"] or resource["name"]
        refs[fk["fields"]] = f"{target}.{fk['reference']['fields']}"
    columns = {}
    for field in schema["fields"]:
        own = dict(field["presence"])
        rule = {"type": own.pop("type")}
        constraints = field.get("constraints", {})
        if not constraints.get("required", False):
            rule["optional"] = True
        for key, ours in _CONSTRAINTS.items():
            if key in constraints and not (key == "pattern" and rule["type"] in _PATTERN_TYPES):
                rule[ours] = constraints[key]
        if field["name"] in refs and not (rule["type"] == "country"
                                           and refs[field["name"]] == "countries.code"):
            rule["ref"] = refs[field["name"]]  # a country's key is checked by its type
        if field.get("description"):
            rule["about"] = field["description"]
        rule.update(own)
        columns[field["name"]] = rule
    key = schema.get("primaryKey")
    return {"key": [key] if isinstance(key, str) else key, "columns": columns}


# Types whose pattern in the package only restates the type (the validator checks the
# type itself, with a clearer message); an explicit pattern on an id column is kept.
_PATTERN_TYPES = ("date", "country")


@lru_cache(maxsize=1)
def _shipped() -> dict:
    return load_schema(DEFAULT_DATA_DIR)


def values(table: str, column: str) -> tuple[str, ...]:
    """The allowed values of an enum column, in the package's order."""
    return tuple(_shipped()["tables"][table]["columns"][column]["values"])


EVENT_KINDS = values("events", "kind")
MEASURES = values("budgets", "measure")
QUALIFIERS = values("troops", "qualifier")
QUALITIES = values("sources", "quality")
MEASURE_DEFINITIONS: dict[str, str] = _shipped()["tables"]["budgets"]["columns"]["measure"][
    "definitions"]

# What a reader sees for each value (tests/test_schema.py: every value has one)
MEASURE_LABEL = {"ministry_budget": "Defence ministry budget",
                 "nato_expenditure": "Defence expenditure (NATO definition)",
                 "sipri_expenditure": "Military expenditure (SIPRI)",
                 "defence_allocation": "Total defence allocations (beyond the ministry's line)"}
# in a chart's legend and hover, beside the country's name
MEASURE_SHORT = {"ministry_budget": "ministry budget", "nato_expenditure": "NATO expenditure",
                 "sipri_expenditure": "SIPRI expenditure",
                 "defence_allocation": "total defence allocations"}
QUALIFIER_LABEL = {"exact": "as stated", "approx": "about", "upper": "up to",
                   "lower": "more than"}
QUALITY_LABEL = {"primary": "primary", "secondary": "secondary", "mirror": "copy (mirror)"}
EVENT_LABEL = {"deployment": "Deployment", "drawdown": "Drawdown",
               "reinforcement": "Reinforcement", "handover": "Handover",
               "mandate": "Mandate", "incident": "Incident", "visit": "Visit"}
