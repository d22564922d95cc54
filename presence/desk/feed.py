"""Take articles in: raw feed text files, RSS/Atom feeds, HTML pages, over HTTP or from disk.

Every article gets a stable id, its metadata, a detected language and its
clean text. The same article again (same URL, same text, or nearly the same
text from another outlet) is linked to the first copy instead of stored twice.
A bad input is reported with its reason and the rest still go in.

One module, though long: parsing, the guarded fetcher (schemes, addresses, redirects,
sizes and times all limited) and the batched store step share the limits and the
rejection report, and a reader checking what the feed can be made to do reads it whole.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.client
import ipaddress
import os
import re
import socket
import ssl
import stat
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from presence.desk.store import ArticleRow, Store

USER_AGENT = "presence-feed/0.1 (Western Balkans security-presence dashboard; curator tool)"
# Unrelated short articles differ in 20+ of 64 bits; a one-word edit of a
# 50-word article moves up to ~10. Longer texts move less.
NEAR_DUPLICATE_BITS = 10
# Articles stored per transaction. Row by row, the store's lookups and inserts were
# most of ingest's time; a batch of 200 costs ~25 ms in them (measured on the 2-core
# VM: 0.12 ms an article, against ~0.9 ms of hashing and language detection). The
# near-copy check scans the stored originals once a batch, so bigger helps a big store.
BATCH_ARTICLES = 200
# ...or fewer, once their text reaches this: 200 articles at the 10 MB file cap would
# hold 2 GB at once, where one at a time held 10 MB. The 111 real articles of the
# evaluation corpus are at most 2,052 characters (median 1,184).
BATCH_TEXT_CHARS = 20_000_000
RAW_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
READ_SUFFIXES = RAW_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES


@dataclass(frozen=True)
class Limits:
    """Bounds on everything ingest reads, so no input can hang a run or fill the memory.

    The byte caps sit far above a real article (a long news page is ~200 KB of
    HTML, a busy feed ~1 MB) and far below what makes parsing and SimHash costly
    (a 50 MB text took 2.7 GB to ingest).
    """

    file_bytes: int = 10_000_000  # one file on disk
    download_bytes: int = 10_000_000  # one HTTP body
    feed_bytes: int = 2_000_000  # feedparser takes ~3 s a MB; a busy real feed is ~0.5 MB
    lines: int = 50_000  # a long report has ~2,000
    line_chars: int = 100_000  # one paragraph per line in the text form
    items: int = 500  # articles and feed items per run (~20 ms each); the rest wait a run
    connect_seconds: float = 10
    request_seconds: float = 20  # the whole request: connect, headers and body
    redirects: int = 5
    allow_private: bool = False  # loopback, private and link-local addresses (tests, intranets)


DEFAULT_LIMITS = Limits()
# Matched against a stripped line: no `\s*$` after a lazy group, which backtracks
# quadratically on a long run of spaces.
_HEADER = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T]([0-9]{2}:[0-9]{2}(?::[0-9]{2})?))?"
                     r"[ \t]*/[ \t]*(.+)")
# A date line is a date and an outlet's name; anything longer is something else.
MAX_DATE_LINE_CHARS = 300


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
        lines += [_printable(f"  duplicate: {n} -> {of} ({why})")
                  for n, of, why in self.duplicate]
        lines += [_printable(f"  rejected: {n}: {why}") for n, why in self.rejected]
        return "\n".join(lines)


# -- parsing ----------------------------------------------------------------
def _is_boilerplate(line: str) -> bool:
    """Menus, phone lists and one-word site sections that follow the body."""
    s = line.strip().strip(" \t•·-*|")  # lines keep their ends: strip "\n" and nbsp first
    if not s:
        return True
    if re.fullmatch(r"[A-ZÇËŠŽĆČĐ .]+[0-9]{2,12}", s):
        return True  # a phone list: "POLICE129", "CONTACT 044123456"
    if re.search(r"\d", s):
        return False  # a table's cells, one a line ("2486"), are body, not a menu
    words = s.split()
    return len(words) <= 3 and not s.endswith((".", "!", "?", "\"", "”"))


def parse_raw(text: str, origin: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> Article:
    """The feed's text form: title; a 'YYYY-MM-DD HH:MM:SS / OUTLET' line; body; boilerplate."""
    lines = text.splitlines(keepends=True)
    if len(lines) > limits.lines:
        raise InputError(f"too many lines ({len(lines):,}; the limit is {limits.lines:,})")
    if lines and max(map(len, lines)) > limits.line_chars:
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))
        raise InputError(f"line {longest + 1} is too long ({len(lines[longest]):,} characters; "
                         f"the limit is {limits.line_chars:,})")
    non_empty = [i for i, line in enumerate(lines) if line.strip()]
    if len(non_empty) < 3:
        raise InputError("too short to be an article (needs a title, a date line and a body)")
    title = lines[non_empty[0]].strip()
    date_line = lines[non_empty[1]].strip()
    header = _HEADER.fullmatch(date_line) if len(date_line) <= MAX_DATE_LINE_CHARS else None
    if not header:
        raise InputError(f"line {non_empty[1] + 1} is not a 'YYYY-MM-DD HH:MM:SS / OUTLET' "
                         f"date line: {lines[non_empty[1]].strip()[:60]!r}")
    day, clock, outlet = header.groups()
    try:
        published = dt.datetime.fromisoformat(f"{day}T{clock or '00:00:00'}")
    except ValueError as exc:
        raise InputError(f"line {non_empty[1] + 1}: bad date {day} {clock or ''}: {exc}") from None
    body_lines = non_empty[2:]
    # Sites repeat a truncated title above the body; it is not part of the text.
    if body_lines and title.startswith(lines[body_lines[0]].strip()):
        body_lines = body_lines[1:]
    # An end index, not repeated slicing: 100,000 short trailing lines were quadratic.
    end_index = len(body_lines)
    while end_index and _is_boilerplate(lines[body_lines[end_index - 1]]):
        end_index -= 1
    body_lines = body_lines[:end_index]
    if not body_lines:
        raise InputError("no body text after the date line")
    start = sum(map(len, lines[:body_lines[0]]))
    end = start + sum(map(len, lines[body_lines[0]:body_lines[-1] + 1]))
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


