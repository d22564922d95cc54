"""The curator's desk: articles, candidate figures and HTTP cache, in one database.

Embedded by default: a DuckDB file under the user's data directory, created on
first use, or the path in PRESENCE_STORE. All SQL lives here, in plain SQL a
PostgreSQL server would also take, so a team that outgrows one machine changes
the connection, not the callers.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import duckdb
from platformdirs import user_data_dir

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS articles (
        id TEXT PRIMARY KEY,
        url TEXT,
        title TEXT NOT NULL,
        outlet TEXT,
        published TIMESTAMP,
        language TEXT,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        simhash BIGINT NOT NULL,
        duplicate_of TEXT,
        origin TEXT,
        ingested_at TIMESTAMP NOT NULL,
        extracted_at TIMESTAMP
    )""",
    "CREATE INDEX IF NOT EXISTS articles_hash ON articles (content_hash)",
    "CREATE INDEX IF NOT EXISTS articles_url ON articles (url)",
    """CREATE TABLE IF NOT EXISTS candidates (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        mission TEXT,
        contributor TEXT,
        host_country TEXT,
        as_of TEXT,
        value DOUBLE,
        unit TEXT,
        qualifier TEXT,
        quote TEXT NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        confidence DOUBLE NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        created_at TIMESTAMP NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS candidates_article ON candidates (article_id)",
    "ALTER TABLE candidates ADD COLUMN IF NOT EXISTS reason TEXT",
    # the extractor's rules behind a candidate, one per line, shown to the curator
    "ALTER TABLE candidates ADD COLUMN IF NOT EXISTS why TEXT",
    "ALTER TABLE candidates ADD COLUMN IF NOT EXISTS decided_at TIMESTAMP",
    # Why extraction failed on an article; it is then marked extracted so the next run
    # moves on instead of dying on it again (`extract --all` retries it).
    "ALTER TABLE articles ADD COLUMN IF NOT EXISTS extract_error TEXT",
    # What the stored values were made with, e.g. which SimHash (ingest recomputes on a change)
    "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS http_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        fetched_at TIMESTAMP NOT NULL
    )""",
]


# An embedded DuckDB file takes one writer process at a time. A second curator's
# ingest or extract waits this long for the first to finish, then says who holds it.
BUSY_WAIT_SECONDS = float(os.environ.get("PRESENCE_STORE_WAIT", "10"))
# A curator's accept or reject is one short action: queueing behind other curators
# for up to two minutes beats being told to retry.
REVIEW_WAIT_SECONDS = float(os.environ.get("PRESENCE_STORE_WAIT", "120"))
_LOCK_HELD = re.compile(r"Could not set lock|Conflicting lock", re.IGNORECASE)


class StoreBusy(RuntimeError):
    """The store file is held by another process; the message names it when DuckDB does."""


