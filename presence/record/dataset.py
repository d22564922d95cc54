"""Load the curated dataset (data/*.csv) and hold it to the Table Schemas of
data/datapackage.json (read by presence.record.schema).

Every load validates: a published figure that points at a missing source, a
country code nobody knows, or a troop figure dated before its mission began
is a curation error, and the curator needs the file, line and field to fix it.

One module, though long: reading (size limits, pyarrow where it reads as pandas does)
and the per-value rules, keys and references all produce the same Problem list in one
order, which the tests compare whole.
"""
from __future__ import annotations

import csv
import functools
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from presence.record.schema import PACKAGE_FILE, SchemaError
from presence.record.schema import load_schema as _package_rules

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PACKAGE_ROOT / "data"

# ASCII digits only: `\d` would take Arabic-Indic or other digits, which int() reads.
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_INT = re.compile(r"-?[0-9]{1,15}")  # 15 digits: exact in a float, far above any count
_NUMBER = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")  # no exponent, inf or nan
# Every field is one line: C0 and C1 controls (newline, tab, NUL, ESC), line and
# paragraph separators. Hostile text in a CSV cell is kept out at the source.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The shipped tables are ~100 KB each and a million troop figures take ~56 MB (measured
# with bench/generate_record.py); a table past this size is damage, not data.
MAX_TABLE_BYTES = 150_000_000
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


@functools.lru_cache(maxsize=65536)  # a record repeats its dates; Timestamps are immutable
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
    """The column rules of data/datapackage.json (presence.record.schema), errors as Problems."""
    try:
        return _package_rules(directory)
    except SchemaError as exc:
        raise DatasetError([Problem(PACKAGE_FILE, None, None, str(exc))]) from exc


@dataclass
class _Column:
    """One column as its distinct values and, per row, which of them it holds.

    Rules are checked once per distinct value and the verdict is spread to every row
    holding it: a million troop figures hold a few thousand dates and four missions,
    so the per-value rules (the same `_check_value` for every table) run a few
    thousand times, not ten million.
    """

    codes: np.ndarray  # per row: index into `values`
    values: list[str]

    @classmethod
    def of(cls, series: pd.Series) -> _Column:
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
        return cls(np.asarray(codes), uniques.to_numpy(dtype=object).tolist())

    def rows_where(self, value_indices: list[int]) -> np.ndarray:
        """Row positions (ascending) holding any of these distinct values."""
        if not value_indices:
            return np.empty(0, dtype=np.int64)
        hit = np.zeros(len(self.values), dtype=bool)
        hit[value_indices] = True
        return np.flatnonzero(hit[self.codes])


def _stripped(series: pd.Series) -> tuple[pd.Series, _Column]:
    """The column with surrounding whitespace removed (str.strip, per distinct value)."""
    column = _Column.of(series)
    stripped = [v.strip() for v in column.values]
    if stripped == column.values:
        return series, column
    series = pd.Series(np.asarray(stripped, dtype=object)[column.codes], index=series.index,
                       dtype=series.dtype)
    return series, _Column.of(series)


# From this size a table is parsed by pyarrow's reader (about twice as fast as
# pandas' for a million figures); smaller ones by pandas' alone.
_ARROW_FROM_BYTES = 1_000_000


def _pandas_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False,
                       encoding="utf-8")


# A line of nothing but blanks: pandas skips it as empty, pyarrow reads a row.
_BLANK_LINE = re.compile(rb"\n[ \t\x0b\x0c]+\r?\n")


def _plain_for_arrow(data: bytes) -> bool:
    """No byte sequence on which the two readers are known to part ways: NUL, a
    carriage return outside CRLF (pandas reads a lone CR its own way), a blank-only
    line, a last line without its line end."""
    return (data.endswith(b"\n") and b"\x00" not in data
            and data.count(b"\r") == data.count(b"\r\n") and not _BLANK_LINE.search(data))


