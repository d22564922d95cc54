"""Take articles in: raw feed text files, RSS/Atom feeds, HTML pages, over HTTP or from disk.

Every article gets a stable id, its metadata, a detected language and its
clean text. The same article again (same URL, same text, or nearly the same
text from another outlet) is linked to the first copy instead of stored twice.
A bad input is reported with its reason and the rest still go in.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .store import ArticleRow, Store

USER_AGENT = "presence-feed/0.1 (Western Balkans security-presence dashboard; curator tool)"
# Unrelated short articles differ in 20+ of 64 bits; a one-word edit of a
# 50-word article moves up to ~10. Longer texts move less.
NEAR_DUPLICATE_BITS = 10
RAW_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
_HEADER = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?\s*/\s*(.+?)\s*$")
_WORD = re.compile(r"\w+", re.UNICODE)


class InputError(ValueError):
    """A source that cannot be read as an article, with the reason."""


@dataclass
class Article:
    title: str
    text: str
    published: dt.datetime | None = None
    outlet: str | None = None
    url: str | None = None
    origin: str | None = None  # the file or URL it came from
    offset: int = 0  # where `text` starts in the original file's text
    language: str | None = None


@dataclass
class Report:
    new: list[str] = field(default_factory=list)
    duplicate: list[tuple[str, str, str]] = field(default_factory=list)  # name, of, why
    rejected: list[tuple[str, str]] = field(default_factory=list)  # name, reason

    def summary(self) -> str:
        lines = [f"{len(self.new)} new, {len(self.duplicate)} duplicate, "
                 f"{len(self.rejected)} rejected"]
        lines += [f"  duplicate: {n} -> {of} ({why})" for n, of, why in self.duplicate]
        lines += [f"  rejected: {n}: {why}" for n, why in self.rejected]
        return "\n".join(lines)


# -- parsing ----------------------------------------------------------------
def _is_boilerplate(line: str) -> bool:
    """Menus, phone lists and one-word site sections that follow the body."""
    s = line.strip(" \t•·-*|")
    if not s:
        return True
    words = s.split()
    if len(words) <= 3 and not s.endswith((".", "!", "?", "\"", "”")):
        return True
    return bool(re.fullmatch(r"[A-ZÇËŠŽĆČĐ .]+\d{2,4}", s))


def parse_raw(text: str, origin: str | None = None) -> Article:
    """The feed's text form: title; a 'YYYY-MM-DD HH:MM:SS / OUTLET' line; body; boilerplate."""
    lines = text.splitlines(keepends=True)
    non_empty = [i for i, line in enumerate(lines) if line.strip()]
    if len(non_empty) < 3:
        raise InputError("too short to be an article (needs a title, a date line and a body)")
    title = lines[non_empty[0]].strip()
    header = _HEADER.match(lines[non_empty[1]])
    if not header:
        raise InputError(f"line {non_empty[1] + 1} is not a 'YYYY-MM-DD HH:MM:SS / OUTLET' "
                         f"date line: {lines[non_empty[1]].strip()[:60]!r}")
    day, clock, outlet = header.groups()
    try:
        published = dt.datetime.fromisoformat(f"{day}T{clock or '00:00:00'}")
    except ValueError as exc:
        raise InputError(f"line {non_empty[1] + 1}: bad date {day} {clock or ''}: {exc}")
    body_lines = non_empty[2:]
    # Sites repeat a truncated title above the body; it is not part of the text.
    if body_lines and title.startswith(lines[body_lines[0]].strip()):
        body_lines = body_lines[1:]
    while body_lines and _is_boilerplate(lines[body_lines[-1]]):
        body_lines = body_lines[:-1]
    if not body_lines:
        raise InputError("no body text after the date line")
    start = sum(len(l) for l in lines[:body_lines[0]])
    end = sum(len(l) for l in lines[:body_lines[-1] + 1])
    body = text[start:end].rstrip()
    return Article(title=title, text=body, published=published, outlet=outlet.strip(),
                   origin=origin, offset=start)


