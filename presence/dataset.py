"""Load the curated dataset (data/*.csv) and hold it to data/schema.json.

Every load validates: a published figure that points at a missing source, a
country code nobody knows, or a troop figure dated before its mission began
is a curation error, and the curator needs the file, line and field to fix it.
"""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PACKAGE_ROOT / "data"
TABLES = ("countries", "sources", "missions", "troops", "budgets", "rates", "sites", "events")

# ASCII digits only: `\d` would take Arabic-Indic or other digits, which int() reads.
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_INT = re.compile(r"-?[0-9]{1,15}")  # 15 digits: exact in a float, far above any count
_NUMBER = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")  # no exponent, inf or nan
# Every field is one line: C0 and C1 controls (newline, tab, NUL, ESC), line and
# paragraph separators. Hostile text in a CSV cell is kept out at the source.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The shipped tables are ~100 KB each; a table this size is damage, not data.
MAX_TABLE_BYTES = 20_000_000
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def data_dir() -> Path:
    """PRESENCE_DATA points elsewhere (tests, a curator's working copy)."""
    return Path(os.environ.get("PRESENCE_DATA") or DEFAULT_DATA_DIR)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        where += f", field '{self.field}'" if self.field else ""
        return f"{where}: {self.message}"


class DatasetError(ValueError):
    """Raised with every problem found, so one run shows the curator all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the dataset:\n{shown}{more}")


def parse_partial_date(text: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """'2004', '2004-12' or '2004-12-02' -> (first day, last day) of that period."""
    m = _DATE.fullmatch(text)
    if not m:
        return None
    year, month, day = m.groups()
    try:
        if day:
            start = pd.Timestamp(int(year), int(month), int(day))
            return start, start
        if month:
            start = pd.Timestamp(int(year), int(month), 1)
            return start, start + pd.offsets.MonthEnd(0)
        start = pd.Timestamp(int(year), 1, 1)
        return start, pd.Timestamp(int(year), 12, 31)
    except ValueError:
        return None


@dataclass
class Dataset:
    """The tables as frames. Date columns gain `<col>_start` / `<col>_end` timestamps."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    directory: Path | None = None

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


def load_schema(directory: Path) -> dict:
    path = directory / "schema.json"
    if not path.exists():
        path = DEFAULT_DATA_DIR / "schema.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError([Problem("schema.json", None, None,
                                    f"cannot be read as JSON: {exc}")]) from exc


def _read_csv(path: Path, columns: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    name = path.name
    if not path.exists():
        return None, [Problem(name, None, None, "file is missing")]
    try:
        info = path.stat()
    except OSError as exc:
        return None, [Problem(name, None, None, f"cannot be read: {exc.strerror or exc}")]
    if not stat.S_ISREG(info.st_mode):
        return None, [Problem(name, None, None, "is not a regular file")]
    if info.st_size > MAX_TABLE_BYTES:
        return None, [Problem(name, None, None, f"is too large ({info.st_size:,} bytes; "
                              f"the limit is {MAX_TABLE_BYTES:,})")]
    if info.st_size == 0:
        return None, [Problem(name, 1, None, "file is empty: it needs at least the header")]
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                            encoding="utf-8")
    except pd.errors.EmptyDataError:
        return None, [Problem(name, 1, None, "file is empty: it needs at least the header")]
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as exc:
        reason = " ".join(str(exc).split())[:300]
        return None, [Problem(name, None, None, f"cannot be read as UTF-8 CSV: {reason}")]
    if frame.columns.duplicated().any():
        dup = sorted(set(frame.columns[frame.columns.duplicated()]))
        return None, [Problem(name, 1, ", ".join(map(str, dup)), "header repeats column(s)")]
    problems = []
    # An optional column may be left out of a file's header altogether.
    missing = [c for c in columns if c not in frame.columns and not columns[c].get("optional")]
    extra = [c for c in frame.columns if c not in columns]
    if missing:
        problems.append(Problem(name, 1, ", ".join(missing), "header lacks column(s)"))
    if extra:
        problems.append(Problem(name, 1, ", ".join(extra), "header has unknown column(s)"))
    if problems:
        return None, problems
    frame = frame.map(str.strip)
    for col in columns:
        if col not in frame.columns:
            frame[col] = ""
    return frame[list(columns)], []