def _arrow_csv(data: bytes) -> pd.DataFrame | None:
    """The frame pandas' reader would give, or None where pyarrow's could disagree.

    pyarrow's reader is used only when it parses the whole file without complaint
    and the header has distinct, non-blank names; the bytes named in
    `_plain_for_arrow`, a ragged row, bad UTF-8 or a quote perhaps left open at the
    end leave it to pandas' reader, whose errors the
    curator is shown. tests/test_dataset.py holds the two readers to the same
    frames on generated damage.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ImportError:
        return None
    if not _plain_for_arrow(data):
        return None
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(column_names=None),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=_all_text(data), null_values=[], strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowException, ValueError, TypeError):
        return None
    names = table.column_names
    if len(set(names)) != len(names) or any(not name.strip() for name in names):
        return None
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    frame = table.to_pandas(types_mapper=lambda kind: text if kind == pa.string() else None)
    if any(dtype != text for dtype in frame.dtypes):
        return None
    if len(frame) and str(frame.iat[-1, -1]).endswith("\n"):
        return None  # perhaps a quote left open to the end, which pandas refuses
    return frame


def _all_text(data: bytes) -> dict:
    """Every column the header names, read as text (a column missed is caught after)."""
    import pyarrow as pa

    head = data[:65536].decode("utf-8", errors="replace").removeprefix("\ufeff")
    try:
        names = next(csv.reader(io.StringIO(head)), [])
    except csv.Error:
        names = []
    return {name: pa.string() for name in names}


def _parse_csv(data: bytes, arrow_from: int = _ARROW_FROM_BYTES) -> pd.DataFrame:
    """Every cell as text, exactly as pandas' C reader gives it."""
    if len(data) >= arrow_from:
        frame = _arrow_csv(data)
        if frame is not None:
            return frame
    return _pandas_csv(data)


def _read_csv(path: Path, columns: dict
              ) -> tuple[pd.DataFrame | None, dict[str, _Column], list[Problem]]:
    name = path.name
    if not path.exists():
        return None, {}, [Problem(name, None, None, "file is missing")]
    try:
        info = path.stat()
    except OSError as exc:
        return None, {}, [Problem(name, None, None, f"cannot be read: {exc.strerror or exc}")]
    if not stat.S_ISREG(info.st_mode):
        return None, {}, [Problem(name, None, None, "is not a regular file")]
    if info.st_size > MAX_TABLE_BYTES:
        return None, {}, [Problem(name, None, None, f"is too large ({info.st_size:,} bytes; "
                                  f"the limit is {MAX_TABLE_BYTES:,})")]
    if info.st_size == 0:
        return None, {}, [Problem(name, 1, None,
                                  "file is empty: it needs at least the header")]
    try:
        frame = _parse_csv(path.read_bytes())
    except pd.errors.EmptyDataError:
        return None, {}, [Problem(name, 1, None,
                                  "file is empty: it needs at least the header")]
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as exc:
        reason = " ".join(str(exc).split())[:300]
        return None, {}, [Problem(name, None, None, f"cannot be read as UTF-8 CSV: {reason}")]
    if frame.columns.duplicated().any():
        dup = sorted(set(frame.columns[frame.columns.duplicated()]))
        return None, {}, [Problem(name, 1, ", ".join(map(str, dup)),
                                  "header repeats column(s)")]
    problems = []
    # An optional column may be left out of a file's header altogether.
    missing = [c for c in columns if c not in frame.columns and not columns[c].get("optional")]
    extra = [c for c in frame.columns if c not in columns]
    if missing:
        problems.append(Problem(name, 1, ", ".join(missing), "header lacks column(s)"))
    if extra:
        problems.append(Problem(name, 1, ", ".join(extra), "header has unknown column(s)"))
    if problems:
        return None, {}, problems
    coded = {}
    for col in columns:
        if col not in frame.columns:
            frame[col] = ""
        frame[col], coded[col] = _stripped(frame[col])
    return frame[list(columns)], coded, []


def _check_value(value: str, spec: dict, known_countries: set[str],
                 today: pd.Timestamp | None = None) -> str | None:
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
        if today is None:
            today = pd.Timestamp.today().normalize()
        if span[0] > today and not spec.get("future"):
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


def _typed(frame: pd.DataFrame, columns: dict, coded: dict[str, _Column]) -> pd.DataFrame:
    """Typed columns; a value that breaks its type (already reported) becomes missing.

    Each distinct value is converted once and spread to its rows.
    """
    frame = frame.copy()
    for col, spec in columns.items():
        column = coded[col]
        if spec["type"] == "int":
            frame[col] = pd.array([_as_int(v) for v in column.values],
                                  dtype="Int64").take(column.codes)
        elif spec["type"] == "number":
            numbers = np.array([_as_number(v) for v in column.values], dtype="float64")
            frame[col] = numbers[column.codes]
        elif spec["type"] == "date":
            spans = [parse_partial_date(v) if v else None for v in column.values]
            for end, part in (("start", 0), ("end", 1)):
                stamps = pd.to_datetime(pd.Series([s[part] if s else pd.NaT for s in spans],
                                                  dtype=object))
                frame[f"{col}_{end}"] = stamps.take(column.codes).to_numpy()
        elif spec.get("optional"):
            frame[col] = frame[col].replace("", None)
    return frame