def parse_feed(data: bytes, origin: str, fetch: Callable[[str], bytes] | None,
               limits: Limits = DEFAULT_LIMITS) -> Iterator[Article | InputError]:
    """Items of an RSS or Atom feed; each item's page is fetched when `fetch` is given.

    Every item is its own success or rejection: a bad date, a link to a local
    file or an item that breaks the parser never costs the items beside it.
    """
    import feedparser

    if isinstance(data, str):  # feedparser would fetch a string that looks like a URL or path
        data = data.encode("utf-8")
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise InputError(f"not a readable RSS/Atom feed: {parsed.bozo_exception}")
    outlet = parsed.feed.get("title")
    for i, entry in enumerate(parsed.entries, start=1):
        name = f"{origin} item {i}"
        try:
            link = entry.get("link")
            name = link or name
            if link and not re.match(r"(?i)https?://", link):
                raise InputError(f"{name}: link is not an http(s) address; not followed")
            published = None
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            if stamp:
                try:
                    published = dt.datetime(*stamp[:6])
                except (TypeError, ValueError, OverflowError):
                    published = None  # year 0 and the like: an undated item, not a lost one
            article = None
            if link and fetch is not None:
                try:
                    article = parse_html(fetch(link).decode("utf-8", "replace"), url=link)
                except (InputError, OSError) as exc:
                    summary = _entry_text(entry)
                    if not summary:
                        raise InputError(f"{name}: {exc}") from None
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
        except Exception as exc:  # noqa: BLE001 - one item's failure is that item's rejection
            yield InputError(f"{name}: cannot be read ({type(exc).__name__}: {exc})")


def _entry_text(entry) -> str:
    import html as html_lib

    parts = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    text = re.sub(r"<[^>]+>", " ", " ".join(parts))
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()


# -- identity -----------------------------------------------------------------
# A title's words for an article's id: letters only (ids already stored were made so).
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# A text's words for its fingerprints: letters and digits. Two texts that differ only in
# a number are different articles to a feed of figures ("KFOR has 4,500 troops" is not
# a copy of "KFOR has 3,800 troops"), so the numbers are part of what makes two the same.
_TOKEN = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+")


def normalise(text: str) -> str:
    return " ".join(_LETTER_RUN.findall(text.lower()))


def content_hash(text: str) -> str:
    return hashlib.sha1(_joined_words(text)).hexdigest()


def simhash(text: str) -> int:
    """64-bit SimHash of word 3-shingles: near-identical texts differ in few bits."""
    return _simhash_of_joined(_joined_words(text))


def fingerprint(text: str) -> tuple[str, int]:
    """(content hash, SimHash) of a text, its words found and joined once for both."""
    joined = _joined_words(text)
    return hashlib.sha1(joined).hexdigest(), _simhash_of_joined(joined)


def _joined_words(text: str) -> bytes:
    """A text's words, lower case, one space between them, as UTF-8: what both hashes read."""
    return " ".join(_TOKEN.findall(text.lower())).encode("utf-8")


def numbers_of(text: str) -> Counter[str]:
    """The digit runs of a text, counted: what a near copy must not add to its original."""
    return Counter(_NUMBER.findall(text))


def repeats(copy_numbers: Counter[str], original_numbers: Counter[str]) -> bool:
    """Whether a text nearly the same as an original repeats it: every number it gives is
    the original's. An outlet that cuts a paragraph repeats the story; one that changes
    a figure (a correction, an update of the same wire copy) has something to review."""
    return not copy_numbers - original_numbers


def first_repeated(text: str, originals: Iterable[tuple[str, Counter[str]]]) -> str | None:
    """The id of the first near original (id, its numbers) that `text` repeats, if any; the
    text's own numbers are counted only once there is an original to compare them with."""
    numbers = None
    for original_id, theirs in originals:
        if numbers is None:
            numbers = numbers_of(text)
        if repeats(numbers, theirs):
            return original_id
    return None


