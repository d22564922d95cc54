"""Review: accept, reject or corroborate candidate figures, writing data/ safely.

Accepting writes the figure (and its article as a source) into data/*.csv
under an exclusive lock, through temporary files renamed into place, and only
after the whole dataset, changed, still validates. Every action is appended to
data/audit.jsonl: who, when, what, and the row before and after. Sentences
from articles stay in the store; data/ gets the figure and the citation.

One module, though long: it is the one writer of data/, and the lock, the decision
journal, the validation before the rename and the repair after a kill must be read
together to see that a decision is all or nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import json
import math
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from presence.desk.store import Store
from presence.record import schema
from presence.record.dataset import (
    DatasetError,
    data_dir,
    load_dataset,
    parse_partial_date,
)

TABLE_FOR = {"troop_strength": "troops", "troop_contribution": "troops",
             "defence_budget": "budgets", "event": "events"}
EDITABLE = {"mission", "contributor", "host_country", "as_of", "value", "unit", "qualifier",
            "measure", "title", "event_kind", "url", "note"}
EVENT_KINDS = schema.EVENT_KINDS  # re-exported for the Curate page


# data/.decision.json: the accept in progress, written before and removed after it.
JOURNAL = ".decision.json"


def _auditable(candidate: dict) -> dict:
    return {k: v for k, v in candidate.items() if k != "quote"}


class ReviewError(ValueError):
    """A review action that cannot be carried out, with the reason."""


@dataclass
class Outcome:
    action: str
    candidate_id: str
    table: str | None = None
    row: dict | None = None
    source_id: str | None = None


class DataBusy(ReviewError):
    """Another curator held the data folder for longer than we were willing to wait."""


# How long a review action queues behind other curators' writes to one data folder. An
# accept holds the lock for about a second; two minutes covers a queue of many curators
# and still ends a wait on a process that hangs.
LOCK_WAIT_SECONDS = float(os.environ.get("PRESENCE_DATA_WAIT", "120"))
_LOCK_POLL_SECONDS = 0.1


def _lock_holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (held by process {pid})" if pid.isdigit() else ""


@contextmanager
def locked(directory: Path, wait: float | None = None,
           on_wait: Callable[[str], None] | None = None):
    """One writer at a time on a data directory (an advisory lock on data/.lock).

    Waits up to `wait` seconds (LOCK_WAIT_SECONDS by default), telling `on_wait` once
    that it is waiting, then raises DataBusy naming the process that holds the lock.
    """
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DataBusy(f"the data folder {directory} is busy{_lock_holder(path)}: "
                                   f"another curator is writing to it; waited {wait:.0f} s, "
                                   "try again") from None
                if on_wait and not told:
                    on_wait(f"the data folder {directory} is busy{_lock_holder(path)}; "
                            f"waiting up to {wait:.0f} s for it")
                    told = True
                time.sleep(_LOCK_POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _csv_text(fields: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")[:30] or "source"


def source_row(candidate: dict, url: str | None) -> dict:
    """The article as a source row of data/sources.csv."""
    published = candidate.get("published")
    day = published.date().isoformat() if hasattr(published, "date") else str(published or "")[:10]
    url = url or candidate.get("url")
    if not url or not re.match(r"^https?://", url):
        raise ReviewError(f"candidate {candidate['id']}: its article has no web address; "
                          "give one with --set url=https://...")
    return {"source_id": f"{_slug(candidate.get('outlet'))}-{day}-{candidate['article_id'][:6]}",
            "kind": "article", "url": url, "title": candidate.get("title") or "",
            "outlet": candidate.get("outlet") or "", "published": day,
            "language": (candidate.get("language") or "en")[:2], "note": ""}


def figure_row(c: dict, source_id: str) -> tuple[str, dict]:
    """The data/ row a candidate becomes, after the curator's corrections."""
    table = TABLE_FOR[c["kind"]]
    note = (c.get("note") or "").strip()
    if table == "troops":
        if not c.get("mission"):
            raise ReviewError(f"candidate {c['id']}: no mission; set mission=KFOR|EUFOR-ALTHEA|…")
        if c.get("value") is None:
            raise ReviewError(f"candidate {c['id']}: no value; set value=N")
        value = float(c["value"])
        if not math.isfinite(value) or value != int(value) or value < 1:
            raise ReviewError(f"candidate {c['id']}: value {c['value']} is not a troop count")
        return table, {"mission_id": c["mission"], "contributor": c.get("contributor") or "ALL",
                       "host_country": c.get("host_country") or "", "as_of": c.get("as_of") or "",
                       "value": str(int(value)), "qualifier": c.get("qualifier") or "exact",
                       "source_id": source_id, "note": note, "candidate_id": c["id"]}
    if table == "budgets":
        if c.get("value") is None or not math.isfinite(float(c["value"])):
            raise ReviewError(f"candidate {c['id']}: no usable amount; set value=N")
        amount = float(c["value"])
        return table, {"country": c.get("contributor") or "", "year": str(c.get("as_of"))[:4],
                       "amount": f"{amount:.2f}".rstrip("0").rstrip("."),
                       "currency": c.get("unit") or "",
                       "measure": c.get("measure") or "ministry_budget",
                       "qualifier": c.get("qualifier") or "exact", "source_id": source_id,
                       "note": note, "candidate_id": c["id"]}
    kind = c.get("event_kind")
    title = (c.get("title_override") or "").strip()
    if kind not in EVENT_KINDS:
        raise ReviewError(f"candidate {c['id']}: an event needs event_kind= one of "
                          f"{', '.join(EVENT_KINDS)}")
    if not title:
        raise ReviewError(f"candidate {c['id']}: an event needs a short title in your own "
                          "words (set title=...)")
    return table, {"date": c.get("as_of") or "", "mission_id": c.get("mission") or "",
                   "country": c.get("host_country") or "", "kind": kind, "title": title,
                   "source_id": source_id, "note": note, "candidate_id": c["id"]}