# Values certain to pass `_check_value` for a type, tested on all of a column's distinct
# values at once (pyarrow's RE2): plain ASCII identifiers, text without control
# characters, ASCII http(s) addresses. Anything else, and every column with a pattern,
# an enum, a date, a number or a country, goes through `_check_value` value by value.
_SURELY_VALID = {
    "text": r"^[^\x00-\x1f\x7f-\x9f\x{2028}\x{2029}]+$",
    "id": r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    "url": r"^https?://[!-~]+$",
}
# Below this many distinct values the rules run one by one (no gain in batching).
_BATCH_FROM = 1000


def _surely_valid(values: list[str], spec: dict) -> np.ndarray:
    """Which of `values` certainly meet `spec` (False: not known, check it)."""
    rule = _SURELY_VALID.get(spec["type"])
    unknown = np.zeros(len(values), dtype=bool)
    if rule is None or "pattern" in spec or len(values) < _BATCH_FROM:
        return unknown
    try:  # pyarrow comes with pandas' string columns and Streamlit; without it, check all
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return unknown
    matched = pc.match_substring_regex(pa.array(values, type=pa.string()), rule)
    return matched.to_numpy(zero_copy_only=False)


def _cell_problems(name: str, frame: pd.DataFrame, columns: dict, coded: dict[str, _Column],
                   countries: set[str], today: pd.Timestamp) -> list[Problem]:
    """Every cell against its column's rule, in reading order (row by row)."""
    found: list[tuple[int, int, Problem]] = []
    for position, col in enumerate(frame.columns):
        column = coded[col]
        surely = _surely_valid(column.values, columns[col])
        why = {i: reason for i, value in enumerate(column.values)
               if not surely[i] and (reason := _check_value(value, columns[col], countries,
                                                             today))}
        for row in column.rows_where(list(why)):
            found.append((int(row), position,
                          Problem(name, int(row) + 2, col, why[column.codes[row]])))
    found.sort(key=lambda item: item[:2])
    return [problem for _, _, problem in found]


def _row_codes(columns: list[_Column]) -> np.ndarray:
    """One integer per row, equal for two rows exactly when all their values are."""
    combined = np.zeros(len(columns[0].codes), dtype=np.int64)
    distinct = 1
    for column in columns:
        width = max(len(column.values), 1)
        if distinct * width >= 2**62:  # renumber before the product could overflow
            codes, uniques = pd.factorize(combined)
            combined, distinct = codes.astype(np.int64), len(uniques)
        combined = combined * width + column.codes
        distinct *= width
    return combined


def _duplicate_problems(name: str, frame: pd.DataFrame, key: list[str] | None,
                        coded: dict[str, _Column]) -> list[Problem]:
    """Rows repeating an earlier row's key (or, for a table without a key, the whole row)."""
    if frame.empty:
        return []
    rows = _row_codes([coded[col] for col in key or list(frame.columns)])
    dup = np.flatnonzero(pd.Series(rows).duplicated(keep="first").to_numpy())
    out = []
    for i in dup:
        what = "key " + "/".join(frame[col].iat[i] for col in key) if key else "row"
        out.append(Problem(name, int(i) + 2, None, f"duplicate {what}"))
    return out


def load_dataset(directory: Path | str | None = None) -> Dataset:
    """Read and validate every table; raise DatasetError listing all problems."""
    directory = Path(directory) if directory else data_dir()
    schema = load_schema(directory)
    raw: dict[str, pd.DataFrame] = {}
    coded: dict[str, dict[str, _Column]] = {}
    problems: list[Problem] = []
    for table, spec in schema["tables"].items():
        frame, columns, found = _read_csv(directory / f"{table}.csv", spec["columns"])
        problems += found
        if frame is not None:
            raw[table], coded[table] = frame, columns

    countries = set(raw["countries"]["code"]) if "countries" in raw else set()
    today = pd.Timestamp.today().normalize()
    for table, frame in raw.items():
        name = f"{table}.csv"
        problems += _cell_problems(name, frame, schema["tables"][table]["columns"],
                                   coded[table], countries, today)
        problems += _duplicate_problems(name, frame, schema["tables"][table].get("key"),
                                        coded[table])

    # References between tables.
    for table in raw:
        for col, spec in schema["tables"][table]["columns"].items():
            if "ref" not in spec:
                continue
            ref_table, ref_col = spec["ref"].split(".")
            if ref_table not in raw:
                continue
            known = set(coded[ref_table][ref_col].values)
            column = coded[table][col]
            unknown = [i for i, value in enumerate(column.values)
                       if value and value not in known]
            for row in column.rows_where(unknown):
                problems.append(Problem(f"{table}.csv", int(row) + 2, col,
                                        f"'{column.values[column.codes[row]]}' is not in "
                                        f"{ref_table}.csv"))
    # A dated kind of document (an article, a report) must say when it appeared.
    for table, frame in raw.items():
        for col, spec in schema["tables"][table]["columns"].items():
            if "required_unless_kind" not in spec:
                continue
            undated = (frame[col] == "") & ~frame["kind"].isin(spec["required_unless_kind"])
            for row in np.flatnonzero(undated.to_numpy()):
                problems.append(Problem(f"{table}.csv", int(row) + 2, col,
                                        f"is empty, but a {frame['kind'].iat[row]} "
                                        "must be dated"))
    typed = {t: _typed(f, schema["tables"][t]["columns"], coded[t]) for t, f in raw.items()}
    problems += _check_lifetimes(typed)
    if problems:
        raise DatasetError(problems)
    return Dataset(tables=typed, directory=directory)