def _simhash_of_joined(joined: bytes) -> int:
    """Each shingle's 64-bit hash votes on each bit; a bit is set where most shingles set it.

    A shingle's hash is a polynomial hash of its UTF-8 bytes modulo 2**64, read off
    prefix sums of the whole text (numpy, no Python loop per shingle), then mixed by
    MurmurHash3's finaliser so every bit depends on every byte. Memory is bounded:
    the text is hashed a window of `SIMHASH_WINDOW_BYTES` at a time.
    """
    import numpy as np

    data = np.frombuffer(joined, dtype=np.uint8)
    spaces = np.flatnonzero(data == 32)  # \w+ words hold no space, nor does UTF-8 inside one
    if len(spaces) >= 2:  # three words or more
        starts = np.concatenate(([0], spaces[:-2] + 1))
        ends = np.concatenate((spaces[2:], [len(data)]))
    else:  # fewer than three words: the words together are the one shingle
        starts, ends = np.array([0]), np.array([len(data)])
    powers, inverses, mix = _power_tables()
    votes = np.zeros(64, dtype=np.int64)
    first = 0
    while first < len(starts):  # uint64 arithmetic wraps modulo 2**64, as wanted
        base = starts[first]
        last = int(np.searchsorted(ends, base + SIMHASH_WINDOW_BYTES, side="right"))
        if last > first:
            window = data[base:ends[last - 1]]
            prefix = np.zeros(len(window) + 1, dtype=np.uint64)
            np.cumsum(window * powers[:len(window)], out=prefix[1:])
            local_starts, local_ends = starts[first:last] - base, ends[first:last] - base
            hashes = (prefix[local_ends] - prefix[local_starts]) * inverses[local_starts]
        else:  # one shingle longer than the window (a hostile text): hashed on its own
            last = first + 1
            digest = hashlib.blake2b(data[base:ends[first]].tobytes(), digest_size=8)
            hashes = np.frombuffer(digest.digest(), dtype=np.uint64).copy()
        # MurmurHash3's fmix64: every output bit depends on every input bit.
        hashes ^= hashes >> mix.shift
        hashes *= mix.first
        hashes ^= hashes >> mix.shift
        hashes *= mix.second
        hashes ^= hashes >> mix.shift
        bits = np.unpackbits(hashes.astype(">u8").view(np.uint8)).reshape(-1, 64)
        votes += bits.sum(axis=0, dtype=np.int64)
        first = last
    # First vote is the most significant bit; signed so that it fits a BIGINT.
    return int.from_bytes(np.packbits(votes * 2 > len(starts)).tobytes(), "big", signed=True)


# Stored with the store's SimHashes: a store whose values were made by another version
# has them (and the content hashes) recomputed before ingest compares against them (see
# `upgrade_fingerprints`). Version 1 hashed each shingle with BLAKE2b in Python, 0.3 ms
# an article; version 2 read letters only, so texts that differed in numbers alone were
# one text.
SIMHASH_VERSION = "3"
SIMHASH_WINDOW_BYTES = 1 << 16  # prefix sums and power tables of 512 KB each
_SHINGLE_PRIME = 0x100000001B3  # FNV's 64-bit prime: odd, so invertible modulo 2**64


class _Mix(NamedTuple):
    shift: object  # numpy scalars made once: a Python int is converted on every use
    first: object
    second: object