def parse_html(html: str, url: str | None = None, origin: str | None = None) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        raise InputError("no article text found in the HTML")
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = (get("text") or "").strip()
    if len(text) < 80:
        raise InputError("no article text found in the HTML")
    published = None
    if get("date"):
        try:
            published = dt.datetime.fromisoformat(str(get("date"))[:19])
        except ValueError:
            published = None
    return Article(title=(get("title") or text[:80]).strip(), text=text, published=published,
                   outlet=get("sitename") or get("hostname"), url=get("url") or url,
                   origin=origin or url)


def parse_feed(data: bytes | str, origin: str,
               fetch: Callable[[str], bytes] | None) -> Iterator[Article | InputError]:
    """Items of an RSS or Atom feed; each item's page is fetched when `fetch` is given."""
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise InputError(f"not a readable RSS/Atom feed: {parsed.bozo_exception}")
    outlet = parsed.feed.get("title")
    for i, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        name = link or f"{origin} item {i}"
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = dt.datetime(*stamp[:6])
        try:
            article = None
            if link and fetch is not None:
                try:
                    article = parse_html(fetch(link).decode("utf-8", "replace"), url=link)
                except (InputError, OSError) as exc:
                    summary = _entry_text(entry)
                    if not summary:
                        raise InputError(f"{name}: {exc}")
            if article is None:
                text = _entry_text(entry)
                if not text:
                    raise InputError(f"{name}: item has no text")
                article = Article(title=entry.get("title") or text[:80], text=text, url=link)
            article.title = entry.get("title") or article.title
            article.published = published or article.published
            article.outlet = outlet or article.outlet
            article.origin = name
            yield article
        except InputError as exc:
            yield exc


def _entry_text(entry) -> str:
    import html as html_lib

    parts = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    text = re.sub(r"<[^>]+>", " ", " ".join(parts))
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()


# -- identity -----------------------------------------------------------------
def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def simhash(text: str) -> int:
    """64-bit SimHash of word 3-shingles: near-identical texts differ in few bits."""
    import numpy as np

    words = _WORD.findall(text.lower())
    shingles = [" ".join(words[i:i + 3]) for i in range(max(len(words) - 2, 1))]
    digests = b"".join(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest()
                       for s in shingles)
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(len(shingles), 64)
    votes = bits.sum(axis=0) * 2 > len(shingles)
    value = int("".join("1" if v else "0" for v in votes), 2)
    return value - (1 << 64) if value >= 1 << 63 else value  # fits a signed BIGINT


def article_id(a: Article) -> str:
    key = a.url or f"{normalise(a.title)}|{a.published}|{(a.outlet or '').lower()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


LANGUAGE_CODES = {"ENGLISH": "en", "ALBANIAN": "sq", "SERBIAN": "sr", "BOSNIAN": "bs",
                  "CROATIAN": "hr", "MACEDONIAN": "mk"}


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LANGUAGE_CODES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str | None:
    found = _detector().detect_language_of(text[:2000])
    return LANGUAGE_CODES.get(found.name) if found else None


# -- HTTP ---------------------------------------------------------------------
class Fetcher:
    """Polite HTTP: a clear user agent, timeouts, retries with backoff, conditional GET,
    and a cap on requests per run."""

    def __init__(self, store: Store | None = None, *, limit: int = 200, timeout: float = 15,
                 retries: int = 3, backoff: float = 0.5):
        self.store, self.limit, self.timeout = store, limit, timeout
        self.retries, self.backoff = retries, backoff
        self.requests = 0

    def __call__(self, url: str) -> bytes:
        body = self.get(url)
        if body is None:
            raise InputError(f"{url}: not modified since the last run")
        return body

    def get(self, url: str) -> bytes | None:
        """The body, or None when the server says it has not changed (304)."""
        if self.requests >= self.limit:
            raise InputError(f"{url}: per-run request limit ({self.limit}) reached")
        headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
        if self.store:
            etag, modified = self.store.http_validators(url)
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        last_error: Exception | None = None
        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                req = urllib.request.Request(url, headers=headers)
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    body = resp.read()
                    if self.store:
                        self.store.remember_http(url, resp.headers.get("ETag"),
                                                 resp.headers.get("Last-Modified"))
                    return body
            except urllib.error.HTTPError as exc:
                if exc.code == 304:
                    return None
                last_error = exc
                if exc.code < 500 and exc.code != 429:
                    break
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                last_error = exc
            if attempt < self.retries:
                time.sleep(self.backoff * 2 ** attempt)
        raise InputError(f"{url}: {last_error}")