def _check_value(value: str, spec: dict, known_countries: set[str]) -> str | None:
    """Return why `value` breaks `spec`, or None."""
    kind = spec["type"]
    if value == "":
        return None if spec.get("optional") else "is empty"
    if _CONTROL.search(value):
        found = _CONTROL.search(value).group()
        return f"contains a control character or line break (U+{ord(found):04X})"
    if "pattern" in spec and not re.match(spec["pattern"], value):
        return f"'{value}' does not match {spec['pattern']}"
    if kind == "id" and not _ID.match(value):
        return f"'{value}' is not a valid identifier"
    if kind == "enum" and value not in spec["values"]:
        return f"'{value}' is not one of {', '.join(spec['values'])}"
    if kind == "date":
        span = parse_partial_date(value)
        if span is None:
            return f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        if span[0] > pd.Timestamp.today().normalize() and not spec.get("future"):
            return f"{value} is in the future"
    if kind == "url" and not re.match(r"^https?://\S+$", value):
        return f"'{value}' is not an http(s) URL"
    if kind == "country" and value not in known_countries and value not in spec.get("also", []):
        return f"'{value}' is not a known country code (see countries.csv)"
    if kind in ("int", "number"):
        number = _as_int(value) if kind == "int" else _as_number(value)
        if number is None:
            return (f"'{value[:40]}' is not a {'whole ' if kind == 'int' else ''}number"
                    + (" (digits 0-9, at most 15)" if kind == "int" else
                       " (digits 0-9 and '.', no exponent, inf or nan)"))
        if "min" in spec and number < spec["min"]:
            return f"{value} is below the minimum {spec['min']}"
        if "max" in spec and number > spec["max"]:
            return f"{value} is above the maximum {spec['max']}"
    return None


def _as_int(value: str) -> int | None:
    return int(value) if _INT.fullmatch(value) else None


def _as_number(value: str) -> float | None:
    """A finite decimal in the schema's form; None for inf, nan, 1e309, '1,5' or '١٢'."""
    return float(value) if _NUMBER.fullmatch(value) else None