@lru_cache(maxsize=1)
def _power_tables():
    """PRIME**i and PRIME**-i modulo 2**64 for every offset in a window; fmix64's constants."""
    import numpy as np

    size = SIMHASH_WINDOW_BYTES + 1
    powers = np.cumprod(np.full(size, _SHINGLE_PRIME, dtype=np.uint64))
    inverses = np.cumprod(np.full(size, pow(_SHINGLE_PRIME, -1, 1 << 64), dtype=np.uint64))
    one = np.ones(1, dtype=np.uint64)
    mix = _Mix(np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
    return np.concatenate((one, powers[:-1])), np.concatenate((one, inverses[:-1])), mix


def article_id(a: Article) -> str:
    key = a.url or f"{normalise(a.title)}|{a.published}|{(a.outlet or '').lower()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


LANGUAGE_CODES = {"ENGLISH": "en", "ALBANIAN": "sq", "SERBIAN": "sr", "BOSNIAN": "bs",
                  "CROATIAN": "hr", "MACEDONIAN": "mk"}
# Detection costs ~1.5 microseconds a character, most of what ingest costs. On 470 real
# texts in the languages we read (the corpus and texts we scored on first sight) the
# first 250 characters (title included) name the language the first 2,000 name for every
# one, where "BCS" is one answer: lingua's choice among Bosnian, Croatian and Serbian moves
# with the length on a few texts at any cut (5 at 400 characters, 8 at 250). 200
# characters read an English text as Albanian.
LANGUAGE_SAMPLE_CHARS = 250


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LANGUAGE_CODES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str | None:
    """The language of the start of `text`, cut at a space so no word is cut in two."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if len(text) > LANGUAGE_SAMPLE_CHARS:
        cut = max(sample.rfind(" "), sample.rfind("\n"))
        sample = sample[:cut] if cut > LANGUAGE_SAMPLE_CHARS // 2 else sample
    known = unmistakable_language(sample)
    if known:
        return known
    found = _detector().detect_language_of(sample)
    return LANGUAGE_CODES.get(found.name) if found else None


_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_NOT_CYRILLIC = re.compile(r"[^\u0400-\u04FF]+")
_NOT_LATIN = re.compile(r"[^A-Za-z\u00C0-\u024F]+")
_MACEDONIAN_ONLY = re.compile(r"[ѓќѕЃЌЅ]")
_SERBIAN_ONLY = re.compile(r"[ђћЂЋ]")
_BCS_LATIN = re.compile(r"[čćđšžČĆĐŠŽ]")
_ACCENTED = re.compile(r"[\u00C0-\u024F]")
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|to|in|is|was|has|have|with|for|that|are|on)\b")
# Shares measured on the 250-character samples of 521 real texts (the corpus, the sets
# scored on first sight, German, French, Italian and Turkish ones among them): in the
# 82 Albanian ones ë is at least 3.9% of the letters; in the 150 English ones these
# common words are 11-38% of the words (those under 15% are left to lingua), in every
# other text at most 10%. English news spells people and places in their own letters
# ("Vučić", "Kosovë"): up to 1.5% of its letters may be accented, where BCS and
# Albanian text has 2-6% (a few BCS texts fewer, but none of them has the English words).
ALBANIAN_E_SHARE = 0.03
ENGLISH_WORD_SHARE = 0.15
ENGLISH_ACCENT_SHARE = 0.015


def unmistakable_language(sample: str) -> str | None:
    """The language where the letters alone decide it, else None (the detector decides).

    Lingua is most of what ingesting an article costs, and for most articles the
    answer is in the alphabet: Cyrillic with ѓ, ќ or ѕ and no ђ or ћ is Macedonian
    (the reverse is Serbian); Latin text dense with ë and without č, ć, đ, š, ž is
    Albanian; text with few accented letters made largely of English function words is
    English. Real texts this decides are decided as lingua decides them (tested on the
    corpus); Latin-script BCS (Bosnian, Croatian or Serbian: lingua's call) and mixed
    texts are left alone.
    """
    # letters counted by deleting the others (one pass in C, no list of matches)
    cyrillic = len(_NOT_CYRILLIC.sub("", sample)) if _CYRILLIC.search(sample) else 0
    latin = len(_NOT_LATIN.sub("", sample))
    if cyrillic > latin:
        macedonian, serbian = _MACEDONIAN_ONLY.search(sample), _SERBIAN_ONLY.search(sample)
        if macedonian and not serbian:
            return "mk"
        if serbian and not macedonian:
            return "sr"
        return None
    if cyrillic or not latin:
        return None
    if (sample.count("ë") + sample.count("Ë") >= ALBANIAN_E_SHARE * latin
            and not _BCS_LATIN.search(sample)):
        return "sq"
    low = sample.lower()
    words = _LETTER_RUN.findall(low)
    if (words and len(_ACCENTED.findall(sample)) <= ENGLISH_ACCENT_SHARE * latin
            and len(_ENGLISH_WORDS.findall(low)) >= ENGLISH_WORD_SHARE * len(words)):
        return "en"
    return None


# -- HTTP ---------------------------------------------------------------------
class Fetcher:
    """Polite and guarded HTTP: a clear user agent, conditional GET, a cap on requests per
    run, retries with backoff on server errors, and the limits of `Limits`.

    The network is an attack surface: a feed decides which links we follow. Only
    http and https are fetched; loopback, private and link-local addresses are
    refused unless `limits.allow_private` (checked on the address actually
    connected to, so a name cannot resolve around it); redirects are capped and
    never go from https to http; a body over the byte cap, a server that stalls
    or a malformed reply is an `InputError` naming the URL.
    """

    def __init__(self, store: Store | None = None, *, limit: int = 200,
                 timeout: float | None = None, retries: int = 2, backoff: float = 0.5,
                 limits: Limits = DEFAULT_LIMITS):
        self.store, self.limit = store, limit
        self.timeout = timeout if timeout is not None else limits.request_seconds
        self.retries, self.backoff, self.limits = retries, backoff, limits
        self.requests = 0
        # One timeout or failed name lookup per host and run, not one per link to it.
        self.stalled_hosts: set[tuple[str, int]] = set()
        self.unresolved_hosts: set[str] = set()

    def __call__(self, url: str) -> bytes:
        body = self.get(url)
        if body is None:
            raise InputError(f"{url}: not modified since the last run")
        return body

    def get(self, url: str) -> bytes | None:
        """The body, or None when the server says it has not changed (304)."""
        if self.requests >= self.limit:
            raise InputError(f"{url}: per-run request limit ({self.limit}) reached")
        headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"}
        if self.store:
            etag, modified = self.store.http_validators(url)
            if etag:
                headers["If-None-Match"] = _header_safe(etag)
            if modified:
                headers["If-Modified-Since"] = _header_safe(modified)
        last_error = "no attempt"
        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                status, reply_headers, body = self._follow(url, headers)
            except _Retryable as exc:
                last_error = str(exc)
            else:
                if status == 304:
                    return None
                if self.store:
                    self.store.remember_http(url, reply_headers.get("ETag"),
                                             reply_headers.get("Last-Modified"))
                return body
            if attempt < self.retries and self.requests < self.limit:
                time.sleep(self.backoff * 2 ** attempt)
        raise InputError(f"{url}: {last_error}")

    def _follow(self, url: str, headers: dict) -> tuple[int, http.client.HTTPMessage, bytes]:
        """One request and its redirects; (status, headers, body) of the final answer."""
        for _hop in range(self.limits.redirects + 1):
            target = _checked_url(url)
            status, reply_headers, body = self._request(target, headers)
            if status in (301, 302, 303, 307, 308):
                location = reply_headers.get("Location")
                if not location:
                    raise InputError(f"{url}: redirect ({status}) without a Location")
                following = urllib.parse.urljoin(url, location.strip())
                if not re.match(r"(?i)https?://", following):
                    raise InputError(f"{url}: redirect to a non-http(s) address refused: "
                                     f"{_printable(following)[:200]}")
                if url.lower().startswith("https:") and following.lower().startswith("http:"):
                    raise InputError(f"{url}: redirect from https to plain http refused: "
                                     f"{_printable(following)[:200]}")
                url = following
                continue
            if status == 304 or 200 <= status < 300:
                return status, reply_headers, body
            if status >= 500 or status == 429:
                raise _Retryable(f"HTTP {status}")
            raise InputError(f"{url}: HTTP {status}")
        raise InputError(f"{url}: more than {self.limits.redirects} redirects")

    def _request(self, target: _Target, headers: dict
                 ) -> tuple[int, http.client.HTTPMessage, bytes]:
        if (target.host, target.port) in self.stalled_hosts:
            raise InputError(f"{target.url}: {target.host}:{target.port} timed out earlier "
                             "in this run; not asked again")
        if target.host in self.unresolved_hosts:
            raise InputError(f"{target.url}: cannot resolve {target.host} (failed earlier in "
                             "this run; not asked again)")
        try:
            address = _resolve(target, self.limits)
        except _Unresolved:
            self.unresolved_hosts.add(target.host)
            raise
        cls = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        kwargs = {"context": ssl.create_default_context()} if target.scheme == "https" else {}
        conn = cls(target.host, target.port, timeout=self.limits.connect_seconds, **kwargs)

        opened: list[socket.socket] = []  # the response may outlive conn.sock; keep the socket

        def connect_to_checked_address(_address, timeout=None, source_address=None):
            # Connect to the address that passed the check, not to a fresh lookup.
            sock = socket.create_connection((address, target.port), timeout, source_address)
            opened.append(sock)
            return sock

        conn._create_connection = connect_to_checked_address
        # One deadline for the whole request: a server that drips a byte a second
        # never trips a per-read timeout, so a timer closes the socket instead.
        expired = threading.Event()

        def expire():
            expired.set()
            for sock in opened:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(self.timeout, expire)
        timer.daemon = True
        timer.start()
        try:
            conn.request("GET", target.path, headers=headers)
            resp = conn.getresponse()
            if resp.status in (301, 302, 303, 304, 307, 308) or resp.status >= 400:
                return resp.status, resp.headers, b""
            declared = resp.headers.get("Content-Length")
            if declared and declared.strip().isdigit() \
                    and int(declared.strip()) > self.limits.download_bytes:
                raise InputError(f"{target.url}: too large ({int(declared.strip()):,} bytes "
                                 f"declared; the limit is {self.limits.download_bytes:,})")
            chunks, size = [], 0
            while True:
                chunk = resp.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.limits.download_bytes:
                    raise InputError(f"{target.url}: too large (over "
                                     f"{self.limits.download_bytes:,} bytes)")
                chunks.append(chunk)
            if expired.is_set():
                raise TimeoutError
            if declared and declared.strip().isdigit() and size < int(declared.strip()):
                raise InputError(f"{target.url}: bad HTTP answer (the body ends after {size:,} "
                                 f"of the {int(declared.strip()):,} bytes it declared)")
            return resp.status, resp.headers, b"".join(chunks)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the exchange names the URL
            if expired.is_set() or isinstance(exc, TimeoutError):
                self.stalled_hosts.add((target.host, target.port))
                why = (f"no complete answer within {self.timeout:g} s" if expired.is_set()
                       else f"nothing received for {self.limits.connect_seconds:g} s")
                raise InputError(f"{target.url}: timed out ({why})") from exc
            if isinstance(exc, (ConnectionRefusedError, ConnectionResetError)):
                raise _Retryable(str(exc) or type(exc).__name__) from exc
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise InputError(f"{target.url}: bad HTTP answer ({_printable(reason)[:200]})"
                             ) from exc
        finally:
            timer.cancel()
            conn.close()


class _Unresolved(InputError):
    """A host name with no address."""


class _Retryable(Exception):
    """A failure worth another try: a 5xx or 429 answer, a refused or reset connection."""


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # IDNA-encoded, ASCII
    port: int
    path: str  # path and query, percent-encoded


def _checked_url(url: str) -> _Target:
    """Split an http(s) URL or say why it cannot be fetched."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise InputError(f"{_printable(url)[:200]}: URL contains control characters")
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        raise InputError(f"{_printable(url)[:200]}: not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"{_printable(url)[:200]}: only http and https are fetched")
    if not host:
        raise InputError(f"{_printable(url)[:200]}: URL has no host")
    try:
        ipaddress.ip_address(host)
        ascii_host = host
    except ValueError:
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise InputError(f"{_printable(url)[:200]}: host name cannot be encoded "
                             f"({exc})") from exc
    path = urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + urllib.parse.quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return _Target(url=url, scheme=scheme, host=ascii_host,
                   port=port or (443 if scheme == "https" else 80), path=path)


def _resolve(target: _Target, limits: Limits) -> str:
    """The address to connect to; refuses loopback and private ones unless allowed."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise _Unresolved(f"{target.url}: cannot resolve {target.host} ({exc})") from exc
    for info in infos:
        address = info[4][0]
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not limits.allow_private and not ip.is_global:
            raise InputError(f"{target.url}: {target.host} is a loopback, private or reserved "
                             f"address ({ip}); refused (allow it with "
                             "--allow-private-addresses)")
        return address
    raise InputError(f"{target.url}: cannot resolve {target.host}")


def _header_safe(value: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]", "", value)[:1000]


def _printable(text: str) -> str:
    """Text safe to print on one line: control characters and unpaired surrogates escaped."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]",
                  lambda m: f"\\x{ord(m.group()):02x}", text)


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
    limits = fetcher.limits
    try:
        if kind == "feed" and len(data) > limits.feed_bytes:
            raise InputError(f"too large for a feed ({len(data):,} bytes; the limit is "
                             f"{limits.feed_bytes:,})")
        if kind == "feed":
            yield from parse_feed(data, source, fetcher, limits)
        elif kind == "html":
            yield parse_html(data.decode("utf-8", "replace"), url=url, origin=source)
        else:
            yield parse_raw(data.decode("utf-8"), origin=source, limits=limits)
    except UnicodeDecodeError as exc:
        yield InputError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    except InputError as exc:
        yield InputError(f"{source}: {exc}")
    except Exception as exc:  # noqa: BLE001 - a parser's crash is this source's rejection
        yield InputError(f"{source}: cannot be read ({type(exc).__name__}: "
                         f"{_printable(str(exc))[:200]})")


def read_file(path: Path, limits: Limits = DEFAULT_LIMITS,
              info: os.stat_result | None = None) -> bytes:
    """The bytes of a regular file no larger than `limits.file_bytes`, or an InputError.

    A FIFO waits forever, /dev/zero never ends and a symlink loop never
    resolves; none of them is an article, so only regular files are opened,
    without blocking, and checked again once open (the name may have changed).
    `info` is the path's stat when the caller has it already.
    """
    if info is None:
        try:
            info = path.stat()
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a FIFO, device or socket); not read")
    if info.st_size > limits.file_bytes:
        raise InputError(f"too large ({info.st_size:,} bytes; the limit is "
                         f"{limits.file_bytes:,})")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("not a regular file (a FIFO, device or socket); not read")
        data = handle.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise InputError(f"too large (over {limits.file_bytes:,} bytes)")
    return data


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _name_problem(name: str) -> str | None:
    """Why a file name cannot be stored and printed as it is (not UTF-8, control characters)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not UTF-8; rename the file"
    if _CONTROL.search(name):
        return "file name contains control characters; rename the file"
    return None


_HTTP_URL = re.compile(r"(?i)^https?://")
_OTHER_URL = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://")


def read_source(source: str, fetcher: Fetcher) -> Iterator[Article | InputError]:
    """Articles from one SOURCE argument: a file, a folder of them, or a URL."""
    if _HTTP_URL.match(source):
        try:
            data = fetcher.get(source)
        except InputError as exc:
            yield exc
            return
        except Exception as exc:  # noqa: BLE001
            yield InputError(f"{_printable(source)}: cannot be fetched "
                             f"({type(exc).__name__}: {exc})")
            return
        if data is not None:  # None: unchanged since the last run
            yield from _parse(data, _sniff(data), source, fetcher, url=source)
        return
    if _OTHER_URL.match(source):
        yield InputError(f"{_printable(source)}: only http and https addresses are fetched")
        return
    yield from _read_path(Path(source), source, fetcher)


def _read_path(path: Path, source: str, fetcher: Fetcher) -> Iterator[Article | InputError]:
    """Articles from a local file or folder (`source` is its name as given)."""
    why = _name_problem(source)
    if why:
        yield InputError(f"{_printable(source)}: {why}")
        return
    try:
        info = path.stat()
    except FileNotFoundError:
        yield InputError(f"{_printable(source)}: no such file or folder")
        return
    except OSError as exc:
        yield InputError(f"{_printable(source)}: cannot be read ({exc.strerror or exc})")
        return
    if stat.S_ISDIR(info.st_mode):
        try:
            children = sorted(path.iterdir(), key=lambda child: child.name)
        except OSError as exc:
            yield InputError(f"{_printable(source)}: folder cannot be listed "
                             f"({exc.strerror or exc})")
            return
        for child in children:
            if child.suffix.lower() in READ_SUFFIXES:
                yield from _read_path(child, str(child), fetcher)
        return
    try:
        data = read_file(path, fetcher.limits, info)
    except InputError as exc:
        yield InputError(f"{_printable(source)}: {exc}")
        return
    suffix = path.suffix.lower()
    kind = "feed" if suffix in FEED_SUFFIXES else "html" if suffix in HTML_SUFFIXES \
        else _sniff(data)
    yield from _parse(data, kind, source, fetcher, url=None)


def ingest(sources: Iterable[str], store: Store, *, limit: int = 200,
           progress: Callable[[str], None] | None = None,
           limits: Limits = DEFAULT_LIMITS, fetcher: Fetcher | None = None,
           batch_size: int = BATCH_ARTICLES) -> Report:
    """Read every source into the store; each bad input is a rejection with its reason.

    Nothing one input does ends the run: a parser or store failure on one
    article is recorded against that article and the next one is read. Articles
    are stored `batch_size` at a time (fewer when their text is large), each batch
    in one transaction.
    """
    report = Report()
    upgrade_fingerprints(store)
    fetcher = fetcher or Fetcher(store, limit=limit, limits=limits)
    seen = batch_chars = 0
    batch: list[Article] = []

    def flush() -> None:
        nonlocal batch_chars
        if not batch:
            return
        store_articles(batch, store, report)
        batch.clear()
        batch_chars = 0
        if progress:
            progress(f"{seen} read: {len(report.new)} new, {len(report.duplicate)} "
                     f"duplicate, {len(report.rejected)} rejected")

    for source in sources:
        items = read_source(source, fetcher)
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except Exception as exc:  # noqa: BLE001 - a broken reader ends only its source
                report.rejected.append((_printable(source), f"cannot be read "
                                        f"({type(exc).__name__}: {_printable(str(exc))[:200]})"))
                break
            seen += 1
            if seen > limits.items:
                report.rejected.append((_printable(source), f"not read further: the per-run "
                                        f"limit of {limits.items:,} items was reached; "
                                        "run again for the rest"))
                items.close()
                break
            if isinstance(item, InputError):
                name, _, reason = str(item).partition(": ")
                report.rejected.append((_printable(name), reason or str(item)))
                continue
            batch.append(item)
            batch_chars += len(item.text)
            if len(batch) >= batch_size or batch_chars >= BATCH_TEXT_CHARS:
                flush()
    flush()
    return report


class _Identified(NamedTuple):
    article: Article
    name: str  # how the report names it
    id: str


def store_articles(articles: list[Article], store: Store, report: Report) -> None:
    """Store a batch in one transaction: the report's outcome for each, nothing half-written.

    Each article is checked against the store and against the batch before it, so
    two copies in one batch are stored once. If the batch cannot be written, each
    article is tried on its own, so one bad article is one rejection.
    """
    identified = []
    for a in articles:
        name = a.origin or a.url or a.title
        try:
            identified.append(_Identified(a, name, article_id(a)))
        except Exception as exc:  # noqa: BLE001
            report.rejected.append(_not_stored(name, exc))
    try:
        outcome = _store_batch(identified, store)
    except Exception as exc:  # noqa: BLE001 - find which article it was, keep the rest
        if len(identified) == 1:
            report.rejected.append(_not_stored(identified[0].name, exc))
            return
        outcome = Report()
        for one in identified:
            try:
                alone = _store_batch([one], store)
            except Exception as exc:  # noqa: BLE001 - one article's failure, not the run's
                outcome.rejected.append(_not_stored(one.name, exc))
                continue
            outcome.new += alone.new
            outcome.duplicate += alone.duplicate
    report.new += outcome.new
    report.duplicate += outcome.duplicate
    report.rejected += outcome.rejected


def upgrade_fingerprints(store: Store) -> int:
    """Recompute stored originals' content hashes and SimHashes if another version made
    them; how many.

    Copies are found by comparing fingerprints, which only works between values of one
    version. Originals keep their text, so theirs are recomputed, in one transaction; a
    duplicate keeps its old values (its text is not kept), and its original, which it
    repeats, answers for it.
    """
    if store.setting("simhash_version") == SIMHASH_VERSION:
        return 0
    with store.transaction():
        values = [(aid, *fingerprint(text)) for aid, text in store.original_texts()]
        store.set_fingerprints(values)
        store.set_setting("simhash_version", SIMHASH_VERSION)
    return len(values)


def _not_stored(name: str, exc: Exception) -> tuple[str, str]:
    return _printable(name), f"not stored ({type(exc).__name__}: {_printable(str(exc))[:200]})"


def _store_batch(batch: list[_Identified], store: Store) -> Report:
    """The outcome of storing `batch`, or an exception with nothing stored."""
    outcome = Report()
    with store.transaction():
        stored = store.existing_ids([one.id for one in batch])
        misfiled = _misfiled_copies([one for one in batch if one.id in stored], store)
        fresh: list[tuple[_Identified, str, int]] = []
        for one in batch:
            if one.id in misfiled:
                misfiled.discard(one.id)  # a second copy in the batch is already stored
                outcome.new.append(one.id)
                continue
            if one.id in stored:
                outcome.duplicate.append((one.name, one.id, "already stored"))
                continue
            stored.add(one.id)  # a second copy later in the batch is already stored too
            fresh.append((one, *fingerprint(one.article.text)))
        found = store.find_duplicates([one.article.url for one, _, _ in fresh],
                                      [digest for _, digest, _ in fresh],
                                      [sh for _, _, sh in fresh], NEAR_DUPLICATE_BITS)
        # the numbers of the stored originals a near copy may repeat (one query, and only
        # for the few articles that have one)
        near_numbers = {aid: numbers_of(text) for aid, text in store.texts(
            list({aid for ids in found.near for aid in ids})).items()}
        # What earlier articles of this batch offer the later ones to repeat.
        batch_urls: dict[str, str] = {}
        batch_hashes: dict[str, str] = {}
        batch_originals = _Originals(len(fresh))
        # a copy is in its original's language: detection (most of what ingest costs)
        # runs for originals only
        languages = store.languages(list({*found.by_url.values(), *found.by_hash.values(),
                                          *(aid for ids in found.near for aid in ids)}))
        rows = []
        for (one, digest, sh), stored_near in zip(fresh, found.near):
            a = one.article
            dup = None
            if a.url and (a.url in found.by_url or a.url in batch_urls):
                dup = found.by_url.get(a.url) or batch_urls[a.url], "same URL"
            elif digest in found.by_hash or digest in batch_hashes:
                dup = found.by_hash.get(digest) or batch_hashes[digest], "same text"
            else:
                # the stored near originals first, then this batch's
                near = first_repeated(a.text, chain(
                    ((aid, near_numbers[aid]) for aid in stored_near), batch_originals.near(sh)))
                if near:
                    dup = near, "nearly the same text"
            if a.url:
                batch_urls.setdefault(a.url, one.id)
            batch_hashes.setdefault(digest, one.id)
            if dup is None:
                batch_originals.add(sh, one.id, a.text)
            a.language = a.language or (languages.get(dup[0]) if dup else None) or \
                detect_language(f"{a.title}\n{a.text}")
            languages[one.id] = a.language
            rows.append(ArticleRow(
                id=one.id, url=a.url, title=a.title, outlet=a.outlet, published=a.published,
                language=a.language, text="" if dup else a.text, content_hash=digest,
                simhash=sh, duplicate_of=dup[0] if dup else None, origin=a.origin))
            if dup:
                outcome.duplicate.append((one.name, *dup))
            else:
                outcome.new.append(one.id)
        store.add_articles(rows)
    return outcome


def _misfiled_copies(again: list[_Identified], store: Store) -> set[str]:
    """Ids of articles read again that the store holds as copies of an original although
    they give a number it does not (before SIMHASH_VERSION 3 digits were not compared, and
    an updated figure was filed as a copy, its text dropped): each is stored as an original
    now, with its text, and waits for extraction."""
    linked = store.duplicates_of([one.id for one in again])
    if not linked:
        return set()
    originals = store.texts(list(set(linked.values())))
    misfiled = [one for one in again if one.id in linked and linked[one.id] in originals
                and not repeats(numbers_of(one.article.text),
                                numbers_of(originals[linked[one.id]]))]
    store.make_originals([(one.id, one.article.text, *fingerprint(one.article.text))
                          for one in misfiled])
    return {one.id for one in misfiled}


class _Originals:
    """SimHashes of a batch's originals so far, for the near-copy check inside a batch."""

    def __init__(self, capacity: int):
        import numpy as np

        self.simhashes = np.zeros(capacity, dtype=np.int64)
        self.ids: list[str] = []
        self.texts: list[str] = []

    def add(self, simhash_value: int, article_id: str, text: str) -> None:
        self.simhashes[len(self.ids)] = simhash_value
        self.ids.append(article_id)
        self.texts.append(text)

    def near(self, simhash_value: int) -> Iterator[tuple[str, Counter[str]]]:
        """(id, numbers) of the originals within NEAR_DUPLICATE_BITS bits, in the order
        they came (numpy compares with all at once; an original's numbers are counted only
        when it is reached, and nothing runs until the first is asked for)."""
        import numpy as np

        if not self.ids:
            return
        differ = self.simhashes[:len(self.ids)] ^ np.int64(simhash_value)
        bits = np.bitwise_count(differ.view(np.uint64))  # unsigned: a signed count reads |x|
        for i in np.flatnonzero(bits <= NEAR_DUPLICATE_BITS):
            yield self.ids[i], numbers_of(self.texts[i])


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