# A --set value in the schema's own form: ASCII digits, '.' as the decimal point; no
# exponent, inf or nan (float() takes all of those, and Arabic-Indic digits too).
_DECIMAL = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?")
_LINE_BREAK_OR_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _coerce(field: str, value: str):
    """A curator's `--set` value, checked before anything is written.

    Only the note may be emptied: an empty contributor would silently turn a
    national contingent into the mission total. Everything the schema knows
    is checked again when the changed dataset is validated.
    """
    if _LINE_BREAK_OR_CONTROL.search(value):
        raise ReviewError(f"{field}={value[:40]!r} contains a line break or control "
                          "character; every field is one line")
    value = value.strip()
    if value == "":
        if field == "note":
            return None
        hint = " (use contributor=ALL for the mission total)" if field == "contributor" else ""
        raise ReviewError(f"{field}= is empty; give a value{hint}")
    if field == "value":
        if not _DECIMAL.fullmatch(value):
            raise ReviewError(f"value={value[:40]!r} is not a number: digits 0-9 and '.', "
                              "e.g. value=4600 or value=123.5 (no inf, nan or exponent)")
        return float(value)
    if field == "url" and not re.fullmatch(r"https?://[^\s/]+\S*", value, re.IGNORECASE):
        raise ReviewError(f"url={value[:60]!r} is not an http(s) address")
    if field == "as_of" and (not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value)
                             or parse_partial_date(value) is None):
        raise ReviewError(f"as_of={value[:40]!r} is not a date: YYYY, YYYY-MM or YYYY-MM-DD")
    return value