# -- ingest -------------------------------------------------------------------
def _sniff(data: bytes) -> str:
    head = data[:600].lstrip().lower()
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "raw"


def _parse(data: bytes, kind: str, source: str, fetcher: Fetcher,
           url: str | None) -> Iterator[Article | InputError]:
    """Articles in `data` of a known kind; a decoding or format problem names the source."""
    try:
        if kind == "feed":
            yield from parse_feed(data, source, fetcher)
        elif kind == "html":
            yield parse_html(data.decode("utf-8", "replace"), url=url, origin=source)
        else:
            yield parse_raw(data.decode("utf-8"), origin=source)
    except UnicodeDecodeError as exc:
        yield InputError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    except InputError as exc:
        yield InputError(f"{source}: {exc}")


def read_source(source: str, fetcher: Fetcher) -> Iterator[Article | InputError]:
    """Articles from one SOURCE argument: a file, a folder of them, or a URL."""
    if re.match(r"^https?://", source):
        try:
            data = fetcher.get(source)
        except InputError as exc:
            yield exc
            return
        if data is not None:  # None: unchanged since the last run
            yield from _parse(data, _sniff(data), source, fetcher, url=source)
        return
    path = Path(source)
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.suffix.lower() in RAW_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES:
                yield from read_source(str(child), fetcher)
        return
    if not path.exists():
        yield InputError(f"{source}: no such file or folder")
        return
    data = path.read_bytes()
    suffix = path.suffix.lower()
    kind = "feed" if suffix in FEED_SUFFIXES else "html" if suffix in HTML_SUFFIXES \
        else _sniff(data)
    yield from _parse(data, kind, source, fetcher, url=None)


def ingest(sources: Iterable[str], store: Store, *, limit: int = 200,
           progress: Callable[[str], None] | None = None) -> Report:
    report = Report()
    fetcher = Fetcher(store, limit=limit)
    seen = 0
    for source in sources:
        for item in read_source(source, fetcher):
            seen += 1
            if isinstance(item, InputError):
                name, _, reason = str(item).partition(": ")
                report.rejected.append((name, reason or str(item)))
                continue
            store_article(item, store, report)
            if progress and seen % 100 == 0:
                progress(f"{seen} read: {len(report.new)} new, {len(report.duplicate)} "
                         f"duplicate, {len(report.rejected)} rejected")
    return report


def store_article(a: Article, store: Store, report: Report) -> None:
    name = a.origin or a.url or a.title
    aid = article_id(a)
    if store.has_article(aid):
        report.duplicate.append((name, aid, "already stored"))
        return
    digest, sh = content_hash(a.text), simhash(a.text)
    dup = store.find_duplicate(a.url, digest, sh, NEAR_DUPLICATE_BITS)
    a.language = a.language or detect_language(f"{a.title}\n{a.text}")
    store.add_article(ArticleRow(
        id=aid, url=a.url, title=a.title, outlet=a.outlet, published=a.published,
        language=a.language, text="" if dup else a.text, content_hash=digest, simhash=sh,
        duplicate_of=dup[0] if dup else None, origin=a.origin))
    if dup:
        report.duplicate.append((name, dup[0], dup[1]))
    else:
        report.new.append(aid)


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
