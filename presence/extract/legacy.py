"""Find candidate figures in an article: troop strengths and contingents, defence
budgets, and dated events, in English, Albanian and Bosnian/Croatian/Serbian.

Rules and lexicons, not a model: every candidate can be explained by the words
around it, and the curator sees the sentence. What counts as a figure follows
../shared/REPORTING.md: reinforcements, casualties, counts of nations, a
country's own army and US troops in all of Europe are not Balkan presence.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass

from .. import lexicon as L

FLAGS = re.IGNORECASE | re.UNICODE


def _alt(patterns: list[str]) -> str:
    return "(?:" + "|".join(patterns) + ")"


class _Index:
    """Patterns grouped by their first three letters, tried only at word starts.

    One regex alternation of a hundred country stems tried at every position
    is slow; a dictionary lookup on a word's first letters is not.
    """

    def __init__(self, table: dict[str, list[str]]):
        self.by_prefix: dict[str, list[tuple[re.Pattern, str]]] = {}
        for code, patterns in table.items():
            for p in patterns:
                rx = re.compile(p, FLAGS)
                for key in _prefixes(p):
                    self.by_prefix.setdefault(key, []).append((rx, code))

        self.lengths = sorted({len(k) for k in self.by_prefix}, reverse=True)

    def find(self, low: str, words: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        hits = []
        get = self.by_prefix.get
        for start, _ in words:
            found = None
            for n in self.lengths:
                for rx, code in get(low[start:start + n], ()):
                    m = rx.match(low, start)
                    if m:
                        found = (m.start(), m.end(), code)
                        break
                if found:
                    hits.append(found)
                    break
        return hits


def _prefixes(pattern: str, size: int = 3) -> set[str]:
    """The literal first letters a pattern can start with ('[sš]vic' -> {'svi', 'švi'})."""
    keys = {""}
    i = 0
    while i < len(pattern) and len(next(iter(keys))) < size:
        ch = pattern[i]
        if ch == "[":
            close = pattern.index("]", i)
            options, i = list(pattern[i + 1:close]), close + 1
        elif ch.isalnum() or ch in " .-":
            options, i = [ch], i + 1
        else:
            break
        if i < len(pattern) and pattern[i] in "?*{":
            break
        keys = {k + o for k in keys for o in options}
    keys = {k for k in keys if k}
    if not keys:
        raise ValueError(f"pattern needs a literal start: {pattern!r}")
    return keys


MISSION_INDEX = _Index(L.MISSIONS)
COUNTRY_INDEX = _Index(L.COUNTRIES)
_WORDS = re.compile(r"\b\w", FLAGS)

_SCALE_NAMES = {f"s{i}": v for i, v in enumerate(L.SCALE)}
_SCALE_RX = re.compile(r"\s*(?:" + "|".join(f"(?P<s{i}>{_alt(p)})" for i, p in
                                             enumerate(L.SCALE.values())) + r")(?!\w)", FLAGS)
_CURRENCY_RX = re.compile(r"\s*(?:of\s+)?(?:" + "|".join(f"(?P<{c}>{_alt(p)})" for c, p in
                                                       L.CURRENCIES.items()) + ")", FLAGS)
_NUMBER = re.compile(
    r"(?<![\w.,/-])(?P<sym>[€$]\s?)?(?P<int>\d{1,3}(?:(?:[.,](?=\d{3}(?!\d))|[ \u00a0\u202f]"
    r"(?=\d{3}(?![\d.,]\d)))\d{3})+|\d+)(?:[.,](?P<dec>\d+))?(?P<plus>\+)?")
_TROOP_AFTER = re.compile(r"(?:-|\s)*(?:(?:\w+\s+){0,2})" + _alt(L.TROOP_NOUNS) + r"(?!\w)",
                          FLAGS)
_STRONG = re.compile(r"-strong\b|-member\b", FLAGS)
_COUNT_AFTER = re.compile(r"\s*(?:\w+\s+)?" + _alt(L.COUNT_NOUNS), FLAGS)
_INC_BEFORE = re.compile(_alt(L.INCREMENT_BEFORE) + r"\s*(?:of\s+)?(?:around\s+|about\s+)?$",
                         FLAGS)
_INC_AFTER = re.compile(r"^(?:[\s-]*\w*\s*)?" + _alt(L.INCREMENT_AFTER) + r"\b", FLAGS)
_NOT_PRESENCE = re.compile(_alt(L.NOT_PRESENCE), FLAGS)
_OWN_FORCES = re.compile(_alt(L.OWN_FORCES), FLAGS)
_BUDGET = re.compile(_alt(L.BUDGET_WORDS), FLAGS)
_TOTAL = re.compile(_alt(L.TOTAL_WORDS) + r"\b", FLAGS)
_OF_WHICH = re.compile(_alt(L.OF_WHICH) + r"\s*(?:\w+\s+)?$", FLAGS)
_CAPACITY = re.compile(_alt(L.CAPACITY_BEFORE) + r"\s+(?:up to\s+|about\s+|some\s+)?$", FLAGS)
_PREPOSITION = re.compile(r"(?:^|\s)(?:to|in|within|of|for|with|u|na|n[eë]|t[eë]|at)\s+$", FLAGS)
_RELATIVE_PRONOUN = re.compile(r"\b(?:which|that|who|koj\w*|q[eë]|i cili|e cila)\b", FLAGS)
_PRESENT = re.compile(r"\b" + _alt(L.PRESENT) + r"\b", FLAGS)
_HISTORIC = re.compile(r"\b" + _alt(L.HISTORIC_UNDATED) + r"\b", FLAGS)
_NON_DIGIT = re.compile(r"[^\d]")
_CASUALTY = re.compile(r"injur|wound|plagos|lëndua|lendua|povrije|povre|ranjen|killed|poginu")
_CLAUSE_BREAK = re.compile(r"[;:]")
_FUTURE = re.compile(_alt(L.FUTURE_PLAN), FLAGS)
_MULTIYEAR = re.compile(r"four-year|four years|katër vjet\w*|katërvjeçar\w*|[cč]etiri godine|"
                        r"mandate period|over the next|n[eë] mandatin", FLAGS)
_DERIVE = re.compile(r"^\s*(?P<dir>more|less|m[eë] shum[eë]|m[eë] pak|vi[sš]e|manje)\s+"
                     r"(?:than|se|nego|od)\s+(?:the\s+|in\s+)?(?:previous year|last year|"
                     r"year before|a year earlier|vitin e kaluar|vitit t[eë] kaluar|"
                     r"prethodne godine|pro[sš]le godine|lani)", FLAGS)
_QUAL = [(q, re.compile(r"(?:^|\W)" + _alt(p) + r"\s*$", FLAGS))
         for q, p in (("lower", L.QUALIFIERS["lower"]), ("upper", L.QUALIFIERS["upper"]),
                      ("approx", L.QUALIFIERS["approx"]))]
_MONTH_WORD = {}
for _m, _pats in L.MONTHS.items():
    for _p in _pats:
        _MONTH_WORD[_p] = _m
_MONTHS_ALT = "(?:" + "|".join(_MONTH_WORD) + ")"
_DAY = re.compile(r"(?<![\d.,])(\d{1,2})(?!\d|[.,]\d)")
_MONTH_AFTER_DAY = re.compile(r"\.?\s+(?:of\s+)?(?P<m>" + _MONTHS_ALT + r")(?!\w)"
                              r"(?:,?\s+(?P<y>(?:19|20)\d{2})\b)?", FLAGS)
_MONTH_BEFORE_DAY = re.compile(r"(?<!\w)(?P<m>" + _MONTHS_ALT + r")\s+$", FLAGS)
_YEAR_AFTER_DAY = re.compile(r",?\s+(?P<y>(?:19|20)\d{2})\b")


def _day_month(low: str, s: int, e: int) -> tuple[int, int, int, int, str | None] | None:
    """The first 'March 7' / '7 March 2025' / '7. marta' / 'më 7 mars' in low[s:e].

    Anchored on one- or two-digit numbers, so sentences without them cost nothing.
    """
    for d in _DAY.finditer(low, s, e):
        day = int(d.group(1))
        if not 1 <= day <= 31:
            continue
        after = _MONTH_AFTER_DAY.match(low, d.end(), e)
        if after:
            month = _month_of(after.group("m"))
            if month:
                return d.start(), after.end(), day, month, after.group("y")
        before = _MONTH_BEFORE_DAY.search(low[max(s, d.start() - 14):d.start()])
        if before:
            month = _month_of(before.group("m"))
            if month:
                year = _YEAR_AFTER_DAY.match(low, d.end(), e)
                start = d.start() - (len(low[max(s, d.start() - 14):d.start()]) - before.start())
                return start, year.end() if year else d.end(), day, month, \
                    year.group("y") if year else None
    return None


_MONTH_YEAR = re.compile(r"(?<!\w)(?P<m>" + "|".join(_MONTH_WORD) + r")\s+(?:of\s+|t[eë] vitit\s+)?"
                         r"(?P<y>(?:19|20)\d{2})\b", FLAGS)
_YEAR = re.compile(r"(?<![\d.,-])(?P<y>(?:19|20)\d{2})(?:\.|\b)(?!-\d)", FLAGS)
_LOCAL_YEAR = re.compile(r"\s*(?:in|for|za|u|n[eë]|p[eë]r)\s+(?:vitin\s+|the year\s+)?"
                         r"(?P<y>(?:19|20)\d{2})\b", FLAGS)
_SINCE = re.compile(_alt(L.YEAR_CONTEXT_SINCE) + r"\s+(?:viti\s+|the\s+year\s+|)$", FLAGS)
_RELATIVE = [(k, re.compile(_alt(p), FLAGS)) for k, p in L.RELATIVE_YEARS.items()]
_EVENTS = [(k, re.compile(_alt(p), FLAGS)) for k, p in L.EVENT_TRIGGERS.items()]
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”»']?\s+(?=[\"“„«(]?[A-ZÇËŠŽĆČĐ\d])|\n\s*\n|\n(?=\S)")
_BUDGET_REQUEST = re.compile(r"request\w*|zatra[zž]\w*|k[eë]rkes\w*|propos\w*|draft|nacrt\w*|"
                             r"projekt\w*|plans? to", FLAGS)

REGION = ("XKX", "BIH", "SRB", "ALB", "MKD", "MNE", "HRV", "SVN")
_MISSION_RX = [(code, re.compile(r"\b" + _alt(p), FLAGS)) for code, p in L.MISSIONS.items()]
_MISSION_PATTERNS = [q for p in L.MISSIONS.values() for q in p]
# A lookahead on the possible first letters lets the engine skip most positions.
_ANY_MISSION = re.compile(r"\b(?=[" + "".join(sorted({c for q in _MISSION_PATTERNS
                                                      for k in _prefixes(q) for c in k[:1]}))
                          + "])" + _alt(_MISSION_PATTERNS), FLAGS)
_DIGIT = re.compile(r"\d")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _missions(low: str) -> list[tuple[int, int, str]]:
    hits = []
    for m in _ANY_MISSION.finditer(low):
        code = next((c for c, rx in _MISSION_RX if rx.fullmatch(m.group())), None) or \
            next(c for c, rx in _MISSION_RX if rx.match(low, m.start()))
        hits.append((m.start(), m.end(), code))
    return hits


@dataclass
class Candidate:
    kind: str
    mission: str | None
    contributor: str | None
    host_country: str | None
    as_of: str | None
    value: float | int | None
    unit: str | None
    qualifier: str
    quote: str
    start: int
    end: int
    confidence: float

    def to_json(self, source: str) -> dict:
        return {"source": source, **asdict(self)}


_MONTH_NAMES = re.compile("|".join(f"(?P<m{i}_{month}>{p})" for i, (p, month) in
                                   enumerate(_MONTH_WORD.items())), FLAGS)


def _month_of(text: str) -> int | None:
    m = _MONTH_NAMES.fullmatch(text.lower())
    return int(m.lastgroup.rsplit("_", 1)[1]) if m else None


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@dataclass
class _Context:
    """One article being read. Country mentions are looked up per sentence, and
    only for sentences that hold a number or a date: most sentences hold neither."""

    text: str
    low: str
    published: dt.datetime | None
    missions: list[tuple[int, int, str]]
    sentences: list[tuple[int, int]]
    title_mission: str | None
    title_low: str = ""
    _countries: dict | None = None
    _main: str | None = None
    _named: list | None = None

    def countries(self, si: int) -> list[tuple[int, int, str]]:
        if self._countries is None:
            self._countries = {}
        if si not in self._countries:
            s, e = self.sentences[si]
            words = [(m.start(), m.end()) for m in _WORDS.finditer(self.low, s, e)]
            self._countries[si] = COUNTRY_INDEX.find(self.low, words)
        return self._countries[si]

    @property
    def named_missions(self) -> list[tuple[int, int, str]]:
        """Mission mentions that name the subject, not a predecessor ('took over from SFOR')."""
        if self._named is None:
            self._named = [h for h in self.missions
                           if not _PREDECESSOR.search(self.low[max(0, h[0] - 25):h[0]])]
        return self._named

    @property
    def main_country(self) -> str | None:
        """The region country the article is most about (for a budget naming none)."""
        if self._main is None:
            words = [(m.start(), m.end()) for m in _WORDS.finditer(self.low)]
            t_words = [(m.start(), m.end()) for m in _WORDS.finditer(self.title_low)]
            region = [c[2] for c in COUNTRY_INDEX.find(self.low, words)
                      + COUNTRY_INDEX.find(self.title_low, t_words) if c[2] in REGION]
            self._main = max(set(region), key=region.count) if region else ""
        return self._main or None


def _nearest_before(hits, pos, lo):
    """The last hit that ends before `pos` and starts at or after `lo`."""
    best = None
    for h in hits:
        if h[1] <= pos and h[0] >= lo:
            best = h
        elif h[0] >= pos:
            break
    return best


def _first_after(hits, pos, hi):
    for h in hits:
        if h[0] >= pos and h[1] <= hi:
            return h
        if h[0] >= hi:
            break
    return None


_PREDECESSOR = re.compile(_alt(L.PREDECESSOR_BEFORE) + r"\s+(?:the\s+)?(?:nato\S*\s+)?$", FLAGS)


def _mission_for(ctx: _Context, pos: int, s_index: int) -> tuple[str | None, float]:
    """The mission a figure belongs to: named before it in the sentence, else after,
    else in the two sentences before, else in the title. 'took over from SFOR'
    names the predecessor, not the subject, and is passed over."""
    s_start, s_end = ctx.sentences[s_index]
    named = ctx.named_missions
    before = _nearest_before(named, pos, s_start)
    if before:
        return before[2], 1.0
    after = _first_after(named, pos, s_end)
    if after:
        return after[2], 0.9
    for back in (1, 2):
        if s_index - back < 0:
            break
        ps, pe = ctx.sentences[s_index - back]
        hit = _nearest_before(named, pe, ps)
        if hit:
            return hit[2], 0.7
    return ctx.title_mission, 0.5 if ctx.title_mission else 0.0


def _qualifier(before: str, plus: bool) -> str:
    if plus:
        return "lower"
    tail = before[-30:]
    for q, rx in _QUAL:
        if rx.search(tail):
            return q
    return "exact"


def _as_of(ctx: _Context, s_start: int, s_end: int, *, year_only: bool = False,
           skip: tuple[int, int] | None = None) -> tuple[str | None, bool]:
    """The date a figure refers to, and whether it came from the sentence itself.

    An explicit month and year or a year in the sentence wins (not a 'since
    2004', which dates something else); then 'last year' / 'next year';
    otherwise the article's own date.
    """
    sent = ctx.low[s_start:s_end]
    pub = ctx.published
    m = _MONTH_YEAR.search(sent)
    if m and not year_only:
        month = _month_of(m.group("m"))
        if month:
            return f"{m.group('y')}-{month:02d}", True
    for y in _YEAR.finditer(sent):
        at = s_start + y.start()
        if skip and skip[0] <= at < skip[1]:
            continue
        if _SINCE.search(sent[:y.start()]):
            continue
        year = y.group("y")
        if not year_only and pub and int(year) == pub.year:
            return pub.date().isoformat(), True
        return year, True
    for delta, rx in _RELATIVE:
        if rx.search(sent) and pub:
            return str(pub.year + delta), True
    if pub is None:
        return None, False
    return (str(pub.year) if year_only else pub.date().isoformat()), False


def _parse_number(m: re.Match, low: str) -> tuple[float, int, bool]:
    """(value, end offset including a scale word, whether a scale word was used)."""
    digits = _NON_DIGIT.sub("", m.group("int"))
    value = float(digits + ("." + m.group("dec") if m.group("dec") else ""))
    end = m.end()
    s = _SCALE_RX.match(low, end)
    if s:
        return value * _SCALE_NAMES[s.lastgroup], s.end(), True
    return value, end, False


def _currency(low: str, m: re.Match, end: int) -> tuple[str | None, int]:
    if m.group("sym"):
        return ("EUR" if "€" in m.group("sym") else "USD"), end
    c = _CURRENCY_RX.match(low, end)
    if c:
        return c.lastgroup, c.end()
    return None, end


def _cid(key: str, kind: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{key}|{kind}|{start}|{end}".encode()).hexdigest()[:16]


def extract(text: str, published: dt.datetime | None = None, title: str = "",
            offset: int = 0) -> list[Candidate]:
    """Candidates in `text`; start/end are offsets into text, plus `offset`."""
    latin, positions = L.transliterate(text)
    low = latin.lower()
    t_low = L.transliterate(title)[0].lower()
    t_missions = _missions(t_low)
    ctx = _Context(latin, low, published, _missions(low), sentences(latin),
                   t_missions[0][2] if t_missions else None, t_low)

    out: list[Candidate] = []
    for si, (s_start, s_end) in enumerate(ctx.sentences):
        if _DIGIT.search(low, s_start, s_end):  # figures and dates both need digits
            out += _figures(ctx, si)
            out += _events(ctx, si)

    def orig(i: int) -> int:
        return positions(i) if positions else i

    for c in out:
        # quotes were carried as sentence spans: cut them from the original text
        q_start, q_end = c.quote
        quote = text[orig(q_start):orig(q_end)].strip()
        if c.kind == "event" and len(quote) > 240:
            quote = quote[:239] + "…"
        c.quote = quote
        c.start, c.end = orig(c.start) + offset, orig(c.end) + offset
    return out


def _figures(ctx: _Context, si: int) -> list[Candidate]:
    s_start, s_end = ctx.sentences[si]
    low = ctx.low
    sent = low[s_start:s_end]
    quote = (s_start, s_end)
    found: list[Candidate] = []
    levels: list[tuple[Candidate, int]] = []
    deltas: list[tuple[float, str, int, int, str]] = []
    for m in _NUMBER.finditer(low, s_start, s_end):
        value, end, scaled = _parse_number(m, low)
        start = m.start() + (len(m.group("sym")) if m.group("sym") else 0)
        raw = m.group("int")
        is_year = (not scaled and not m.group("dec") and len(raw) == 4
                   and raw[:2] in ("19", "20"))
        after = low[end:min(end + 60, s_end)]
        before = low[max(s_start, start - 60):start]
        currency, cur_end = _currency(low, m, end)
        if currency and (scaled or m.group("sym") or value >= 1000):
            if not _BUDGET.search(sent) or "%" in low[end:end + 2]:
                continue
            inc_after = _DERIVE.match(low[cur_end:cur_end + 60])
            if inc_after:
                sign = 1 if inc_after.group("dir").lower() in ("more", "më shumë", "me shume",
                                                                "više", "vise") else -1
                deltas.append((value, currency, start, cur_end, "more" if sign > 0 else "less"))
                continue
            if _INC_AFTER.match(low[cur_end:cur_end + 25]) or _INC_BEFORE.search(before[-25:]):
                continue
            if _MULTIYEAR.search(sent):
                continue
            country = _budget_country(ctx, start, si)
            local = _LOCAL_YEAR.match(low, cur_end, min(cur_end + 20, s_end))
            if local:
                as_of, explicit = local.group("y"), True
            else:
                as_of, explicit = _as_of(ctx, s_start, s_end, year_only=True,
                                         skip=(start, cur_end))
            if _BUDGET_REQUEST.search(sent):
                continue  # a request or a draft is not an adopted budget
            conf = 0.85 if explicit else 0.6
            c = Candidate("defence_budget", None, country, None, as_of, round(value, 2),
                          currency, _qualifier(before, bool(m.group("plus"))), quote, start,
                          cur_end, round(conf, 2))
            found.append(c)
            levels.append((c, start))
            continue
        if is_year:
            continue
        troop = _troop_figure(ctx, si, m, start, end, value, before, after)
        if troop:
            found.append(troop)
    # "207.8 million in 2025, 54 million more than the year before" -> 2024: 153.8 million
    for value, currency, start, end, direction in deltas:
        level = next((c for c, at in reversed(levels) if at < start and c.unit == currency), None)
        if level and level.as_of and level.as_of.isdigit():
            previous = level.value - value if direction == "more" else level.value + value
            found.append(Candidate("defence_budget", None, level.contributor, None,
                                   str(int(level.as_of) - 1), round(previous, 2), currency,
                                   level.qualifier, quote, start, end,
                                   round(level.confidence - 0.2, 2)))
    return found


def _budget_country(ctx: _Context, pos: int, si: int) -> str | None:
    s_start, s_end = ctx.sentences[si]
    regional = [c for c in ctx.countries(si) if c[2] in REGION]
    hit = _nearest_before(regional, pos, s_start) or _first_after(regional, pos, s_end)
    return hit[2] if hit else ctx.main_country


def _troop_figure(ctx: _Context, si: int, m: re.Match, start: int, end: int, value: float,
                  before: str, after: str) -> Candidate | None:
    s_start, s_end = ctx.sentences[si]
    low = ctx.low
    sent = low[s_start:s_end]
    if value != int(value) or value < 1:
        return None
    strong = _STRONG.match(after)
    noun = strong or _TROOP_AFTER.match(after)
    of_which = None if noun else _OF_WHICH.search(before[-40:])
    if not noun and not of_which:
        return None
    if noun and _COUNT_AFTER.match(after) and not strong:
        count = _COUNT_AFTER.match(after)
        if count.end() <= noun.end():
            return None
    if _INC_BEFORE.search(before[-25:]) or _INC_AFTER.match(after[:25]):
        return None
    if _CAPACITY.search(before[-25:]):
        return None
    clause_end = after.find(",")
    clause = after if clause_end < 0 else after[:max(clause_end, 45)]
    if _NOT_PRESENCE.search(clause) or _CASUALTY.search(sent):
        return None
    if _FUTURE.search(sent[:start - s_start]):
        return None
    if _HISTORIC.search(low[max(s_start, start - 50):start]):
        return None  # "at its peak", "once had": a past level with no date to give it
    mission, m_conf = _mission_for(ctx, start, si)
    if _OWN_FORCES.search(sent) and not _nearest_before(ctx.missions, s_end, s_start):
        return None
    if mission is None:
        return None
    # Who sent them: a nationality right before the noun ("600 US troops"), a
    # country heading the clause ("Italy ... 1,258"), or the mission's total.
    contributor = "ALL"
    window_end = end + (noun.end() if noun else 0)
    inner = [c for c in ctx.countries(si) if end <= c[0] < window_end and c[2] not in ("XKX", "BIH")]
    total_word = _TOTAL.search(before[-30:])
    if inner:
        contributor = inner[0][2]
    elif not total_word:
        entities = sorted([c for c in ctx.countries(si) if c[2] not in ("XKX", "BIH")]
                          + ctx.missions)
        near = _nearest_before(entities, start, s_start)
        if near and near[2] in L.HOST and _PREPOSITION.search(low[max(s_start, near[0] - 10):
                                                                   near[0]]) \
                and not _RELATIVE_PRONOUN.search(low[near[1]:start]):
            # "Austria is the largest contributor to EUFOR, with 300": the mission is
            # an object; the subject heading the clause is the sending nation.
            subject = _nearest_before([e for e in entities if e[2] not in L.HOST],
                                      near[0], s_start)
            near = subject or near
        if near and near[2] not in L.HOST and not _CLAUSE_BREAK.search(low, near[1], start):
            contributor = near[2]
    kind = "troop_strength" if contributor == "ALL" else "troop_contribution"
    if _PRESENT.search(low[max(s_start, start - 40):start]) and ctx.published:
        as_of, explicit = ctx.published.date().isoformat(), False
    else:
        as_of, explicit = _as_of(ctx, s_start, s_end, skip=(start, end))
    conf = 0.5 + 0.3 * m_conf + (0.1 if noun and not of_which else 0.0)
    if explicit and as_of and ctx.published and not as_of.startswith(str(ctx.published.year)):
        conf -= 0.1  # a historic figure mentioned in passing
    return Candidate(kind, mission, None if contributor == "ALL" else contributor,
                     L.HOST.get(mission), as_of, int(value), "troops",
                     _qualifier(before, bool(m.group("plus"))),
                     (s_start, s_end), start, end, round(min(conf, 0.95), 2))


def _events(ctx: _Context, si: int) -> list[Candidate]:
    s_start, s_end = ctx.sentences[si]
    d = _day_month(ctx.low, s_start, s_end)
    if not d:
        return []
    sent = ctx.low[s_start:s_end]
    kind = next((k for k, rx in _EVENTS if rx.search(sent)), None)
    if not kind:
        return []
    d_start, d_end, day, month, year = d
    pub = ctx.published
    if not month or not 1 <= day <= 31:
        return []
    if year is None:
        if pub is None:
            return []
        year = pub.year - (1 if month > pub.month + 2 else 0)
    try:
        when = dt.date(int(year), month, day)
    except ValueError:
        return []
    date_at = d_start
    mission, m_conf = _mission_for(ctx, date_at, si)
    hosts = [c for c in ctx.countries(si) if c[2] in ("XKX", "BIH")]
    host_hit = _nearest_before(hosts, date_at, s_start) or _first_after(hosts, date_at, s_end)
    host = host_hit[2] if host_hit else L.HOST.get(mission) if mission else None
    if host is None or (mission is None and "nato" not in sent and " eu" not in sent):
        if host is None:
            return []
    if mission and L.HOST.get(mission) != host and host_hit:
        mission = None  # a visit to the other country than the mission's host
    return [Candidate("event", mission, None, host, when.isoformat(), None, None, "exact",
                      (s_start, s_end),
                      date_at, d_end, round(0.5 + 0.2 * m_conf, 2))]


def candidate_id(article_key: str, c: Candidate) -> str:
    return _cid(article_key, c.kind, c.start, c.end)