def _typed(frame: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """Typed columns; a value that breaks its type (already reported) becomes missing."""
    frame = frame.copy()
    for col, spec in columns.items():
        if spec["type"] == "int":
            frame[col] = pd.array(frame[col].map(_as_int).tolist(), dtype="Int64")
        elif spec["type"] == "number":
            frame[col] = pd.to_numeric(frame[col].map(_as_number), errors="coerce"
                                       ).astype("float64")
        elif spec["type"] == "date":
            spans = frame[col].map(lambda v: parse_partial_date(v) if v else None)
            frame[f"{col}_start"] = spans.map(lambda s: s[0] if s else pd.NaT)
            frame[f"{col}_end"] = spans.map(lambda s: s[1] if s else pd.NaT)
            frame[f"{col}_start"] = pd.to_datetime(frame[f"{col}_start"])
            frame[f"{col}_end"] = pd.to_datetime(frame[f"{col}_end"])
        elif spec.get("optional"):
            frame[col] = frame[col].replace("", None)
    return frame


def load_dataset(directory: Path | str | None = None) -> Dataset:
    """Read and validate every table; raise DatasetError listing all problems."""
    directory = Path(directory) if directory else data_dir()
    schema = load_schema(directory)
    raw: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table, spec in schema["tables"].items():
        frame, found = _read_csv(directory / f"{table}.csv", spec["columns"])
        problems += found
        if frame is not None:
            raw[table] = frame

    countries = set(raw["countries"]["code"]) if "countries" in raw else set()
    for table, frame in raw.items():
        columns = schema["tables"][table]["columns"]
        name = f"{table}.csv"
        for i, row in enumerate(frame.itertuples(index=False)):
            line = i + 2  # header is line 1
            for col, value in zip(frame.columns, row):
                why = _check_value(value, columns[col], countries)
                if why:
                    problems.append(Problem(name, line, col, why))
        key = schema["tables"][table].get("key") or list(frame.columns)
        dup = frame.duplicated(subset=key, keep="first")
        for i in frame.index[dup]:
            what = "key " + "/".join(frame.loc[i, key]) if schema["tables"][table].get("key") \
                else "row"
            problems.append(Problem(name, int(i) + 2, None, f"duplicate {what}"))

    # References between tables.
    for table, frame in raw.items():
        for col, spec in schema["tables"][table]["columns"].items():
            if "ref" not in spec:
                continue
            ref_table, ref_col = spec["ref"].split(".")
            if ref_table not in raw:
                continue
            known = set(raw[ref_table][ref_col])
            for i, value in frame[col].items():
                if value and value not in known:
                    problems.append(Problem(f"{table}.csv", int(i) + 2, col,
                                            f"'{value}' is not in {ref_table}.csv"))
    # A dated kind of document (an article, a report) must say when it appeared.
    for table, frame in raw.items():
        for col, spec in schema["tables"][table]["columns"].items():
            if "required_unless_kind" not in spec:
                continue
            for i, row in frame[frame[col] == ""].iterrows():
                if row["kind"] not in spec["required_unless_kind"]:
                    problems.append(Problem(f"{table}.csv", int(i) + 2, col,
                                            f"is empty, but a {row['kind']} must be dated"))
    typed = {t: _typed(f, schema["tables"][t]["columns"]) for t, f in raw.items()}
    problems += _check_lifetimes(typed)
    if problems:
        raise DatasetError(problems)
    return Dataset(tables=typed, directory=directory)


def _check_lifetimes(t: dict[str, pd.DataFrame]) -> list[Problem]:
    """A troop figure, and an event other than a mandate, fall (at least partly) inside
    their mission's life."""
    if "missions" not in t or "troops" not in t:
        return []
    life = t["missions"].drop_duplicates("mission_id").set_index("mission_id")
    out = []
    for i, row in t["troops"].iterrows():
        if row["mission_id"] not in life.index or pd.isna(row["as_of_start"]):
            continue
        m = life.loc[row["mission_id"]]
        ended = m["ended_end"] if pd.notna(m["ended_end"]) else pd.Timestamp.max
        # (a mission without a valid start is reported on its own line)
        if pd.notna(m["started_start"]) and (row["as_of_end"] < m["started_start"]
                                             or row["as_of_start"] > ended):
            out.append(Problem("troops.csv", int(i) + 2, "as_of",
                               f"{row['as_of']} is outside {row['mission_id']}'s life "
                               f"({m['started']} to {m['ended'] or 'now'})"))
        if row["host_country"] != m["host_country"] and row["host_country"]:
            out.append(Problem("troops.csv", int(i) + 2, "host_country",
                               f"'{row['host_country']}' is not {row['mission_id']}'s host "
                               f"({m['host_country']})"))
    # An event tied to a mission happens while it runs; a mandate may come before it.
    for i, row in t.get("events", pd.DataFrame()).iterrows():
        mission = row.get("mission_id")
        if not mission or mission not in life.index or row.get("kind") == "mandate" \
                or pd.isna(row["date_start"]):
            continue
        m = life.loc[mission]
        if pd.isna(m["started_start"]):
            continue
        ended = m["ended_end"] if pd.notna(m["ended_end"]) else pd.Timestamp.max
        if row["date_end"] < m["started_start"] or row["date_start"] > ended:
            out.append(Problem("events.csv", int(i) + 2, "date",
                               f"{row['date']} is outside {mission}'s life ({m['started']} to "
                               f"{m['ended'] or 'now'}); only a mandate may come before"))
    return out