def _outside_life(rows: pd.DataFrame, life: pd.DataFrame, date: str
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Which rows' `date` period misses their mission's life entirely, and each row's
    position in `life` (-1 for an unknown mission).

    Rows of an unknown mission, an invalid date or a mission without a valid start
    are left out (each is reported on its own line).
    """
    if life.empty:
        return np.zeros(len(rows), dtype=bool), np.full(len(rows), -1)
    codes, missions = pd.factorize(rows["mission_id"])  # NA: -1, then unknown below
    where = np.where(codes >= 0, life.index.get_indexer(missions)[codes], -1)
    known = where >= 0
    started = life["started_start"].to_numpy()[where]
    ended = life["ended_end"].to_numpy()[where]
    start, end = rows[f"{date}_start"].to_numpy(), rows[f"{date}_end"].to_numpy()
    outside = (end < started) | (~np.isnat(ended) & (start > ended))
    checked = known & ~np.isnat(start) & ~np.isnat(started)
    return checked & outside, where


def _check_lifetimes(t: dict[str, pd.DataFrame]) -> list[Problem]:
    """A troop figure, and an event other than a mandate, fall (at least partly) inside
    their mission's life."""
    if "missions" not in t or "troops" not in t:
        return []
    life = t["missions"].drop_duplicates("mission_id").set_index("mission_id")
    if life.empty:  # every mission_id is then reported as unknown
        return []
    troops = t["troops"]
    outside, where = _outside_life(troops, life, "as_of")
    known = (where >= 0) & troops["as_of_start"].notna().to_numpy()
    host_codes, hosts = pd.factorize(troops["host_country"])
    # Per row: the mission's host as a position among the rows' hosts (-2: none of them).
    mission_host = pd.Index(hosts).get_indexer(life["host_country"])
    mission_host = np.where(mission_host >= 0, mission_host, -2)[where]
    given = host_codes >= 0
    given[given] = np.asarray(hosts)[host_codes[given]] != ""
    wrong_host = known & given & (host_codes != mission_host)
    found: list[tuple[int, int, Problem]] = []
    for i in np.flatnonzero(outside):
        row, mission = troops.iloc[i], life.iloc[where[i]]
        found.append((i, 0, Problem("troops.csv", int(i) + 2, "as_of",
                                    f"{row['as_of']} is outside {row['mission_id']}'s life "
                                    f"({mission['started']} to {mission['ended'] or 'now'})")))
    for i in np.flatnonzero(wrong_host):
        row, mission = troops.iloc[i], life.iloc[where[i]]
        found.append((i, 1, Problem("troops.csv", int(i) + 2, "host_country",
                                    f"'{row['host_country']}' is not {row['mission_id']}'s "
                                    f"host ({mission['host_country']})")))
    found.sort(key=lambda item: item[:2])
    out = [problem for _, _, problem in found]
    # An event tied to a mission happens while it runs; a mandate may come before it.
    events = t.get("events")
    if events is None or "mission_id" not in events:
        return out
    outside, where = _outside_life(events, life, "date")
    outside &= (events["kind"] != "mandate").to_numpy()
    for i in np.flatnonzero(outside):
        row, mission = events.iloc[i], life.iloc[where[i]]
        out.append(Problem("events.csv", int(i) + 2, "date",
                           f"{row['date']} is outside {row['mission_id']}'s life "
                           f"({mission['started']} to {mission['ended'] or 'now'}); "
                           "only a mandate may come before"))
    return out