def _connect(path: Path, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if not _LOCK_HELD.search(str(exc)):
                raise
            if time.monotonic() >= deadline:
                holder = re.search(r"PID (\d+)", str(exc))
                by = f" (held by process {holder.group(1)})" if holder else ""
                raise StoreBusy(f"the store {path} is busy{by}; try again when that "
                                "run has finished") from None
            time.sleep(0.2)


def default_path() -> Path:
    """PRESENCE_STORE, else <user data dir>/presence/store.duckdb."""
    env = os.environ.get("PRESENCE_STORE")
    if env:
        return Path(env)
    return Path(user_data_dir("presence", appauthor=False)) / "store.duckdb"


@dataclass
class ArticleRow:
    id: str
    url: str | None
    title: str
    outlet: str | None
    published: dt.datetime | None
    language: str | None
    text: str
    content_hash: str
    simhash: int
    duplicate_of: str | None
    origin: str | None


class StoredMatches(NamedTuple):
    """Stored articles a batch repeats: by URL, by content hash, and a near copy per article."""

    by_url: dict[str, str]
    by_hash: dict[str, str]
    near: list[list[str]]  # in the batch's order: originals within the distance, earliest first


class Store:
    """One open store. Use as a context manager so the file is closed cleanly."""

    def __init__(self, path: Path | str | None = None, *, wait: float | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = _connect(self.path, BUSY_WAIT_SECONDS if wait is None else wait)
        for statement in SCHEMA:
            self.db.execute(statement)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- articles -----------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a process killed inside leaves the store as it was before."""
        self.db.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def find_duplicates(self, urls: list[str | None], content_hashes: list[str],
                        simhashes: list[int], max_distance: int) -> StoredMatches:
        """What a batch of articles repeats among those stored: three queries, not three a row.

        Where several stored articles match by URL or hash, the earliest stored one is
        named. Near copies are looked for among originals only (a duplicate's text is not
        kept), and every one within `max_distance` bits is listed, earliest first: the
        caller decides which, if any, the article repeats (`texts` gives their words).
        """
        by_url = dict(self.db.execute(
            "SELECT url, arg_min(id, (ingested_at, id)) FROM articles "
            "WHERE url IN (SELECT unnest(?::TEXT[])) GROUP BY url",
            [[u for u in urls if u]]).fetchall())
        by_hash = dict(self.db.execute(
            "SELECT content_hash, arg_min(id, (ingested_at, id)) FROM articles "
            "WHERE content_hash IN (SELECT unnest(?::TEXT[])) GROUP BY content_hash",
            [list(content_hashes)]).fetchall())
        near: list[list[str]] = [[] for _ in simhashes]
        if max_distance > 0 and simhashes:
            for index, article_id in self.db.execute(
                    "SELECT batch.i, a.id "
                    "FROM (SELECT unnest(?::BIGINT[]) AS simhash, "
                    "unnest(range(?)) AS i) batch "
                    "JOIN articles a ON a.duplicate_of IS NULL "
                    "AND bit_count(xor(a.simhash, batch.simhash)) <= ? "
                    "ORDER BY batch.i, a.ingested_at, a.id",
                    [list(simhashes), len(simhashes), max_distance]).fetchall():
                near[index].append(article_id)
        return StoredMatches(by_url, by_hash, near)

    def texts(self, ids: list[str]) -> dict[str, str]:
        """The stored text of each of these articles (one query; a duplicate's is empty)."""
        if not ids:
            return {}
        return dict(self.db.execute(
            "SELECT id, text FROM articles WHERE id IN (SELECT unnest(?::TEXT[]))",
            [list(ids)]).fetchall())

    def add_article(self, a: ArticleRow) -> None:
        self.add_articles([a])

    def add_articles(self, rows: list[ArticleRow]) -> None:
        """One INSERT from a frame for the whole batch; the row-by-row INSERT was most of
        ingest's time. Call inside `transaction()` to make it part of a larger unit."""
        import pandas as pd

        if not rows:
            return
        incoming_articles = pd.DataFrame({  # read by name from the SQL below
            "id": [a.id for a in rows], "url": [a.url for a in rows],
            "title": [a.title for a in rows], "outlet": [a.outlet for a in rows],
            "published": pd.Series([a.published for a in rows], dtype="datetime64[us]"),
            "language": [a.language for a in rows], "text": [a.text for a in rows],
            "content_hash": [a.content_hash for a in rows],
            "simhash": pd.Series([a.simhash for a in rows], dtype="int64"),
            "duplicate_of": [a.duplicate_of for a in rows], "origin": [a.origin for a in rows],
        })
        self.db.execute(
            "INSERT INTO articles (id, url, title, outlet, published, language, text, "
            "content_hash, simhash, duplicate_of, origin, ingested_at) "
            "SELECT id, url::TEXT, title, outlet::TEXT, published, language::TEXT, text, "
            "content_hash, simhash, duplicate_of::TEXT, origin::TEXT, ? "
            "FROM incoming_articles", [dt.datetime.now()])
        del incoming_articles

    def languages(self, ids: list[str]) -> dict[str, str | None]:
        """The stored language of each of these articles (one query)."""
        if not ids:
            return {}
        return dict(self.db.execute(
            "SELECT id, language FROM articles WHERE id IN (SELECT unnest(?::TEXT[]))",
            [list(ids)]).fetchall())

    def duplicates_of(self, ids: list[str]) -> dict[str, str]:
        """The original each of these articles is stored as a copy of (originals left out)."""
        if not ids:
            return {}
        return dict(self.db.execute(
            "SELECT id, duplicate_of FROM articles WHERE id IN (SELECT unnest(?::TEXT[])) "
            "AND duplicate_of IS NOT NULL", [list(ids)]).fetchall())

    def make_originals(self, rows: list[tuple[str, str, str, int]]) -> None:
        """Store these copies as originals after all: (id, text, content hash, SimHash).
        Their text is kept and they wait for extraction like any new article."""
        self.db.executemany(
            "UPDATE articles SET text = ?, content_hash = ?, simhash = ?, duplicate_of = NULL, "
            "extracted_at = NULL WHERE id = ? AND duplicate_of IS NOT NULL",
            [[text, digest, simhash, aid] for aid, text, digest, simhash in rows])

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of these article ids are stored already."""
        return {row[0] for row in self.db.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?::TEXT[]))",
            [list(ids)]).fetchall()}

    def original_texts(self, chunk: int = 1000) -> Iterator[tuple[str, str]]:
        """(id, text) of every original article, read a chunk at a time."""
        cursor = self.db.execute("SELECT id, text FROM articles WHERE duplicate_of IS NULL "
                                 "ORDER BY id")
        while rows := cursor.fetchmany(chunk):
            yield from rows

    def set_fingerprints(self, values: list[tuple[str, str, int]]) -> None:
        """Replace the (content hash, SimHash) of these articles: one UPDATE from a frame."""
        import pandas as pd

        if not values:
            return
        new_fingerprints = pd.DataFrame({  # read by name from the SQL below
            "id": [v[0] for v in values], "content_hash": [v[1] for v in values],
            "simhash": pd.Series([v[2] for v in values], dtype="int64")})
        self.db.execute("UPDATE articles SET content_hash = new_fingerprints.content_hash, "
                        "simhash = new_fingerprints.simhash "
                        "FROM new_fingerprints WHERE articles.id = new_fingerprints.id")
        del new_fingerprints

    # -- settings -----------------------------------------------------------
    def setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("DELETE FROM settings WHERE key = ?", [key])
        self.db.execute("INSERT INTO settings VALUES (?, ?)", [key, value])

    def articles(self, *, only_unextracted: bool = True) -> Iterator[ArticleRow]:
        """Original articles (not duplicates), oldest first."""
        sql = ("SELECT id, url, title, outlet, published, language, text, content_hash, "
               "simhash, duplicate_of, origin FROM articles WHERE duplicate_of IS NULL")
        if only_unextracted:
            sql += " AND extracted_at IS NULL"
        for row in self.db.execute(sql + " ORDER BY published, id").fetchall():
            yield ArticleRow(*row)

    def count(self, table: str) -> int:
        if table not in ("articles", "candidates", "http_cache"):
            raise ValueError(table)
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # -- candidates ---------------------------------------------------------
    def replace_candidates(self, article_id: str, candidates: Iterable[dict]) -> int:
        """Store an article's candidates in one transaction; mark it extracted.

        Pending candidates from an earlier run are replaced; ones a curator has
        already decided on are kept, so re-extracting never undoes a review.
        """
        rows = list(candidates)
        now = dt.datetime.now()
        self.db.execute("BEGIN TRANSACTION")
        try:
            self.db.execute("DELETE FROM candidates WHERE article_id = ? AND status = 'pending'",
                            [article_id])
            decided = {r[0] for r in self.db.execute(
                "SELECT id FROM candidates WHERE article_id = ?", [article_id]).fetchall()}
            for c in rows:
                if c["id"] in decided:
                    continue
                self.db.execute(
                    "INSERT INTO candidates (id, article_id, kind, mission, contributor, "
                    "host_country, as_of, value, unit, qualifier, quote, start_offset, "
                    "end_offset, confidence, created_at, why) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [c["id"], article_id, c["kind"], c["mission"], c["contributor"],
                     c["host_country"], c["as_of"], c["value"], c["unit"], c["qualifier"],
                     c["quote"], c["start"], c["end"], c["confidence"], now,
                     "\n".join(c.get("why") or [])])
            self.db.execute("UPDATE articles SET extracted_at = ?, extract_error = NULL "
                            "WHERE id = ?", [now, article_id])
            self.db.execute("COMMIT")
        except Exception:
            self.db.execute("ROLLBACK")
            raise
        return len(rows)

    def mark_extract_failed(self, article_id: str, reason: str) -> None:
        """Record why extraction failed; the article is not retried until `extract --all`.

        Its earlier pending candidates stay as they were: a failure removes nothing.
        """
        self.db.execute("UPDATE articles SET extracted_at = ?, extract_error = ? WHERE id = ?",
                        [dt.datetime.now(), reason[:1000], article_id])

    def failed_articles(self) -> list[dict]:
        """Articles whose last extraction failed, with the reason."""
        cur = self.db.execute("SELECT id, title, origin, extract_error AS reason FROM articles "
                              "WHERE extract_error IS NOT NULL ORDER BY extracted_at, id")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def candidates(self, status: str | None = "pending") -> list[dict]:
        sql = ("SELECT c.*, a.title, a.outlet, a.published, a.url, a.language, "
               "substr(a.text, c.start_offset + 1, c.end_offset - c.start_offset) AS figure "
               "FROM candidates c JOIN articles a ON a.id = c.article_id")
        params = []
        if status:
            sql += " WHERE c.status = ?"
            params.append(status)
        cur = self.db.execute(sql + " ORDER BY a.published DESC, c.start_offset", params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def set_status(self, cid: str, status: str, reason: str | None = None) -> None:
        self.db.execute("UPDATE candidates SET status = ?, reason = ?, decided_at = ? "
                        "WHERE id = ?", [status, reason, dt.datetime.now(), cid])

    # -- HTTP cache ---------------------------------------------------------
    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, last_modified FROM http_cache WHERE url = ?",
                              [url]).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def remember_http(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.db.execute("DELETE FROM http_cache WHERE url = ?", [url])
        self.db.execute("INSERT INTO http_cache VALUES (?, ?, ?, ?)",
                        [url, etag, last_modified, dt.datetime.now()])


def dumps(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, default=str)