class Reviewer:
    """Review actions against one store and one data directory."""

    def __init__(self, store: Store, directory: Path | None = None, who: str | None = None,
                 *, wait: float | None = None, on_wait: Callable[[str], None] | None = None):
        self.store = store
        self.directory = Path(directory) if directory else data_dir()
        self.who = who or os.environ.get("USER") or "unknown"
        self.wait, self.on_wait = wait, on_wait  # for the data folder's lock
        self.recovered: list[str] = []  # what recover() repaired, for the caller to report

    def candidate(self, cid: str) -> dict:
        rows = [r for r in self.store.candidates(status=None) if r["id"] == cid]
        if not rows:
            raise ReviewError(f"no candidate with id {cid}")
        return rows[0]

    def _locked(self):
        return locked(self.directory, self.wait, self.on_wait)

    def _pending(self, cid: str) -> dict:
        """The candidate, after finishing any decision a stopped process left half done."""
        finished = self.recover()
        c = self.candidate(cid)
        if c["status"] != "pending":
            how = (" (by a run that was stopped half way, now finished)"
                   if any(cid in note and note.startswith("finished") for note in finished)
                   else "")
            raise ReviewError(f"candidate {cid} was already {c['status']}{how}")
        return c

    def accept(self, cid: str, changes: dict[str, str] | None = None,
               corroborates: str | None = None) -> Outcome:
        corrected = {}
        for field, value in (changes or {}).items():
            if field not in EDITABLE:
                raise ReviewError(f"cannot set {field!r}; editable: {', '.join(sorted(EDITABLE))}")
            key = "title_override" if field == "title" else field
            corrected[key] = _coerce(field, value)
        with self._locked():
            c = self._pending(cid)
            before = dict(c)
            c.update(corrected)
            src = source_row(c, (changes or {}).get("url"))
            table, row = figure_row(c, src["source_id"])
            if corroborates:
                row["note"] = f"Corroborates {corroborates}. " + row["note"]
            status = "corroborated" if corroborates else "accepted"
            after = {"table": table, "row": row, "source": src}
            _, sources = _read(self.directory / "sources.csv")
            new_source = not any(r["source_id"] == src["source_id"] for r in sources)
            # The journal makes the three writes (data/, the store, the audit log) one
            # decision: a process killed between them is finished or undone by the next.
            self._journal({"status": status, "candidate": cid, "before": _auditable(before),
                           "after": after, "new_source": new_source})
            try:
                self._write({"sources": src, table: row})
            except ReviewError:  # refused by validation before anything was renamed
                (self.directory / JOURNAL).unlink()
                raise
            self.store.set_status(cid, status)
            self._audit(status, cid, before, after)
            (self.directory / JOURNAL).unlink()
        return Outcome(status, cid, table, row, src["source_id"])

    def reject(self, cid: str, reason: str) -> Outcome:
        if not reason or not reason.strip():
            raise ReviewError("a rejection needs a reason")
        with self._locked():
            c = self._pending(cid)
            after = {"reason": reason.strip()}
            # A rejection writes two places (the store, then the audit log): journalled too,
            # so a kill between them leaves no rejected candidate without its audit line.
            self._journal({"status": "rejected", "candidate": cid, "before": _auditable(c),
                           "after": after})
            self.store.set_status(cid, "rejected", reason.strip())
            self._audit("rejected", cid, c, after)
            (self.directory / JOURNAL).unlink()
        return Outcome("rejected", cid)

    def _journal(self, entry: dict) -> None:
        _write_atomic(self.directory / JOURNAL,
                      json.dumps(entry, ensure_ascii=False, default=str))

    def recover(self) -> list[str]:
        """Finish or undo a decision a killed process left half done; remove its temp files.

        Called under the data lock. For an accept the figure in data/ decides:
        if it was written, the candidate is marked and the audit line added; if
        not, nothing of the decision remains (a source row it added is taken
        out again) and the candidate stays pending. For a rejection the store
        decides the same way.
        """
        notes: list[str] = []
        for leftover in self.directory.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)
            notes.append(f"removed the temporary file {leftover.name}")
        audit = self.directory / "audit.jsonl"
        if audit.exists():
            text = audit.read_bytes()
            if text and not text.endswith(b"\n"):  # a line cut short by a kill
                with open(audit, "r+b") as fh:
                    fh.truncate(text.rfind(b"\n") + 1)
                notes.append("removed a half-written audit line")
        journal = self.directory / JOURNAL
        if not journal.exists():
            self.recovered += notes
            return notes
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            cid, status, after = entry["candidate"], entry["status"], entry["after"]
        except (ValueError, KeyError, TypeError):
            journal.unlink()  # cut short before the decision began: nothing was written
            self.recovered += notes + ["removed an unreadable decision journal"]
            return notes
        current = [r for r in self.store.candidates(status=None) if r["id"] == cid]
        state = current[0]["status"] if current else None
        if status == "rejected":
            landed = state == "rejected"
        else:
            fields, rows = _read(self.directory / f"{after['table']}.csv")
            wanted = {k: str(after["row"].get(k, "")) for k in fields}
            landed = any(r == wanted for r in rows)
        verb = "rejecting" if status == "rejected" else "accepting"
        if landed:
            if state == "pending":
                self.store.set_status(cid, status)
            if not self._logged(cid, status):
                self._audit(status, cid, entry.get("before") or {}, after)
            notes.append(f"finished {verb} {cid}, which a stopped process left half done")
        else:
            if status != "rejected" and entry.get("new_source"):
                self._remove_uncited_source(after["source"]["source_id"])
            notes.append(f"undid the {verb[:-3]} of {cid} that a stopped process began; "
                         "it is pending again")
        journal.unlink()
        self.recovered += notes
        return notes

    def _logged(self, cid: str, action: str) -> bool:
        audit = self.directory / "audit.jsonl"
        if not audit.exists():
            return False
        for line in audit.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                if entry.get("candidate") == cid and entry.get("action") == action:
                    return True
        return False

    def _remove_uncited_source(self, source_id: str) -> None:
        """Take out a source row an undone accept added, unless some row cites it."""
        fields, rows = _read(self.directory / "sources.csv")
        kept = [r for r in rows if r["source_id"] != source_id]
        if len(kept) == len(rows):
            return
        for table in self.directory.glob("*.csv"):
            if table.name != "sources.csv":
                table_fields, table_rows = _read(table)
                if "source_id" in table_fields and any(r["source_id"] == source_id
                                                       for r in table_rows):
                    return
        _write_atomic(self.directory / "sources.csv", _csv_text(fields, kept))

    def _write(self, additions: dict[str, dict]) -> None:
        """Add rows; validate the changed dataset in a scratch copy; then rename into place.

        Sources go first: if the process dies between two renames, what is
        left is an unused source, which still validates, never a figure
        citing a source that is not there.
        """
        texts = {}
        for table, row in additions.items():
            fields, rows = _read(self.directory / f"{table}.csv")
            if table == "sources" and any(r["source_id"] == row["source_id"] for r in rows):
                continue
            texts[table] = _csv_text(fields, rows + [{k: row.get(k, "") for k in fields}])
        with tempfile.TemporaryDirectory() as scratch:
            scratch = Path(scratch)
            for f in self.directory.glob("*.csv"):
                shutil.copy(f, scratch / f.name)
            package = self.directory / "datapackage.json"
            if package.exists():
                shutil.copy(package, scratch / package.name)
            for table, text in texts.items():
                (scratch / f"{table}.csv").write_text(text, encoding="utf-8")
            try:
                load_dataset(scratch)
            except DatasetError as exc:
                raise ReviewError(f"the figure would make the dataset invalid:\n{exc}") from exc
        for table in sorted(texts, key=lambda t: t != "sources"):
            _write_atomic(self.directory / f"{table}.csv", texts[table])

    def _audit(self, action: str, cid: str, before: dict, after: dict) -> None:
        entry = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                 "who": self.who, "action": action, "candidate": cid,
                 "before": _auditable(before), "after": after}
        with open(self.directory / "audit.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            fh.flush()
            os.fsync(fh.fileno())


def _closest(candidate: dict, ds) -> tuple[str, dict | None]:
    """('new' | 'agrees' | 'differs by N%' | 'already recorded', the nearest existing row)."""
    if candidate["kind"] in ("troop_strength", "troop_contribution"):
        t = ds.troops
        contributor = candidate.get("contributor") or "ALL"
        same = t[(t.mission_id == candidate.get("mission")) & (t.contributor == contributor)
                 & (t.as_of.str[:7] == str(candidate.get("as_of") or "")[:7])]
        column = "value"
    elif candidate["kind"] == "defence_budget":
        b = ds.budgets
        same = b[(b.country == candidate.get("contributor")) & (b.currency == candidate.get("unit"))
                 & (b.year.astype(str) == str(candidate.get("as_of")))]
        column = "amount"
    else:
        e = ds.events
        same = e[(e.date == candidate.get("as_of")) & (e.country == candidate.get("host_country"))]
        return ("already recorded", same.iloc[0].to_dict()) if len(same) else ("new", None)
    if same.empty:
        return "new", None
    value = float(candidate.get("value") or 0)
    row = same.loc[(same[column].astype(float) - value).abs().idxmin()]
    closest = float(row[column])
    if closest == value:
        return "agrees", row.to_dict()
    return f"differs by {(value - closest) / closest * 100:+.0f}%", row.to_dict()


def compare(candidate: dict, ds) -> str:
    """What the dataset already holds for this figure: agrees, differs by N%, or new."""
    return _closest(candidate, ds)[0]


def existing_figure(candidate: dict, ds) -> str | None:
    """The dataset row a candidate would corroborate, described for the audit note."""
    status, row = _closest(candidate, ds)
    if row is None:
        return None
    keys = [k for k in ("mission_id", "contributor", "country", "as_of", "year", "date", "value",
                        "amount", "currency", "source_id") if k in row and pd.notna(row[k])]
    return f"{status}: " + ", ".join(f"{k}={row[k]}" for k in keys)


# -- the review queue, as the Curate page shows it -------------------------------------
CORRECTABLE_COLUMNS = ("mission", "contributor", "host_country", "as_of", "value", "qualifier")


def pending_queue(store: Store, ds) -> pd.DataFrame:
    """Pending candidates, newest article first, each with what the dataset says of it."""
    queue = pd.DataFrame(store.candidates("pending"))
    if not queue.empty:
        queue["dataset"] = [compare(r, ds) for r in queue.to_dict("records")]
    return queue


def filter_queue(queue: pd.DataFrame, *, kinds=(), missions=(), languages=(),
                 min_confidence: float = 0.0) -> pd.DataFrame:
    view = queue[queue.confidence >= min_confidence]
    if kinds:
        view = view[view.kind.isin(kinds)]
    if missions:
        view = view[view.mission.isin(missions)]
    if languages:
        view = view[view.language.isin(languages)]
    return view


def corrections(row: dict, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The fields of an (edited) queue row, as `--set` style corrections."""
    out = {f: str(row[f]) for f in CORRECTABLE_COLUMNS if f in row and pd.notna(row[f])}
    return {**out, **(extra or {})}


def review_rows(reviewer: Reviewer, rows: list[dict], action: str, ds, *,
                extra_for=lambda row: {}, reason: str = "") -> tuple[list[str], list[str]]:
    """Accept, corroborate or reject several rows; one failure does not stop the rest."""
    done, failed = [], []
    for row in rows:
        try:
            if action == "reject":
                reviewer.reject(row["id"], reason)
            else:
                backing = existing_figure(row, ds) if action == "corroborate" else None
                if action == "corroborate" and backing is None:
                    raise ReviewError(f"{row['id']}: nothing in the dataset to corroborate; "
                                      "accept it instead")
                reviewer.accept(row["id"], corrections(row, extra_for(row)),
                                corroborates=backing)
            done.append(row["id"])
        except ReviewError as exc:
            failed.append(f"{row['id']}: {exc}")
    return done, failed
