"""The stages that turn a number into a candidate figure, or into a reason it is not one.

For each number in a unit (line or sentence): is it troops or money (the noun, the
currency, the list it stands in); is it a level (not a change, a plan, a share, a
count, casualties, another force, troops elsewhere); whose is it (mission and
contributing nation, or the budget's country); when (year anchoring). Every kept
candidate carries `why`, the rules that produced it; every dropped number a reason.

One module, though long: the rules read one article's state (the money carried from
the amount before, the last list item, the dates read per unit) in order, and splitting
them would pass that state through every call.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from functools import partial

from . import dates, lists
from . import semantics as S
from .context import HOSTS, LIFETIMES, NOT_CONTRIBUTORS, START, Document, Mention, mission_at
from .numbers import INFOBOX_LABEL, Amount, amounts, has_number_word
from .vocab import CONTINGENT_NAMES, COUNTRIES, FLAGS, HOST, OTHER_MISSION, REGION, WORDS, alternation

MIN_FORCE = 50           # no mission here ever counted fewer; a smaller "total" is a unit or a patrol
# The smallest and the largest whole force each mission had, as the published record
# (data/troops.csv, every figure sourced) holds them: KFOR 3,400 (2020-21) to 55,000
# (1999), EUFOR Althea 600 (2022) to 7,000 (2004), SFOR 7,000 (2004) to 35,000, IFOR
# 54,000 to 60,000. A "total" under three quarters of the smallest is a unit, a camp or a
# contingent whose nation the text left out; a nation's "contingent" over two fifths of
# the largest is the whole force (no nation ever sent so many: the US sent a third of
# IFOR). tests/test_extract_real.py keeps these in step with the record.
SMALLEST_FORCE = {"KFOR": 3400, "EUFOR-ALTHEA": 600, "SFOR": 7000, "IFOR": 54000}
LARGEST_FORCE = {"KFOR": 55000, "EUFOR-ALTHEA": 7000, "SFOR": 35000, "IFOR": 60000}
SMALLEST_SHARE = 0.75
LARGEST_NATION_SHARE = 0.4
NATION_MAX_TROOPS = max(LARGEST_FORCE.values()) * LARGEST_NATION_SHARE
MAX_TROOPS = 100_000     # IFOR's 60,000 was the largest; more is another army or a sum
# The least a Balkan state's defence budget has been in each currency (Kosovo's ministry,
# the smallest, had tens of millions of euros); less is a purchase, a fee or a line of it.
MIN_BUDGET = {"EUR": 1e7, "USD": 1e7, "CHF": 1e7, "GBP": 1e7, "BAM": 5e7, "HRK": 1e8,
              "RSD": 1e9, "ALL": 1e9, "MKD": 1e9}
FOREIGN_ONLY = {"CHF", "GBP"}  # currencies of contributors, never of a Balkan defence budget
CARRY_UNITS = 4          # a list's currency, year and unit reach this many units down
SUBJECT_REACH = 120      # "Austria ... with 300 soldiers": a subject this far back
OTHER_MONEY_REACH = 80   # "personnel costs - salaries, allowances ... 63 billion": the item names reach far
OTHER_FORCE_REACH = 60   # "the Armed Forces of Bosnia are currently lacking about 1 500"
OTHER_MONEY_AFTER = 40   # "60.2 billion dinars to be spent on buying equipment"
DEPLOY_AFTER_NEAR = 30   # a sending word this close after the number is its verb
DEPLOY_AFTER_REACH = 45  # ... and farther, one that ends the clause: "250 Soldaten ist im
                         # KFOR-Einsatz eingetroffen" (German puts the verb last)
POSSESSIVE_REACH = 24     # "its some 300 soldiers", "seinen rund 300 Soldaten"
SENTENCE_HEAD = 25        # "At the moment, ...": a word this close to a sentence's start heads it
RESTATE_REACH = 45       # "X dinars more than in 2023, or Y euros": Y restates X this close
RELATIVE_REACH = 60      # "this year's amended budget" dates the amount beside it, not the whole sentence
GDP_REACH = 15           # "GDP of 12 billion"; "1.85% of GDP in 2023 (EUR 274 million)" is the budget
START_REACH = 120        # "Ursprünglich beteiligten sich ... mit einer Truppenstärke von etwa 48.000"
PRESENT_REACH = 40       # "its current Stabilization Force of 12,000 troops"
HANDOVER_DAYS = 60       # how long after a force ended an article may still name it for its successor
PRESENT_CLAUSE = 90      # how far back "now" reaches within the number's clause
HEADING_CHARS = 100      # a heading or a list's lead line; longer is a sentence with its own subject
FAR_AFTER = 60           # a year this far after a troop number, past its clause, is another event's
NEXT_PART_REACH = 50     # "of which 180 in Bosnia and over 1,200": the next part this close after
NUMBER_OF_REACH = 100    # "the number of soldiers was reduced to settle at about 7,000"
RELATIVE_CLAUSE = 100    # how far a relative clause after an amount is read for what the money is for
SUM_REACH = 90           # "62 troops ... in the KFOR mission and the EUFOR operation": both named this close after
DATED_AFTER = 10         # "US$92m in 2019": a year this close after an amount is its own
HOST_AFTER = 25          # "180 in Bosnia and Herzegovina": the host named this close after the noun
NEVER_CONTRIBUTES = {"XKX", "BIH", "SRB"}  # hosts, and Serbia, which sent troops to neither
# Confidence: a base, and what each piece of evidence adds (a curator sorts by it).
BASE, NOUN_BONUS, NAMED_BONUS, DATED_BONUS = 0.5, 0.15, 0.15, 0.1
_DIGIT = re.compile(r"\d")
# after a number whose noun stood before it: punctuation, a date or a preposition, not a noun
NOTHING_AFTER = re.compile(r"\s*(?:[,.;:)\]–-]|$|\d|\(|(?:in|n[eë]|u|na|vo|v|sot|today|danas|now|tani|"
                           r"dhe|and|i|e|et|und|im|en|in|to|do|deri)(?!\w))", re.IGNORECASE)
_AFTER_A_NUMBER = re.compile(r"\d[\s\u00a0]?$")
_ITEM_END = re.compile(r"[,;:.)]")  # between a number and the next list item's country
_TWO_COLUMNS = re.compile(r"\d{1,3} \d{3}")  # "Germany 530 303": a number and the next column's
_NAME_BEFORE = re.compile(r"(?<!\w)[A-ZÀ-Ý][a-zà-ÿ]+ $")  # "Lyra 34": a capitalised word, then the number
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)]|$)")
_DOT_CAPITAL = re.compile(r"\.\s[A-ZÄÖÜ]")
# "das 38. deutsche Einsatzkontingent", "le 3ème contingent", "kontingjenti i 36-të"
_ORDINAL = re.compile(r"\.\s?[a-zà-ž]|[èe]me\b|i[èe]me\b|°|º|-t[eë]\b|-ti\b|-ta\b|(?:st|nd|rd|th)\b")
_FROM_AFTER_NOUN = re.compile(r"^\s*(?:[^\W\d_]+\s+)?(?:from|iz|nga|aus|de|da|dall\w*|dalla|dei|del|"
                              r"des|du|od|of the|of|t[eë])\s+$")
# "525 soldiers of the 12th Austrian contingent": the nation's adjective before its unit
_OF_CONTINGENT = re.compile(r"\s*(?:of|from|in|des|du|del|della|i|t[eë]|e)\s+(?:the\s+|its\s+)?"
                            r"(?:\d+\w*\s+|\w+\s+)?$")


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
    quote: str | tuple[int, int]
    start: int
    end: int
    confidence: float
    why: list[str] = field(default_factory=list)

    def to_json(self, source: str) -> dict:
        return {"source": source, **asdict(self)}


@dataclass
class MoneyContext:
    """The last defence money read: what the next sentence or list line inherits."""
    unit: int
    currency: str
    year: str | None
    status: str   # "level", or "draft" when it was a draft or plan (its parts are too)
    scale: float | None = None  # million or billion, for list items that omit it


@dataclass
class Dropped:
    """A number the extractor saw and did not propose, and why."""
    value: float | None
    start: int
    end: int
    text: str
    reason: str


class Reader:
    """One article: its document context and the state carried from unit to unit."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.found: list[Candidate] = []
        self.dropped: list[Dropped] = []
        self.table = lists.table_rows(doc)
        self.glued = lists.glued_rows(doc)
        for ui, row in self.glued.items():
            self.table[ui] = lists.Item(row.country, "a table row flattened into one line: the "
                                        "country's name, its cells, then its number", row.first)
        self.money_context: MoneyContext | None = None
        self.draft_years: set[str] = set()
        self._nation_counts: dict[str, bool] = {}
        self._has_troops: dict[int, bool] = {}
        self._may_count: dict[int, bool] = {}
        self._dates: dict[int, list] = {}
        self._relative: dict[int, tuple[int, str] | None] = {}
        self.last_troop_item = -10  # the unit of the last list item read as troops
        self.last_dated: tuple[int, str] | None = None  # (unit, as_of) of a dated troop figure
        self.planned_list: tuple[int, str] | None = None  # (unit, plan word) of a planned list item
        self.sent: dict[float, str] = {}  # troop numbers read as a unit sent or a change, and why
        self.last_money: tuple[int, int, str | None] | None = None  # (unit, end, why dropped)
        self._title_year: tuple[str, str] | tuple[()] | None = None  # read once (title_year)
        self._budget_country: dict[int, tuple[str | None, str]] = {}  # by amount start

    # ---- the run -----------------------------------------------------------------
    def run(self) -> None:
        doc = self.doc
        for ui, u in enumerate(doc.units):
            if not (doc.has_digit(ui) or has_number_word(doc.low, u.start, u.end)):
                continue
            levels: list[Candidate] = []
            row = self.glued.get(ui)
            found = amounts(doc.low, row.number_start, row.number_end, doc.dot_decimal,
                            glued=True) if row else amounts(doc.low, u.start, u.end, doc.dot_decimal)
            for a in found:
                reason = self.read(ui, a, levels)
                if reason:
                    self.drop(a, reason)
                    if reason.startswith(_SENT_REASONS) and not a.currency:
                        self.sent.setdefault(a.value, reason)
                if a.currency:
                    self.last_money = (ui, a.end, reason)

    def drop(self, a: Amount, reason: str) -> None:
        self.dropped.append(Dropped(a.value, a.start, a.end, self.doc.low[a.start:a.end], reason))

    def read(self, ui: int, a: Amount, levels: list[Candidate]) -> str | None:
        doc, u = self.doc, self.doc.units[ui]
        if a.too_long:
            return f"a number of {len(a.digits)} digits is not a figure"
        low = doc.low
        after = low[a.number_end:min(a.number_end + 80, u.end)]
        if S.PERCENT_HEAD.match(low, a.number_end, u.end):
            return "a share (percent), not an amount"
        if S.IDENTIFIER_TAIL.search(low, max(u.start, a.start - 24), a.start):
            return "a document's number ('resolution 1244'), not an amount"
        item = self.table.get(ui)
        if item and item.how == "column":
            return "another column of a table row"
        if a.currency or (a.scaled and self.carried_currency(ui)):
            return self.money(ui, a, levels, after)
        m = self.money_context
        if m and m.scale and ui - m.unit <= 1 and not a.scaled and not a.is_year \
                and not S.NOUN_HEAD.match(after) and (
                    lists.adjacent_country(doc, ui, a.start) or (
                        m.unit == ui and S.COMPARE_TAIL.search(low, max(u.start, a.start - 25),
                                                               a.start))):
            # the list's scale and currency, written once at its head; or the amount a bare
            # number is compared with ("160.9 billion dinars compared to 139.3")
            a.value *= m.scale
            a.scaled = True
            return self.money(ui, a, levels, after)
        if a.is_year and not S.NOUN_RIGHT_AFTER.match(after):
            return "a year"
        return self.troops(ui, a, after, item)

    # ---- money -------------------------------------------------------------------
    def carried_currency(self, ui: int) -> str | None:
        m = self.money_context
        return m.currency if m and ui - m.unit <= CARRY_UNITS else None

    def remember(self, ui: int, currency: str, year: str | None, status: str,
                 scale: float | None = None) -> None:
        old = self.money_context
        if scale is None and old and ui - old.unit <= 1:
            scale = old.scale
        self.money_context = MoneyContext(ui, currency, year, status, scale)

    def money(self, ui: int, a: Amount, levels: list[Candidate], after: str) -> str | None:
        doc, u, low = self.doc, self.doc.units[ui], self.doc.low
        head = a.head  # words before "€40m" end before the sign: "increase by €40m"
        last = self.last_money
        if last and last[0] == ui and last[2] and 0 <= head - last[1] <= RESTATE_REACH:
            gap = low[last[1]:head]
            if (S.RESTATED.fullmatch(gap) and "(" in gap) or S.RESTATED_TAIL.search(gap):
                # "10.26 billion dinars more than in 2023, or 87.5 million euros": the amount
                # before in another currency, and what that one was
                return f"the amount before, restated ({last[2]})"
        why = []
        before_here = self.money_context if self.money_context and \
            ui - self.money_context.unit <= 2 else None
        currency = a.currency
        carried = False
        if not currency:
            currency, carried = self.carried_currency(ui), True
            why.append(f"currency {currency} carried from an amount above")
        else:
            why.append(f"amount in {currency}")
        unit_text = low[u.start:u.end]
        too_small = a.value < MIN_BUDGET.get(currency, 1e7)
        too_large = a.value > S.MAX_BUDGET.get(currency, 1e12)
        defence = S.DEFENCE.search(unit_text) or (S.BUDGET.search(unit_text)
                                                  and S.DEFENCE.search(doc.title_low))
        heading = None
        if not defence and not carried:
            # the sentence before spoke of defence money: "... vojni proračun ... To bi bilo
            # više od plana za 2016., koji je iznosio 4,022 milijarde kuna"
            heading = None if before_here else self.money_heading(ui, a)
            # ... when this sentence only gives amounts: no plan, draft or change of its own
            spoken = not before_here and heading is None and self.defence_budget_before(ui) \
                and not (S.PLAN.search(unit_text) or S.DRAFT.search(unit_text)
                         or S.CHANGE_WORD.search(unit_text))
            if not before_here and heading is None and not spoken:
                return "money not tied to defence in its sentence"
            why.append("defence money: the sentence before speaks of it" if before_here or spoken
                       else "defence money: the list's heading speaks of it")
        year, year_how, explicit = self.budget_year(ui, a, before_here)
        heading_years = [w for w in self.dates_in(heading) if not w.since] \
            if heading is not None else []
        if heading_years and "in the sentence" not in year_how:
            year = str(heading_years[-1].year)
            year_how, explicit = f"year {year}: the list's heading", True
        self.remember(ui, currency, year, "level", _scale_of(a))
        if currency in FOREIGN_ONLY:
            # "48.9 million francs for up to 215 soldiers": what a contributor's contingent costs
            return f"money in {currency}, which no Balkan state budgets in (a contributor's cost)"
        if too_small:
            return "money too small to be a defence budget"
        if too_large:
            return "money too large to be a Balkan defence budget (an alliance's or a GDP)"
        gdp_before = S.near(S.GDP, low, max(u.start, a.start - GDP_REACH), a.start)
        if gdp_before and S.RESTATED.fullmatch(low, gdp_before.end(), a.start):
            gdp_before = None  # "1.67% of GDP, or EUR 80.19 million": the same money as an amount
        gdp = gdp_before or S.GDP.match(
            low, a.end, min(u.end, a.end + 25)) or re.match(r"\s*(?:of|të|od)?\s*(?:gdp|bdp|pbb|bpv)",
                                                            low[a.end:a.end + 12])
        if gdp:
            return "gross domestic product, not a budget"
        derive = S.DERIVE.match(low, a.end, u.end)
        approximate_change = S.qualifier(low, head, a.plus, False, "")[0] != "exact"
        if derive and not approximate_change:
            self.derived(ui, a, currency, derive, levels)
            return "a change against the year before (used to derive that year's level)"
        if derive:
            return "an approximate change against the year before"
        if S.DELTA_TAIL.search(low, max(u.start, head - 30), head) or \
                S.DELTA_HEAD.match(low, a.end, min(u.end, a.end + 25)):
            return "a change, not a level"
        clause_after = low.find(",", a.end, u.end)
        clause_after = u.end if clause_after < 0 else clause_after
        read_after = min(a.end + OTHER_MONEY_AFTER, clause_after)
        if clause_after < u.end and _RELATIVE_AFTER.match(low, clause_after + 1):
            # "186 million euros available, which we will spend at once on purchases": what
            # a relative clause right after the amount says it is for
            read_after = _clause_stop(low, clause_after + 1, min(u.end, clause_after + 1 + RELATIVE_CLAUSE))
        # after the amount, only its own clause: "1.36 billion euros, the finance ministry said"
        other = S.near(S.OTHER_MONEY, low, max(u.start, a.start - OTHER_MONEY_REACH),
                       min(u.end, read_after))
        if other and not (S.near(S.DEFENCE, low, other.end(), a.start) if other.end() <= a.start
                          else S.near(S.DEFENCE, low, a.end, other.start())) \
                and not self.spent_on_defence(a, other):
            return f"other money ({other.group()})"
        share = S.SHARE_THEN_AMOUNT.search(low, max(u.start, head - OTHER_MONEY_REACH), head)
        if share and not S.GDP.search(low, share.start(), share.end()):
            # a share of the budget restated as money is a part of it; a share of GDP
            # restated ("1.77 percent of GDP, that is about 220 million") is the budget
            return "the money of a share ('32% of the budget, or 106 million')"
        other_here = S.OTHER_MONEY.search(low, u.start, a.start)
        if other_here and not S.DEFENCE.search(unit_text) and \
                not self.spent_on_defence(a, other_here):
            # "The Health Ministry budget was cut ... from 5.3 billion": a sentence about
            # other money that never names defence (the title's defence does not make it so)
            return f"other money ({other_here.group()})"
        if S.PART_HEAD.match(low, a.end) or S.PART_TAIL.search(low, max(u.start, head - 25),
                                                                 head):
            return "a part of the amount before ('10.7 million of that amount')"
        topup = S.TOPUP.search(unit_text)
        if topup:
            return f"a top-up or supplementary budget ({topup.group()})"
        if S.MULTIYEAR.search(unit_text) and not self.dated_right_after(ui, a):
            # ("since joining NATO in 2017, ... from US$66m that year to US$92m in 2019":
            # each amount with its own year is that year's)
            return "a sum over several years"
        since = [w for w in self.dates_in(ui, u.start, a.start) if w.since
                 and S.SINCE_WORD.search(low, max(u.start, w.start - 12), w.start)]
        if since and not [w for w in self.dates_in(ui) if not w.since]:
            return f"a sum since {since[-1].year}, not one year's budget"
        if year is None:
            return "no year for the budget"
        pub = doc.published
        adopted = S.ADOPTED.search(unit_text)
        if adopted and S.FUTURE_TAIL.search(unit_text[:adopted.start()]):
            adopted = None  # "guidelines will be adopted tomorrow" is not adopted yet
        if adopted and S.DRAFT.match(unit_text, adopted.end() + 1, adopted.end() + 12) or (
                adopted and re.match(r"\s+(?:a|the|its)\s+(?:draft|proposal|bill)", unit_text[adopted.end():])):
            adopted = None  # "the government adopted a draft budget": the draft goes to parliament
        not_adopted = adopted and S.NEGATED.search(unit_text, max(0, adopted.start() - 16),
                                                  adopted.start())
        if not_adopted:
            return f"not adopted ('{not_adopted.group().strip()} {adopted.group()}'): a limit or plan"
        draft = S.DRAFT.search(unit_text)
        # "now" right before the amount, or heading its sentence ("At the moment, North
        # Macedonia sets aside 1.85% of GDP for defence, that is, in all, 274 million euros")
        now = S.PRESENT.search(low, max(u.start, head - 30), head) or _heads_now(low, u.start, head)
        if draft and now and u.start + draft.end() <= now.start():
            draft = None  # "we need an increased budget ..., more than the current budget of 42m"
        if draft and not adopted:
            self.remember(ui, currency, year, "draft")
            self.draft_years.add(year)  # the article's later parts of this year's draft
            return f"a draft, proposal or request ({draft.group()}), not an adopted budget"
        own_year = "in the sentence" in year_how or "'" in year_how
        if not now and ((before_here and before_here.status == "draft" and not own_year) or
                        (not own_year and year in self.draft_years)):
            self.remember(ui, currency, year, "draft")
            return "a part of the draft or plan in the sentence before"
        # a plan word counts in the amount's own clause: "the current budget is about 55
        # million, and it will grow in the coming years" plans the growth, not the 55
        clause_end = S.NEXT_CLAUSE.search(low, a.end, u.end)
        # ... but not in a parenthesis closed before the amount: "(spent less than the plan
        # again), the budget is 647 million"
        plan = next((m for m in S.PLAN.finditer(low, u.start, clause_end.start() if clause_end
                                                 else u.end)
                     if not _in_closed_aside(low, u.start, m.start(), a.start)), None)
        if pub and int(year) > pub.year + 1:
            self.remember(ui, currency, year, "draft")
            return f"a budget for {year}, years after the date line: a plan"
        if plan and ((pub and int(year) > pub.year) or not explicit) and not adopted:
            self.remember(ui, currency, year, "draft")
            return f"a plan ({plan.group()})"
        country, how = self.budget_country(ui, a)
        if country is None:
            return "no country for the budget"
        if country not in REGION:
            return f"a budget of a country outside the region ({country})"
        why += [how, year_how]
        q, q_words = S.qualifier(low, head, a.plus, a.upper is not None,
                                 low[a.number_end:a.number_end + S.NEAR])
        if q != "exact":
            why.append(f"qualifier {q}: '{q_words}'")
        conf = BASE + (DATED_BONUS if explicit else 0) + (NAMED_BONUS if "named" in how else 0)
        c = Candidate("defence_budget", None, country, None, year, round(a.value, 2), currency,
                      q, (u.start, u.end), a.start, a.end, round(min(conf, 0.95), 2),
                      ["defence money"] + why)
        self.found.append(c)
        levels.append(c)
        return None

    def present_clause_after(self, start: int, end: int) -> bool:
        """A later clause (after a comma) between `start` and the number says 'now'."""
        low = self.doc.low
        comma = low.find(", ", start, end)  # a clause's comma, not a thousands separator
        # "... will leave Bosnia is Turkey, which has a contingent of 350": a relative
        # clause after the plan has its own tense (its own plan word is found on its own)
        return comma >= 0 and (S.PRESENT.search(low, comma, end) is not None or
                               S.RELATIVE_PRONOUN.match(low, comma + 2) is not None)

    def placed_abroad(self, ui: int) -> str | None:
        """The country a sentence that names no host places its troops in ('u Poljskoj',
        'in Lithuania'): a country's name after 'in', not an adjective before a unit."""
        low, countries = self.doc.low, self.doc.countries(ui)
        if any(c.code in HOSTS for c in countries):
            return None
        for c in countries:
            if _LOCATIVE.search(low, max(0, c.start - 8), c.start) and not (
                    S.CONTINGENT.match(low, c.end + 1) or S.ANY_TROOP_NOUN.match(low, c.end + 1)
                    or S.OTHER_FORCES.match(low, c.end + 1)):
                return c.code
        return None

    def dated_right_after(self, ui: int, a: Amount) -> bool:
        """A year, or 'that year', written right after the amount ('US$92m in 2019')."""
        return _THAT_YEAR.match(self.doc.low, a.end) is not None or any(
            0 <= w.start - a.end <= DATED_AFTER for w in self.dates_in(ui) if not w.since)

    def defence_budget_before(self, ui: int) -> bool:
        """The sentence before names the defence budget and gives no amount of its own:
        "Kosovo's defence budget has been rising year by year. In 2021, 69 million euros were
        invested, in 2022, 97 million euros, ..." (its amounts come in the next sentence)."""
        if ui == 0:
            return False
        pu, low = self.doc.units[ui - 1], self.doc.low
        return bool(S.DEFENCE.search(low, pu.start, pu.end) and S.BUDGET.search(low, pu.start, pu.end)) \
            and not any(b.currency or b.scaled for b in amounts(low, pu.start, pu.end, self.doc.dot_decimal))

    def money_heading(self, ui: int, a: Amount) -> int | None:
        """The heading of a list of countries' money ('Military spending in the Balkans,
        2024' over 'Serbia — 2.32 billion dollars'): the first line above the list's items
        that is not an item, if it is short and names defence money."""
        doc, low = self.doc, self.doc.low
        if not (lists.adjacent_country(doc, ui, a.start) or
                _YEAR_ITEM.match(low, doc.units[ui].start, a.start)):
            return None
        for j in range(ui - 1, max(-1, ui - 2 * lists.TABLE_HEADER_REACH), -1):
            pu = doc.units[j]
            if not pu.first:
                continue  # a further sentence of an item's line
            named = doc.countries(j)
            if named and named[0].start - pu.start <= 2 or _YEAR_ITEM.match(low, pu.start, pu.end):
                continue  # another item of the list
            if pu.end - pu.start <= HEADING_CHARS and S.DEFENCE.search(low, pu.start, pu.end) \
                    and S.BUDGET.search(low, pu.start, pu.end):
                return j
            return None
        return None

    def spent_on_defence(self, a: Amount, other: re.Match) -> bool:
        """'The state budget for 2024 foresees USD 263 million on defence spending': other
        money named before the amount, and what the amount is for said right after it."""
        low = self.doc.low
        purpose = S.DEFENCE_PURPOSE.match(low, a.end)
        return other.end() <= a.start and purpose is not None and \
            S.DEFENCE.match(low, purpose.end()) is not None

    def derived(self, ui: int, a: Amount, currency: str, m: re.Match,
                levels: list[Candidate]) -> None:
        """'207.8 million in 2025, 54 million more than the year before' -> 2024: 153.8m."""
        level = next((c for c in reversed(levels) if c.unit == currency and c.start < a.start
                      and c.as_of and c.as_of.isdigit()), None)
        if not level:
            return
        sign = -1 if m.group("dir").lower() in ("more", "më shumë", "me shume", "više", "vise",
                                                 "mehr", "de plus") else 1
        value = level.value + sign * a.value
        u = self.doc.units[ui]
        self.found.append(Candidate(
            "defence_budget", None, level.contributor, None, str(int(level.as_of) - 1),
            round(value, 2), currency, level.qualifier, (u.start, u.end), a.start, a.end,
            round(level.confidence - 0.2, 2),
            [(f"derived: {level.value:,.0f} minus the stated change of {a.value:,.0f} "
             f"against the year before (a computed figure; check the source)")]))

    def budget_country(self, ui: int, a: Amount) -> tuple[str | None, str]:
        """The budget's country, read once per amount: an amount with no country since the
        one before takes that one's, so a line of many amounts asks back along the line."""
        if a.start not in self._budget_country:
            self._budget_country[a.start] = self._read_budget_country(ui, a)
        return self._budget_country[a.start]

    def _read_budget_country(self, ui: int, a: Amount) -> tuple[str | None, str]:
        doc = self.doc
        listed = lists.adjacent_country(doc, ui, a.start)
        if listed:
            return listed.code, f"country {listed.code}: the list item it stands against"
        found = doc.countries(ui)
        before = [c for c in found if c.end <= a.head]  # not the "US" of "US$66m"
        after = [c for c in found if c.start >= a.end]
        previous = [b for b in amounts(doc.low, doc.units[ui].start, a.start, doc.dot_decimal)
                    if not b.is_year]
        if previous:
            # "Albanija 198 miliona, Bosna i Hercegovina 183, Sjeverna Makedonija, koja je
            # ... – 151": each amount pairs with the countries since the one before it
            segment = [c for c in before if c.start >= previous[-1].end]
            if segment:
                return segment[0].code, f"country {segment[0].code}: named before it"
            if previous[-1].currency:
                # "Serbia ..., allocating 2.2 billion euros for defence in 2025, compared to
                # 1.5 billion euros in 2021": no country since the amount before, so its country
                code, how = self.budget_country(ui, previous[-1])
                if code:
                    return code, f"country {code}: the amount before it in the sentence"
        near = [c for c in before if a.start - c.end <= SUBJECT_REACH]
        if near:
            # "Serbia ... overtaking Croatia ..., spending $1.14bn": the sentence's subject,
            # unless a country stands right before the amount ("Croatia's 1.2 billion")
            pick = near[-1] if a.start - near[-1].end <= 25 else near[0]
            return pick.code, f"country {pick.code}: named before it"
        regional_after = [c for c in after if c.code in REGION]
        if regional_after:
            return regional_after[0].code, f"country {regional_after[0].code}: named after it"
        main = doc.main_country
        return main, f"country {main}: the region country the article names most"

    def budget_year(self, ui: int, a: Amount, before: MoneyContext | None
                    ) -> tuple[str | None, str, bool]:
        doc, u, low = self.doc, self.doc.units[ui], self.doc.low
        # a comparison's year right before the amount dates it: "više nego u 2018. (oko 4,5..."
        found = [w for w in self.dates_in(ui)
                 if (not w.since or 0 <= a.start - w.end <= 20)
                 and not (a.start <= w.start < a.end)]
        if found:
            # the year right after the amount ("... in 2025"), else the nearest before, else after
            # not across a comma: "në vitin 2012 buxheti ishte 38,128,678 euro, në vitin 2013
            # 34,500,743" gives 2013 to the next amount of the series
            after = [w for w in found if 0 <= w.start - a.end <= 20
                     and not S.NEXT_CLAUSE.search(low, a.end, w.start)
                     and "," not in low[a.end:w.start]]
            earlier = [w for w in found if w.end <= a.start]
            pub = doc.published
            if not after and not earlier and pub:
                # "this year's record allocations of over 2.2 billion euros, ..., the budget
                # for 2026": a relative year before the amount, not a year past its clause
                rel = dates.relative_year(low, u.start, a.start, pub.year,
                                          partial(self.stated_years, ui))
                if rel:
                    return str(rel[0]), f"year {rel[0]}: '{rel[1]}'", True
            stop = _clause_stop(low, a.end, min(u.end, a.end + RELATIVE_REACH))
            rel = dates.relative_year(low, a.end, stop, pub.year) if pub and not after else None
            at = low.find(rel[1], a.end, stop) if rel else -1
            if rel and (at < 0 or _COMPARED.search(low, a.end, at)):
                rel = None  # "... 400 million more than the previous year": the comparison's year
            if rel:
                # "For 2024, ... 153 million euros, with 207.8 million earmarked for the
                # current year": the relative year in the amount's own clause, after it
                return str(rel[0]), f"year {rel[0]}: '{rel[1]}' after it", True
            pick = after[0] if after else earlier[-1] if earlier else found[0]
            now = S.PRESENT.search(low, a.end, min(u.end, a.end + PRESENT_REACH))
            if pub and now and pick.year > pub.year and not after:
                # "will spend 9.4 billion in 2024, 40% more than the 6.7 billion Croatia
                # currently spends": the plan's year is not the current amount's
                return str(pub.year), f"year {pub.year}: the date line ('{now.group()}')", True
            return str(pick.year), f"year {pick.year}: in the sentence", True
        pub = doc.published
        reference = pub.year if pub else None
        if reference:
            # "this year's budget" in the sentence outranks a year in the title
            rel = dates.relative_year(low, max(u.start, a.start - RELATIVE_REACH), a.start,
                                      reference, partial(self.stated_years, ui))
            if rel:
                return str(rel[0]), f"year {rel[0]}: '{rel[1]}'", True
            # "currently 26 billion lekë" is the date line's year, whatever year the title
            # promises
            now = S.PRESENT.search(low, max(u.start, a.start - PRESENT_REACH), a.start) or (
                _heads_now(low, u.start, a.start)
                if not S.PLAN.search(low, u.start, a.start) else None)  # "Now, it will be"
            if now:
                return str(reference), f"year {reference}: the date line ('{now.group()}')", True
        titled = self.title_year()
        if titled:
            return titled[0], titled[1], True
        if before and before.year and ui - before.unit <= 1 and \
                lists.adjacent_country(doc, ui, a.start):
            return before.year, f"year {before.year}: the list's", True
        if reference:
            # "this year, when, after the rebalance (...), the budget is 647 million": a
            # relative year anywhere before the amount in its sentence, ahead of one above
            rel = dates.relative_year(low, max(u.start, a.start - RELATIVE_REACH),
                                      min(u.end, a.end + RELATIVE_REACH), reference,
                                      partial(self.stated_years, ui)) or \
                dates.relative_year(low, u.start, a.start, reference, partial(self.stated_years, ui))
            if rel:
                return str(rel[0]), f"year {rel[0]}: '{rel[1]}'", True
        # a year stated in a sentence above, newer than the amount the context comes from:
        # "As for last year, 2024, ...: Romania plans 20.5 billion ... Serbia - 2.2 billion"
        for back in range(1, CARRY_UNITS + 1):
            j = ui - back
            if j < 0 or (before and j <= before.unit):
                break
            pu = doc.units[j]
            ws = [w for w in self.dates_in(ui - back) if not w.since]
            framing = not any(not x.is_year for x in amounts(low, pu.start, pu.end, doc.dot_decimal))
            if ws and (before or lists.adjacent_country(doc, ui, a.start) or framing):
                return str(ws[-1].year), f"year {ws[-1].year}: a sentence above", True
        if before and before.year:
            return before.year, f"year {before.year}: carried from the amount before", False
        if reference:
            return str(reference), f"year {reference}: the date line", False
        return None, "", False

    # ---- troops ------------------------------------------------------------------
    def troops(self, ui: int, a: Amount, after: str, item: lists.Item | None) -> str | None:
        doc, u, low = self.doc, self.doc.units[ui], self.doc.low
        if a.value != int(a.value) or a.value < 1:
            return "not a whole number"
        if a.value <= 31 and dates.month_follows(low, a.number_end):
            return "the day of a date ('Sarajevo 27 feb 2025')"
        if _ORDINAL.match(doc.latin, a.number_end, a.number_end + 5) and not a.decimal:
            return "an ordinal ('the 38th contingent')"
        if _DOT_CAPITAL.match(doc.latin, a.number_end) and \
                S.ORDINAL_ARTICLE.search(low, max(u.start, a.start - 8), a.start) and \
                not dates.month_follows(low, a.number_end):
            return "an ordinal ('des 30. Kontingents')"
        if a.value > MAX_TROOPS and not _TWO_COLUMNS.fullmatch(low, a.start, a.number_end):
            # a phone number, an id or a sum: dropped before the costlier tests below
            return "too many troops for a Balkan mission (another force or a sum)"
        why: list[str] = []
        pre_start = max(u.start, a.start - S.CLAUSE)
        if S.STRONG.match(after) and _UNIT_AFTER.match(after, S.STRONG.match(after).end()):
            return "the size of a unit of the force ('90-strong company'), not the force"
        if S.STRONG.match(after):
            noun_end, why_noun = a.number_end + S.STRONG.match(after).end(), "'-strong'"
        elif S.MEMBER_UNIT.match(after):
            # "its 400-member contingent": the members of a unit are its troops
            noun_end, why_noun = a.number_end + S.MEMBER_UNIT.match(after).end(), "'-member' unit"
        elif S.MEMBER.match(after):
            return "a count ('-member', '-nation')"
        else:
            noun = S.NOUN_HEAD.match(after)
            count = S.COUNT_HEAD.match(after)
            if noun and re.match(r"[\s-]+contribut", after[noun.end():]):
                count = noun  # "19 troop contributing nations"
            if count and (not noun or count.end() <= noun.end()):
                return f"a count of something else ({count.group().strip()})"
            if noun:
                noun_end, why_noun = a.number_end + noun.end(), f"troop noun '{noun.group().strip()}'"
            else:
                noun_end, why_noun = a.number_end, ""
        if self.unit_may_count(ui):
            doc.countries(ui)  # read the unit's countries once: the later stages need them
        listed = None if item else lists.adjacent_country(self.doc, ui, a.start)
        if not why_noun:
            strength = S.STRENGTH_TAIL.search(low, pre_start, a.start) or \
                INFOBOX_LABEL.fullmatch(low, u.start, a.start)
            if not (item or listed or strength or ui - self.last_troop_item <= 2
                    or self.unit_may_count(ui) or (doc.missions_in(u.start, u.end)
                                                   and self.nation_right_after(ui, a))):
                # most numbers of an article stop here, before the costlier tests below
                return "no troop noun, strength word or list of troops"
            if item and self.table_is_troops(ui):
                why_noun = item.how
            elif strength:
                why_noun = f"strength word '{strength.group().strip()}'"
            elif listed and self.list_is_troops(ui):
                why_noun = "a list item in a list of troops"
                self.last_troop_item = ui
            elif ui - self.last_troop_item <= 2 and S.TOTAL_BEFORE.search(
                    low, max(u.start, a.start - 12), a.start):
                why_noun = "the total line of a list of troops"
            elif S.NOUN_TAIL.search(low, max(u.start, a.start - 45), a.start) and \
                    NOTHING_AFTER.match(after) and not self.designation(ui, a):
                why_noun = "troop noun just before it"
            elif S.OF_WHICH_TAIL.search(low, pre_start, a.start) and self.unit_has_troops(ui):
                why_noun = "a part ('of which') of a troop figure"
            elif self.number_of_troops_before(ui, a):
                why_noun = "'the number of troops' is its clause's subject ('the number of soldiers was cut to 7,000')"
            elif self.next_part(ui, a):
                why_noun = ("the next part of the same troop figure, after 'and' ('of which 180 "
                            "in Bosnia and over 1,200 in Kosovo')")
            elif self.paired_with_troops(ui, a):
                why_noun = "one end of a change in a sentence about troops ('from 6,500 to 2,500')"
            elif self.nation_right_after(ui, a) and (
                    self.unit_has_troops(ui) or self.doc.missions_in(u.start, u.end)):
                # "760 Français", "roughly 600 Americans deployed as part of KFOR"
                why_noun = "a nation named right after it in a sentence about troops ('760 Français')"
            elif self.series_item(ui, a):
                why_noun = ("the next dated item of a series of troop figures "
                            "('in 1999 the force was 33,000, in 2002 16,000')")
            elif S.OF_WHOM_HEAD.match(after) and self._troop_figure_before(ui, a):
                why_noun = "a part ('of whom') of the troop figure before it"
            elif self.elided_noun(ui, a, after):
                why_noun = ("the troop noun of the sentence's other figure, left out "
                            "('up to 500 soldiers, currently there are about 300')")
            elif a.word:
                return "a number word with no troop noun"
            else:
                return "no troop noun, strength word or list of troops"
        if a.word and not a.scaled and a.value < 10:
            return "a small number written in words ('one soldier'): an anecdote, not a figure"
        written = low[a.start:a.number_end]
        if a.value > NATION_MAX_TROOPS and (item or listed) and _TWO_COLUMNS.fullmatch(written):
            # "Germany 530 303", "Denmark 35 252": two columns of a table whose second name
            # was lost (no nation ever sent that many)
            a.value = float(written.split()[0])
            a.number_end = a.start + len(written.split()[0])
            why_noun += "; the second column's number, without its name, left out"
        why.append(why_noun)
        if a.value > MAX_TROOPS:
            return "too many troops for a Balkan mission (another force or a sum)"
        unit_text = low[u.start:u.end]
        pre = low[u.start:a.start]
        # what the number is -----------------------------------------------------
        # casualties within the number's own clause ("...4,500 troops; 30 were injured")
        c_start = max(low.rfind(";", u.start, a.start) + 1, u.start)
        c_end = low.find(";", noun_end, u.end)
        if S.CASUALTY.search(low, c_start, u.end if c_end < 0 else c_end):
            return "casualties"
        if S.CAPACITY.search(low, max(u.start, a.start - 30), a.start) or \
                S.CAPACITY.search(low, noun_end, min(u.end, noun_end + 20)):
            return "what a base can hold"
        generic = S.GENERIC.search(low, c_start, u.end if c_end < 0 else c_end)
        if generic:
            # "a battalion usually numbers 300 to 1,000 soldiers": what such a unit is, not a count
            return f"a typical size ('{generic.group()}'), not a figure"
        ceiling = S.CEILING.search(pre) or S.CEILING.search(low, noun_end, min(u.end, noun_end + 40))
        if ceiling:
            return f"a ceiling or authorised maximum ({ceiling.group()})"
        # "525 soldiers of the 12th contingent served in ...": one rotation, not a total
        if S.CUMULATIVE.search(unit_text) and not S.ROTATION.search(unit_text):
            return "all who served over the years"
        if S.DELTA_TAIL.search(low, max(u.start, a.start - 30), a.start) or \
                S.DELTA_HEAD.match(after):
            return "a change, not a level"
        plan = S.PLAN.search(low, max(u.start, a.start - S.PLAN_REACH), a.start)
        if plan:
            last_plan = None
            for last_plan in S.PLAN.finditer(low, plan.start(), a.start):  # noqa: B007
                pass
            if self.present_clause_after(last_plan.end(), a.start):
                plan = None  # "will send 700 more to the force, which until now had 3,800"
            elif _in_relative_aside(low, u.start, last_plan.start(), a.start):
                plan = None  # "The operation, which Romania will command, includes over 1,000"
        # "cut from 12,000 to 7,000", "scaled down to around 3,300 from 4,200": the end
        # that is the level at the article's date depends on whether the change is done
        change = S.change_role(low, u.start, u.end, a.start, a.number_end)
        present = S.PRESENT.search(low, max(u.start, a.start - PRESENT_REACH), a.start)
        if present and _DIGIT.search(low, present.end(), a.start):
            present = None  # "koje sada broje 5.800 vojnika, smanje na 1.500": the other number's now
        present = present or S.PRESENT.search(low, noun_end, min(u.end, noun_end + 15))
        own_year = [w for w in self.dates_in(ui, noun_end, min(u.end, noun_end + 15))
                     if not w.since]
        # a plan word after the number counts in its own clause only: "16,000 and by June
        # 2004 the force will be 7,000" plans the 7,000
        plan_end = min(u.end, noun_end + S.PLAN_AFTER_REACH)
        next_clause = S.NEXT_CLAUSE.search(low, noun_end, plan_end)
        # ... except after "16,000-strong": "the 16,000-strong force is to keep order" says
        # what the force of that size does
        planned = plan or ("strong" not in why_noun and S.PLAN_AFTER.search(
            low, noun_end, next_clause.start() if next_clause else plan_end))
        if change == "from" and not planned and not own_year and not present:
            return "the level before a change ('from A to B')"
        strong_now = "strong" in why_noun and re.search(r"(?:its|their|the)\s+$", low[max(u.start, a.start - 8):a.start])
        if change == "to" and planned and not strong_now:
            return f"the planned level of a change ({planned.group()})"
        # "of the 100 it now has, a rise to 150": a plan said after "now" is the later word
        present_first = present and plan and present.start() < plan.start()
        # "wird mit seinen 300 Soldaten ein Gebiet führen": what it will do, with what it has
        held_now = change is None and S.POSSESSIVE_TAIL.search(
            low, max(u.start, a.start - POSSESSIVE_REACH), a.start)
        if planned and change != "from" and (not present or present_first) and not strong_now \
                and not held_now:
            if listed or item:
                self.planned_list = (ui, planned.group())
            return f"a plan or future level ({planned.group()})"
        if (listed or item) and self.planned_list and self.planned_list[0] == ui and not present:
            # "Germany will send 8,000, Italy 2,000, Spain 1,200": the plan word stands
            # before the list's first item and covers the rest of the sentence's list
            return f"a plan: an item of a list whose first item is planned ({self.planned_list[1]})"
        # "the government will keep sending up to 600 soldiers", "up to 250 are foreseen":
        # a most-allowed number of troops to be sent or planned is a ceiling, not a level
        up_to = S.UP_TO.search(low, max(u.start, a.start - 14), a.start)
        if up_to and (S.DEPLOY.search(unit_text) or S.PLAN.search(unit_text)) and not item \
                and not listed:
            return f"a ceiling for troops to be sent or planned ('{up_to.group().strip()} …')"
        unit = S.UNIT_LABEL.search(low, max(u.start, a.start - 60), a.start)
        if unit and _DIGIT.search(low, unit.start(), a.start):
            unit = None  # "4 brigades, 34 nations and more than 17,000 peacekeepers": another item's
        if unit and not item and not listed:
            return f"the size of a unit of the force ('{unit.group().strip()}'), not the force"
        each = S.EACH.match(low, noun_end, min(u.end, noun_end + 12))
        if each:
            return f"the size of each of several units ('{each.group().strip()}'), not a total"
        deploy_before = S.DEPLOY.search(pre)
        if deploy_before and self.present_clause_after(u.start + deploy_before.end(), a.start):
            deploy_before = None  # the sending is another clause's; this one says "until now"
        # "NATO sent some 50,000 troops into Kosovo in June 1999": the deployment that
        # started a mission is its first strength, not a change
        at_start = any(w.iso() in START.values() for w in self.dates_in(ui))
        if deploy_before and not at_start and not item and not listed and change != "from" and \
                not S.TOTAL_TAIL.search(low, pre_start, a.start) and \
                not S.PRESENT.search(pre) and \
                not S.PRESENT.search(low, noun_end, _clause_stop(low, noun_end, min(u.end, noun_end + 15))):
            # ("to join the 80 soldiers already there" counts the ones there)
            return f"a unit sent, rotated or withdrawn ({deploy_before.group()}), a change"
        # a sending in the next clause is another number's ("450 soldiers, and sends 150 more")
        deploy_end = min(u.end, noun_end + DEPLOY_AFTER_REACH)
        deploy_clause = S.NEXT_CLAUSE.search(low, noun_end, deploy_end)
        deploy_after = S.DEPLOY.search(low, noun_end, deploy_clause.start() if deploy_clause else deploy_end)
        if deploy_after and deploy_after.start() - noun_end > DEPLOY_AFTER_NEAR and \
                not _CLAUSE_END.match(low, deploy_after.end()):
            deploy_after = None  # far after the number, only a verb that ends the clause
        if deploy_after and not item and not listed:
            return f"a unit sent, rotated or withdrawn ({deploy_after.group()}), a change"
        missions_here = doc.missions_in(u.start, u.end)
        other = S.OTHER_FORCES.search(low, max(u.start, a.start - OTHER_FORCE_REACH),
                                      min(u.end, noun_end + 30))
        # "the KSF has 2,500 soldiers" is another force; "the KSF ..., while KFOR has 4,500"
        # names the mission between the two and is not
        # "the Armed Forces of Hungary have deployed 160 soldiers ... as part of EUFOR"
        # names the mission just after and is a contingent
        if other and other.start() >= a.number_end and (
                S.OF_WHOM_HEAD.match(low, a.number_end, u.end) or
                S.OF_WHICH_TAIL.search(low, max(u.start, a.start - S.CLAUSE), a.start)):
            own_end = _ITEM_END.search(low, a.number_end, u.end)
            if any(a.number_end <= c.start < (own_end.start() if own_end else u.end)
                   for c in doc.countries(ui)):
                other = None  # "..., 700 of whom belong to the French armed forces": a nation's part
        if other and S.TASK_FOR_TAIL.search(low, max(u.start, other.start() - 8), other.start()):
            other = None  # "700 soldiers for police and security tasks": a task, not a force
        if other and other.start() >= a.number_end and any(
                c.code not in NOT_CONTRIBUTORS and abs(c.start - other.start()) <= 30
                for c in doc.countries(ui)) and any(
                0 <= m.start - noun_end <= 90 and m.code != OTHER_MISSION
                and not S.NEXT_CLAUSE.search(low, noun_end, m.start) for m in missions_here):
            # "91 members of the Slovenian Armed Forces stationed in Kosovo as part of KFOR":
            # a contributing nation's forces, serving in the mission
            other = None
        if other and not any(other.end() <= m.start and m.end <= a.start for m in missions_here) \
                and not (other.end() <= a.start and
                         any(0 <= m.start - noun_end <= 60
                             and not S.NEXT_CLAUSE.search(low, noun_end, m.start)
                             for m in missions_here)):
            return f"another force ({other.group()})"
        clause_end = low.find(",", noun_end, u.end)
        clause_end = u.end if clause_end < 0 else max(clause_end, noun_end + 45)
        elsewhere = S.ELSEWHERE.search(low, noun_end, min(clause_end, u.end)) or \
            S.ELSEWHERE.search(low, max(u.start, a.start - 25, low.rfind(",", 0, a.start)),
                               a.start)
        if elsewhere and not any(
                0 <= m.start - elsewhere.end() <= 60 and not _DIGIT.search(low, elsewhere.end(), m.start)
                and not S.OF_WHICH.search(low, elsewhere.end(), m.start)
                and m.code != OTHER_MISSION for m in missions_here):
            # "serving in the region with the contingent of the Kosovo Force": the mission
            # named next says which region ("across the globe, including in KFOR" does not)
            return f"troops elsewhere ({elsewhere.group()})"
        served = [m for m in missions_here if m.code in HOST and 0 <= m.start - noun_end <= SUM_REACH
                  and not _DIGIT.search(low, noun_end, m.start)]
        if len({m.code for m in served}) >= 2 and _CONJUNCTION.search(low, served[0].end, served[-1].start):
            # "62 Irish troops are serving as part of the KFOR mission in Kosovo and the EUFOR
            # operation in Bosnia": one number for two missions, neither's
            return f"a sum over two missions ({served[0].code} and {served[-1].code})"
        abroad = None if missions_here else self.placed_abroad(ui)
        if abroad:
            # "In the battlegroup in Poland the sixth Croatian contingent of 80 serves": the
            # sentence places its troops in another country and names no mission of ours
            return f"troops elsewhere (in {abroad})"
        # when ----------------------------------------------------------------------
        as_of, date_how, explicit = self.troop_date(ui, a, noun_end)
        if as_of is None:
            return "no date"
        if date_how == "historic":
            return "a past level with no date"
        if doc.published and as_of[:4].isdigit() and int(as_of[:4]) > doc.published.year:
            return f"a level for {as_of[:4]}, after the date line: a plan"
        why.append(date_how)
        # which mission -------------------------------------------------------------
        mission, mission_how, alias_nation = self.troop_mission(ui, a, noun_end, as_of)
        if mission is None:
            return "no mission in the text"
        if mission == OTHER_MISSION:
            return f"troops of {mission_how}, not a Balkan one"
        when = _date_of(as_of)
        ended = _END_OF.get(mission)
        if when and ended and (when - ended).days > HANDOVER_DAYS and not explicit:
            # "IFOR numbered about 60,000" in a 2024 article: history with no date of its own
            return f"a level of {mission}, which had ended, with no date of its own"
        if when and ended and 0 <= (when - ended).days <= HANDOVER_DAYS and not explicit:
            # a figure dated by the article just after the force it names had handed over
            # ("its 7,000 troops" the day after SFOR became EUFOR): its successor's. Long
            # after, "IFOR was 60,000 strong" is history, not the successor's size.
            successor = mission_at(HOST[mission], when)
            if successor and successor != mission:
                mission_how += f"; {mission} had ended by the date line: {successor}"
                mission = successor
        if when and as_of[:7] < START[mission][:len(as_of[:7])]:
            # "the EU force" of a 2000 article is not EUFOR Althea (2004): another force; a
            # November 1995 article's IFOR of 60,000 is the force planned, not yet there
            return f"{mission} did not exist yet in {as_of[:7]}: another force or a plan"
        why.append(mission_how)
        # whose ---------------------------------------------------------------------
        contributor, who_how = self.contributor(ui, a, noun_end, mission, item, listed,
                                                alias_nation)
        lead = self._troop_figure_before(ui, a) if "left out" in why_noun or "series" in why_noun \
            else None
        named_between = lead and any(lead.end <= c.start < a.start for c in doc.countries(ui)
                                     if c.code not in NEVER_CONTRIBUTES)
        if lead and lead.mission == mission and lead.contributor != contributor \
                and not named_between:
            # an item that borrows the lead figure's noun is that figure's series: same force
            contributor = lead.contributor
            who_how = (f"contributor {contributor}: the sentence's lead figure's" if contributor
                       else "the mission's total: like the sentence's lead figure")
        largest = LARGEST_FORCE.get(mission, MAX_TROOPS)
        if contributor and a.value > largest * LARGEST_NATION_SHARE:
            # "Italy sent troops to KFOR, which was 50,000 strong": the whole force
            contributor = None
            who_how = (f"the mission's total: more than any nation ever sent to {mission} "
                       f"(largest force {largest:,})")
        if not contributor and MIN_FORCE <= a.value < SMALLEST_FORCE.get(mission, 0) * SMALLEST_SHARE:
            # No whole force was ever that small: "Von 120 Mann, die das Bundesheer derzeit
            # bei EUFOR stellt" is the one nation its sentence names; "the 39th Infantry Group
            # consists of 218 personnel", naming none, is a unit
            part = S.OF_WHICH.search(low, a.number_end, u.end) or \
                _PARENTHESIS_PART.match(low, noun_end)  # "400 men, of whom 200 US", "(2.344 italiani)"
            nations = {c.code for c in doc.countries(ui) if c.code not in NEVER_CONTRIBUTES
                       and not (part and c.start >= part.start())}
            several = S.TOTAL_HINT.search(low, max(u.start, a.start - S.CLAUSE), min(u.end, noun_end + 40))
            if len(nations) != 1 or several:  # "2,200 soldiers from several NATO countries"
                return (f"too few for {mission}'s whole force (never under "
                        f"{SMALLEST_FORCE[mission]:,}): a unit or a contingent")
            contributor = nations.pop()
            who_how = (f"contributor {contributor}: the one nation its sentence names (too few "
                       f"for {mission}'s whole force, never under {SMALLEST_FORCE[mission]:,})")
        why.append(who_how)
        q, q_words = S.qualifier(low, a.start, a.plus, a.upper is not None, after)
        if q != "exact":
            why.append(f"qualifier {q}: '{q_words}'")
        conf = BASE + (NOUN_BONUS if "noun" in why_noun else 0) + \
            (NAMED_BONUS if "sentence" in mission_how else 0) + (DATED_BONUS if explicit else 0)
        kind = "troop_contribution" if contributor else "troop_strength"
        if not contributor and a.value < MIN_FORCE:
            return f"too few for a mission's whole force ({int(a.value)})"
        if a.value in self.sent and not explicit and not item and not listed and \
                S.DEFINITE_TAIL.search(low, max(u.start, a.start - 8), a.start):
            # "... has deployed some 350 troops to the mission. The 350 soldiers, from the
            # 65th infantry brigade, ...": the same number again, named as known, is the
            # same unit
            return f"the same number as a unit sent before ({self.sent[a.value]})"
        if explicit:
            self.last_dated = (ui, as_of)
        self.found.append(Candidate(kind, mission, contributor, HOST[mission], as_of,
                                    int(a.value), "troops", q, (u.start, u.end), a.start,
                                    a.number_end, round(min(conf, 0.95), 2), why))
        return None

    def unit_may_count(self, ui: int) -> bool:
        """Whether a sentence with no troop noun can still hold a troop figure: it names
        a contingent, or a mission and its size ('the Eufor force will see numbers drop')."""
        if ui not in self._may_count:
            u = self.doc.units[ui]
            low = self.doc.low
            self._may_count[ui] = self.unit_has_troops(ui) or bool(
                S.CONTINGENT.search(low, u.start, u.end)) or bool(
                self.doc.missions_in(u.start, u.end) and S.STRENGTH_WORD.search(low, u.start, u.end))
        return self._may_count[ui]

    def number_of_troops_before(self, ui: int, a: Amount) -> bool:
        """'le nombre de militaires a été réduit pour s'établir à environ 7 000 en juin 2004':
        the number of troops named before the number in its clause, no other number between,
        and a date of its own right after it (without one, "increase the number of soldiers
        to at least 100" is mostly a plan or a change)."""
        low, u = self.doc.low, self.doc.units[ui]
        if not any(0 <= w.start - a.number_end <= DATED_AFTER + 5 and not w.since
                   for w in self.dates_in(ui)):
            return False
        subject = None
        for subject in S.NUMBER_OF_TROOPS.finditer(low, max(u.start, a.start - NUMBER_OF_REACH), a.start):  # noqa: B007
            pass
        return subject is not None and not _DIGIT.search(low, subject.end(), a.start) and \
            not _STOP.search(low, subject.end(), a.start)

    def next_part(self, ui: int, a: Amount) -> bool:
        """A bare number joined by 'and' to the part ('of which') the sentence read just
        before it: 'di cui circa 180 in Bosnia Erzegovina e oltre 1.200 nel vicino Kosovo'."""
        lead = self._troop_figure_before(ui, a)
        if not (lead and lead.why and lead.why[0].startswith("a part ('of which')")):
            return False
        between = self.doc.low[lead.end:a.start]
        return len(between) <= NEXT_PART_REACH and not _STOP.search(between) and \
            _CONJUNCTION.search(between) is not None and not _DIGIT.search(between)

    def _troop_figure_before(self, ui: int, a: Amount) -> Candidate | None:
        """The sentence's last troop figure before this number, if any."""
        u = self.doc.units[ui]
        before = [c for c in self.found
                  if c.unit == "troops" and c.quote == (u.start, u.end) and c.end <= a.start]
        return before[-1] if before else None

    def series_item(self, ui: int, a: Amount) -> bool:
        """A bare number right after a date, in a sentence whose earlier figure was troops."""
        low = self.doc.low
        return any(0 <= a.start - w.end <= 3 and not low[w.end:a.start].strip(" ,:")
                   and w.month is None and S.IN_YEAR.search(low, max(0, w.start - 5), w.start)
                   for w in self.dates_in(ui)) and self._troop_figure_before(ui, a)

    def elided_noun(self, ui: int, a: Amount, after: str) -> bool:
        """A bare number closing its clause after a troop figure of the same sentence: the
        noun is not said twice ('was up to 500 soldiers, currently there are about 300')."""
        lead = self._troop_figure_before(ui, a)
        if not (lead and _CLAUSE_ENDS.match(after)):
            return False
        between = self.doc.low[lead.end:a.start]  # a clause of its own, with words in it
        return bool((_ASIDE_MARK.search(between) or S.NEXT_CLAUSE.search(between))
                    and re.search(r"[^\W\d_]{3}", between))

    def paired_with_troops(self, ui: int, a: Amount) -> bool:
        """'cut to under 2,000 from more than 2,300', 'out of today's 6,800': a number that
        is one end of a change, in a sentence that counts troops or names the force's size."""
        doc, u = self.doc, self.doc.units[ui]
        if not (S.change_role(doc.low, u.start, u.end, a.start, a.number_end) or
                S.OUT_OF_TAIL.search(doc.low, max(u.start, a.start - 25), a.start)):
            return False
        text = doc.low[u.start:u.end]
        return self.unit_has_troops(ui) or bool(S.CONTINGENT.search(text)) or bool(
            doc.missions_in(u.start, u.end) and S.STRENGTH_WORD.search(text))

    def mission_is_antecedent(self, ui: int, never: set[str]) -> bool:
        """The sentence names a mission and no contributing nation."""
        u = self.doc.units[ui]
        return bool(self.doc.missions_in(u.start, u.end)) and not any(
            c.code not in never for c in self.doc.countries(ui))

    def contingent_antecedent(self, ui: int, never: set[str]) -> str | None:
        """The nation whose contingent the sentence is about: it names a contingent and one
        contributing nation, and no number of its own or mission total ("reduce the size of
        the Irish contingent serving in KFOR"). A sentence that gave the contingent's number
        leaves the next one's numbers to be parts of it ("Priština (5 members)")."""
        u, low = self.doc.units[ui], self.doc.low
        if not S.CONTINGENT.search(low, u.start, u.end) or S.TOTAL.search(low, u.start, u.end):
            return None
        if any(not b.is_year for b in amounts(low, u.start, u.end, self.doc.dot_decimal)):
            return None
        nations = {c.code for c in self.doc.countries(ui) if c.code not in never}
        return nations.pop() if len(nations) == 1 else None

    def nation_counts_troops(self, nation: str) -> bool:
        """The article counts this nation's soldiers somewhere (not only its politics)."""
        if nation not in self._nation_counts:
            self._nation_counts[nation] = self._counts_troops(nation)
        return self._nation_counts[nation]

    def _counts_troops(self, nation: str) -> bool:
        for i, u in enumerate(self.doc.units):
            if any(c.code == nation for c in self.doc.countries(i)) and self.unit_has_troops(i) \
                    and re.search(r"\d", self.doc.low[u.start:u.end]):
                return True
        return False

    def nation_right_after(self, ui: int, a: Amount) -> bool:
        low, u = self.doc.low, self.doc.units[ui]
        return any(c[0] - a.number_end <= 3 and c[2] not in NEVER_CONTRIBUTES
                   and not _ITEM_END.search(low, a.number_end, c[0])
                   for c in COUNTRIES.find(low, a.number_end, min(u.end, a.number_end + 40))[:1])

    def dates_in(self, ui: int, start: int | None = None, end: int | None = None) -> list:
        """The dates of a unit (read once), or those that start within [start, end)."""
        if ui not in self._dates:
            u = self.doc.units[ui]
            self._dates[ui] = dates.mentions(self.doc.low, u.start, u.end)
        found = self._dates[ui]
        if start is None:
            return found
        return [w for w in found if start <= w.start and w.end <= end]

    def title_year(self) -> tuple[str, str] | None:
        """(year, why) the title gives the body's budget amounts that name none, read once:
        its one year ("… in 2019"), else its relative year ("next year's 100 million")."""
        if self._title_year is None:
            doc, found = self.doc, ()
            years = {w.year for w in dates.mentions(doc.title_low, 0, len(doc.title_low))
                     if not w.since}
            rel = doc.published and not years and dates.relative_year(
                doc.title_low, 0, len(doc.title_low), doc.published.year)
            if len(years) == 1:
                year = years.pop()
                found = (str(year), f"year {year}: in the title")
            elif rel:
                found = (str(rel[0]), f"year {rel[0]}: '{rel[1]}' in the title")
            self._title_year = found
        return self._title_year or None

    def designation(self, ui: int, a: Amount) -> bool:
        """Whether the number is a name's ('the crew of Lyra 34', 'a Leopard 2'): a
        capitalised word right before it that names no country, mission or total."""
        doc = self.doc
        word = _NAME_BEFORE.search(doc.latin, max(doc.units[ui].start, a.start - 30), a.start)
        if not word or S.TOTAL.fullmatch(doc.low, word.start(), word.end()):
            return False
        return not (COUNTRIES.find(doc.low, word.start(), word.end()) or
                    doc.missions_in(word.start(), word.end()))

    def stated_years(self, ui: int) -> list[tuple[int, int]]:
        """(end, year) of the years written in the unit and the two before it, in order:
        what "a year later" counts from."""
        return [(w.end, w.year) for j in range(max(0, ui - 2), ui + 1) for w in self.dates_in(j)]

    def unit_has_troops(self, ui: int) -> bool:
        if ui not in self._has_troops:
            u = self.doc.units[ui]
            self._has_troops[ui] = bool(S.ANY_TROOP_NOUN.search(self.doc.low, u.start, u.end))
        return self._has_troops[ui]

    def list_is_troops(self, ui: int) -> bool:
        """A list whose own sentence or the lines above it speak of troops, not money,
        or that continues a troop list of the line before."""
        if ui - self.last_troop_item <= 2:
            return True
        for back in range(CARRY_UNITS + 1):
            if ui - back < 0:
                break
            u = self.doc.units[ui - back]
            text = self.doc.low[u.start:u.end]
            if self.unit_has_troops(ui - back) or S.CONTINGENT.search(text) or \
                    self.doc.missions_in(u.start, u.end):
                return True
        return False

    def table_is_troops(self, ui: int) -> bool:
        """A table whose header (the lines above its first row) names troops."""
        item = self.table.get(ui)
        top = item.label if item and item.label >= 0 else ui
        for back in range(1, lists.TABLE_HEADER_REACH + 1):
            if top - back < 0:
                break
            if self.unit_has_troops(top - back):
                return True
        return False

    def troop_date(self, ui: int, a: Amount, noun_end: int) -> tuple[str | None, str, bool]:
        doc, u, low = self.doc, self.doc.units[ui], self.doc.low
        pub = doc.published
        next_number = _DIGIT.search(low, noun_end, min(u.end, noun_end + 25))
        after_end = next_number.start() if next_number else noun_end + 25
        # "now" anywhere in the number's own clause: "over 50,000 in 1999, today the force
        # counts about 3,500" dates the 3,500 by the date line, not by 1999
        clause = max(low.rfind(",", u.start, a.start), low.rfind(";", u.start, a.start))
        reach = min(a.start - 40, clause) if a.start - clause <= PRESENT_CLAUSE else a.start - 40
        present = S.PRESENT.search(low, max(u.start, reach), a.start) or \
            S.PRESENT.search(low, noun_end, min(u.end, after_end))
        start = S.START.search(low, max(u.start, a.start - START_REACH), a.start) or \
            S.START.search(low, noun_end, _clause_stop(low, noun_end, min(u.end, noun_end + 25)))
        # "the Dayton accords (1995)": a year in parentheses labels the name before it
        found = [w for w in self.dates_in(ui) if not w.since
                 and not (low[w.start - 1:w.start] == "(" and low[w.end:w.end + 1] == ")")]
        if present and pub:
            return pub.date().isoformat(), f"date: the date line ('{present.group()}')", False
        if start and (not found or a.start - start.end() <= 30):
            mission, _, _ = self.troop_mission(ui, a, noun_end, None)
            if mission in START:
                return START[mission], f"date: the start of {mission} ('{start.group()}')", True
        # a day's date far back in the sentence dates an event ("launched on 12 June 1999
        # ... and now has almost 4,500"), not the figure
        found = [w for w in found if not (w.end <= a.start and a.start - w.end > 60 and
                                          re.search(r"\d{1,2}\.?\s*$", low[max(0, w.start - 6):w.start]))]
        # a bare year far after the number, past its clause, dates something else: "...
        # 3,700 troops ..., in line with UN resolution 1244 of 1999" (a day's date there
        # still tells when the same troops did what the sentence says)
        found = [w for w in found if w.start < noun_end or w.start - noun_end <= FAR_AFTER
                 or w.month is not None or not S.NEXT_CLAUSE.search(low, noun_end, w.start)
                 and not re.search(r"[,;]", low[noun_end:w.start])]
        if found:
            # a year just after the number is its date, unless a number follows that
            # year: "the force was 33,000, in 2002 16,000" gives 2002 to 16,000
            near_after = [w for w in found if 0 <= w.start - noun_end <= 25
                          and not re.search(r"[).;]", low[noun_end:w.start])
                          and not _NUMBER_NEXT.match(low, w.end, min(u.end, w.end + 6))
                          and not S.NEXT_CLAUSE.search(low, noun_end, w.start)]
            before = [w for w in found if w.end <= a.start]
            # "in 2003 12,000": the year written right before the number is its own
            right_before = [w for w in before if a.start - w.end <= 3
                            and not low[w.end:a.start].strip(" ,:")]
            pick = right_before[-1] if right_before else near_after[0] if near_after else \
                before[-1] if before else found[0]
            if not right_before and len(found) > 1 and all(w.start >= noun_end for w in found) \
                    and S.change_role(low, u.start, u.end, a.start, a.number_end) == "to":
                # "cut from 700 to 320 between December 2010 and May 2011": the level a
                # change ends at is the level at the latest date the sentence gives it
                # ("to 190 in April 2018, then to 165 in October 2019": not past 165)
                own = [w for w in found if not any(
                    not b.is_year for b in amounts(low, noun_end, w.start, doc.dot_decimal))]
                pick = max(own or [pick], key=lambda w: w.iso())
            if pub and pick.year == pub.year and not pick.month:
                return pub.date().isoformat(), f"date: the date line (year {pick.year} named)", True
            return pick.iso(), f"date {pick.iso()}: in the sentence", True
        historic = S.HISTORIC.search(low, max(u.start, a.start - 50), a.start)
        if historic:
            # "On 10 February 1996 the rest of the contingent followed. It was then made up
            # of some 300 men": 'then' is the date the sentence before gives
            before = [w for w in self.dates_in(ui - 1) if not w.since] if ui > 0 else []
            if before:
                return (before[-1].iso(), f"date {before[-1].iso()}: the sentence before "
                        f"('{historic.group()}')", True)
            return "", "historic", False
        if pub:
            if ui not in self._relative:  # the same for every number of the unit
                self._relative[ui] = dates.relative_year(low, u.start, u.end, pub.year,
                                                         partial(self.stated_years, ui))
            rel = self._relative[ui]
            at = low.find(rel[1], u.start, u.end) if rel else -1
            if rel and at >= 0 and _in_relative_aside(low, u.start, at, a.start):
                rel = None  # "The mission, which Austria will lead next year, has 1,100": the aside's year
            if rel:
                return str(rel[0]), f"date {rel[0]}: '{rel[1]}'", True
        listed = self.table.get(ui) or lists.adjacent_country(doc, ui, a.start) or (
            ui - self.last_troop_item <= 2  # a list's total line, not a sentence of its own
            and doc.units[ui].end - doc.units[ui].start <= HEADING_CHARS)
        if listed and self.last_dated and ui - self.last_dated[0] <= 1:
            return self.last_dated[1], f"date {self.last_dated[1]}: the list's lead figure", True
        if (ui - 1 >= 0 and listed):
            for back in range(1, lists.TABLE_HEADER_REACH + 1):
                if ui - back < 0:
                    break
                pu = doc.units[ui - back]
                now = _heads_now(low, pu.start, pu.end)
                if now and pub and (ui - back) not in self.table:
                    # "Currently, KFOR counts about 4,686 soldiers\nItaly 1,258": the list's
                    # lead line says now; a year further up dates something else
                    return pub.date().isoformat(), f"date: the date line (the list's lead: '{now.group()}')", False
                if pu.end - pu.start > HEADING_CHARS:
                    continue
                ws = [w for w in self.dates_in(ui - back) if not w.since]
                if ws:
                    return ws[-1].iso(), f"date {ws[-1].iso()}: the list's heading", True
        if pub:
            return pub.date().isoformat(), "date: the date line", False
        return None, "", False

    def troop_mission(self, ui: int, a: Amount, noun_end: int,
                      as_of: str | None) -> tuple[str | None, str, str | None]:
        doc, u = self.doc, self.doc.units[ui]
        here = doc.missions_in(u.start, u.end)
        for m in here:
            if m.code.startswith("@"):
                mission, nation = CONTINGENT_NAMES[m.code[1:]]
                return mission, f"mission {mission}: '{doc.low[m.start:m.end]}'", nation
        when = _date_of(as_of) or (doc.published.date() if doc.published else None)
        host_after = next((c for c in doc.countries(ui) if c.code in HOSTS
                           and 0 <= c.start - noun_end <= HOST_AFTER
                           and _IN_PLACE.fullmatch(doc.low, noun_end, c.start)), None)
        if host_after and when and mission_at(host_after.code, when) and not any(
                noun_end <= m.start < host_after.start for m in here):
            # "1,400 ... of which about 180 in Bosnia and Herzegovina and over 1,200 in Kosovo,
            # in NATO's KFOR contingent": where these troops are, not the mission named last
            mission = mission_at(host_after.code, when)
            return mission, f"mission {mission}: the force in {host_after.code}, named right after it", None
        before = [m for m in here if m.end <= a.start]
        # "262 soldiers stationed there, seven fewer than in the EUFOR operation": the mission
        # after a comparison is the one compared with
        after = [m for m in here if m.start >= a.end and not _COMPARED_WITH.search(doc.low, a.end, m.start)]
        placed = next((m for m in after if m.code != OTHER_MISSION and
                       _IN_MISSION.fullmatch(doc.low, noun_end, m.start)), None)
        if placed and before:
            # "350 in NATO's KFOR mission and nearly 150 in the EU-managed EUFOR ALTHEA
            # mission": the mission the number is said to be in, not the one named before
            return placed.code, f"mission {placed.code}: named right after it ('in …')", None
        close_after = [m for m in after if m.start - noun_end <= 35]
        if before and not (close_after and a.start - before[-1].end > 40):
            m = before[-1]
            if m.code == OTHER_MISSION:
                return OTHER_MISSION, f"another mission: '{doc.low[m.start:m.end]}'", None
            host_between = [c for c in doc.countries(ui) if c.code in ("XKX", "BIH")
                            and m.end <= c.start < a.start and c.code != HOST[m.code]]
            if host_between and when and mission_at(host_between[-1].code, when):
                other = mission_at(host_between[-1].code, when)
                return other, f"mission {other}: the force in {host_between[-1].code}", None
            return m.code, f"mission {m.code}: named in the sentence", None
        if after:
            if after[0].code == OTHER_MISSION:
                return OTHER_MISSION, f"another mission: '{doc.low[after[0].start:after[0].end]}'", None
            return after[0].code, f"mission {after[0].code}: named in the sentence", None
        carried, how = doc.carried_mission(a.start)
        if carried == OTHER_MISSION:
            return OTHER_MISSION, f"another mission: {how}", None
        hosts = [c for c in doc.countries(ui) if c.code in ("XKX", "BIH")
                 and not (c.start > a.end and _COMPARED_WITH.search(doc.low, a.end, c.start))]
        if hosts:
            host = hosts[0].code
            if carried and HOST[carried] == host:
                return carried, f"mission {carried}: {how}", None
            if when:
                mission = mission_at(host, when)
                if mission:
                    return mission, f"mission {mission}: the force in {host} at that date", None
        if carried:
            return carried, f"mission {carried}: {how}", None
        host = doc.main_country
        force = S.PEACE_FORCE.search(doc.low, u.start, u.end)
        if force and host in HOSTS and when and mission_at(host, when):
            # "the 16,000-strong NATO-led peacekeeping force" in an article about Kosovo
            # that never names KFOR
            mission = mission_at(host, when)
            return mission, (f"mission {mission}: '{force.group()}' in {host}, the country "
                             f"the article is about"), None
        return None, "", None

    def contributor(self, ui: int, a: Amount, noun_end: int, mission: str,
                    item: lists.Item | None, listed: Mention | None,
                    alias_nation: str | None) -> tuple[str | None, str]:
        doc, u, low = self.doc, self.doc.units[ui], self.doc.low
        never = NEVER_CONTRIBUTES | {HOST[mission]}
        here = doc.missions_in(u.start, u.end)  # the unit's missions, looked up once
        if alias_nation:
            return alias_nation, f"contributor {alias_nation}: the contingent's name"
        if item:
            if item.country is None:
                return None, "the mission's total: the table's total row"
            if item.country not in never:
                return item.country, f"contributor {item.country}: {item.how}"
        if listed and listed.code not in never:
            return listed.code, f"contributor {listed.code}: the list item it stands against"
        countries = [c for c in doc.countries(ui) if c.code not in never]
        of_whom = S.OF_WHOM_HEAD.match(low, a.number_end, u.end)
        part = S.OF_WHICH_TAIL.search(low, max(u.start, a.start - S.CLAUSE), a.start)
        if of_whom or part:
            # "3,400 soldiers, 500 of whom belong to the Italian armed forces", "6 000
            # soldats, dont 700 appartiennent à l'armée française": the nation the part's
            # own clause names
            begin = of_whom.end() if of_whom else a.number_end
            stop = _ITEM_END.search(low, begin, u.end)
            named = [c for c in countries if begin <= c.start < (stop.start() if stop else u.end)]
            if named:
                return named[0].code, f"contributor {named[0].code}: the part's own clause names it"
        # "760 Français", "300 italienische Soldaten"; not "1.200, Belgija s 1.100", where
        # a comma closes the number's list item and the next country starts its own
        inner = [c for c in countries if a.number_end <= c.start < max(noun_end, a.number_end + 3)
                 and not _ITEM_END.search(low, a.number_end, c.start)]
        if inner:
            return inner[0].code, f"contributor {inner[0].code}: in the noun ('{low[inner[0].start:inner[0].end]}')"
        if any(a.number_end <= m.start < noun_end for m in here):
            return None, "the mission's total: the mission named in the noun"
        force = S.PEACE_FORCE.search(low, noun_end, _clause_stop(low, noun_end, min(u.end, noun_end + 40))) \
            if S.STRONG.match(low, a.number_end) else None
        if force:
            # "the 16,000-strong NATO-led peacekeeping force": the force of that size
            return None, f"the mission's total: a '-strong' '{force.group()}'"
        if noun_end > a.number_end and any(
                _OF_MISSION.fullmatch(low, noun_end, m.start)
                for m in here if noun_end <= m.start < noun_end + 12):
            # "among the 4,000 members of KFOR": the force's members are all of it
            return None, "the mission's total: its members ('of the mission')"
        # "460 ushtarë amerikanë", "300 militari italiani": the nation's adjective after the noun
        post = [c for c in countries if noun_end > a.number_end and 0 < c.start - noun_end <= 2
                and not low[noun_end:c.start].strip()]
        if post:
            return post[0].code, f"contributor {post[0].code}: the adjective after the noun"
        for c in countries:
            if noun_end <= c.start <= noun_end + 30 and _FROM_AFTER_NOUN.match(low[noun_end:c.start]):
                return c.code, f"contributor {c.code}: 'from {low[c.start:c.end]}'"
            if noun_end <= c.start <= noun_end + 30 and _OF_CONTINGENT.fullmatch(
                    low, noun_end, c.start) and S.CONTINGENT.match(low, c.end + 1, c.end + 40):
                return c.code, f"contributor {c.code}: 'of the {low[c.start:c.end]} contingent'"
        whole = [b for b in amounts(low, u.start, part.start(), doc.dot_decimal)
                 if not b.is_year] if part else []
        own_clause = _ITEM_END.search(low, a.number_end, u.end)
        own_end = own_clause.start() if own_clause else u.end
        if whole and any(a.number_end <= m.start < own_end for m in here):
            # "700 Hungarian soldiers serve abroad, including 350 in KFOR": a part of a
            # nation's whole in a mission is that nation's, named with the whole (not "515
            # German soldiers, among them 140 reservists")
            owners = {c.code for c in countries if whole[-1].start <= c.start < part.start()}
            if len(owners) == 1:
                owner = owners.pop()
                return owner, f"contributor {owner}: a part ('{part.group().strip()}') of its whole"
        total = S.TOTAL_TAIL.search(low, max(u.start, a.start - 30), a.start)
        if total and _OUT_OF.search(low, max(u.start, total.start() - 12), total.start()):
            # "290 German soldiers out of a total of 4,800 KFOR troops": the whole of which
            # the number before is a part
            return None, "the mission's total: the whole of a part before it ('out of a total')"
        if total:
            # "Italy has in total 1,258": the nation heading the clause owns the total
            owner = [c for c in countries if c.end <= total.start()
                     and not re.search(r"\d", low[c.end:total.start()])
                     and (total.start() - c.end <= 12 or
                          S.MOST.search(low, c.end, total.start()))
                     # "... in KFOR, which in total counts 3,526": the relative clause's total
                     and not S.RELATIVE_PRONOUN.search(low, c.end, total.start())]
            if owner:
                return owner[-1].code, f"contributor {owner[-1].code}: the clause's subject"
            return None, "the mission's total: 'total'"
        # "(dont 6000 Français), 13.000 militaires": a nation written right after another
        # number is that number's, not the subject of this one
        # "Italy is the second largest contingent after the United States, with about 600":
        # the nation it ranks after is a comparison, not the subject
        entities = sorted([c for c in countries if c.end <= a.start
                           and not _AFTER_A_NUMBER.search(low, max(u.start, c.start - 6), c.start)
                           and not S.RANKED_AFTER.search(low, max(u.start, c.start - 16), c.start)] +
                          [m for m in here if m.end <= a.start
                           and m.code != OTHER_MISSION])
        if _FRONTED_WITH.fullmatch(low, u.start, a.head):
            # "With about 500 troops, Romania is the largest troop contributor": the number
            # heads the sentence; its owner is the subject after it, before any other number
            stop = _DIGIT.search(low, noun_end, u.end)
            subject = next((c for c in countries if noun_end <= c.start < (stop.start() if stop else u.end)), None)
            if subject:
                return subject.code, f"contributor {subject.code}: the subject after 'with …' heading the sentence"
        contingent = S.CONTINGENT.search(low, max(u.start, a.start - SUBJECT_REACH), a.start) or \
            S.CONTINGENT.search(low, a.number_end, _clause_stop(low, a.number_end, min(u.end, noun_end + 60)))
        multinational = S.TOTAL_HINT.search(low, max(u.start, a.start - S.CLAUSE), min(u.end, noun_end + 40))
        if contingent:
            nations = [c for c in countries if c.end <= a.start and a.start - c.end <= SUBJECT_REACH
                       and not S.RANKED_AFTER.search(low, max(u.start, c.start - 16), c.start)]
            if nations:
                return nations[-1].code, f"contributor {nations[-1].code}: its '{contingent.group()}'"
            # "Mit rund 350 Soldaten stellt Österreich das größte Kontingent": the subject
            # after the verb
            after = [c for c in countries if a.number_end <= c.start < contingent.start()]
            if after and contingent.start() > a.number_end:
                return after[0].code, f"contributor {after[0].code}: its '{contingent.group()}'"
            # ("2,200 soldiers from several NATO countries" are no one nation's; "the 220-strong
            # unit, part of the multinational Kosovo force" is, the word naming the mission)
            whole = multinational and not any(0 <= m.start - multinational.end() <= 3 for m in here)
            if doc.main_nation and doc.main_nation not in never and not whole:
                return doc.main_nation, (f"contributor {doc.main_nation}: the '{contingent.group()}' "
                                         f"of the nation the article is about")
        listed_missions = [e for e in entities if e.code in HOST]
        if listed_missions and entities[-1] is listed_missions[-1] and \
                _MISSION_WITH.fullmatch(low, listed_missions[-1].end, a.start):
            # "Ireland's commitments are UNIFIL, with 350 personnel, and KFOR, in Kosovo,
            # with 202": a list of missions, each with the number the sentence's nation sends
            senders = [e for e in entities if e.code not in HOST and not e.code.startswith("@")]
            if not senders and not countries and ui > 0:
                # the list goes on from a sentence about the nation ("Ireland contributes
                # 730 personnel to 19 missions. The main ones are UNMIL, with 403, ...")
                senders = [c for c in doc.countries(ui - 1) if c.code not in never]
            if senders:
                return senders[0].code, f"contributor {senders[0].code}: the nation whose missions are listed"
        if multinational:
            return None, "the mission's total: a multinational whole"
        if entities and not S.OF_WHICH_TAIL.search(low, max(u.start, a.start - S.CLAUSE), a.start):
            between = [b for b in amounts(low, entities[-1].end, a.start, doc.dot_decimal) if not b.is_year]
            # "Austrija učestvuje u KFOR-u sa 418 vojnika, a u BiH je prisutna sa 193": a host
            # or a mission named after the other number moves to another force; the subject
            # carries on
            moved = between and (doc.missions_in(between[-1].end, a.start) or any(
                c.code in ("XKX", "BIH") and between[-1].end <= c.start < a.start
                for c in doc.countries(ui)))
            # "French troops, 6,900 in 1995, were cut to 1,500": the other end of the same
            # change is the same nation's, not a sign that this number is someone else's
            same_change = between and S.change_role(low, u.start, u.end, a.start,
                                                    a.number_end) == "to"
            if between and not moved and not same_change:
                return None, "the mission's total: the nation before it has its own number"
        if _PARENTHESIS_PART.match(low, noun_end) and any(
                noun_end < c.start < low.find(")", noun_end, u.end) for c in countries):
            # "con circa 3.000 uomini (2.344 italiani)": the nation in the parenthesis owns
            # the part written there, not the number before it
            return None, "the mission's total: a nation's part follows in parentheses"
        title_nations = {c.code for c in doc.title_countries()} - never \
            if not entities and not here else set()
        nation = doc.main_nation if title_nations else None
        if nation and not entities and ui > 0 and self.mission_is_antecedent(ui - 1, never):
            # "... the KFOR became a deterrent presence. It went from 13,000 to 10,000 men":
            # the sentence before names the force and no nation, so "it" is the force
            return None, "the mission's total: the force the sentence before is about"
        if nation and nation in title_nations and self.nation_counts_troops(nation):
            return nation, (f"contributor {nation}: the nation the article is about "
                            f"(named in the title; the sentence names no mission)")
        if not entities and ui > 0 and not S.TOTAL.search(low, u.start, u.end):
            # "... to reduce the size of the Irish contingent serving in KFOR. The number of
            # troops will be reduced from the current level of 240": the same contingent
            nation = self.contingent_antecedent(ui - 1, never)
            if nation:
                return nation, f"contributor {nation}: the contingent the sentence before is about"
        if not entities:
            return None, "the mission's total: no nation named with it"
        nearest = entities[-1]
        if nearest.code in HOST or nearest.code.startswith("@"):
            # "Austria is the largest contributor to EUFOR, with 300": the mission is an
            # object; the nation heading the clause is the sender.
            if _PREPOSITION.search(low, max(u.start, nearest.start - 12), nearest.start):
                subject = [e for e in entities if e.code not in HOST and e.end <= nearest.start
                           and not e.code.startswith("@")]
                if subject and not re.search(r"[;:]", low[subject[-1].end:a.start]):
                    return subject[-1].code, f"contributor {subject[-1].code}: the clause's subject"
            owner = [e for e in entities if e.end <= nearest.start and e.code not in HOST
                     and not e.code.startswith("@")]
            if owner and S.GENITIVE_GAP.fullmatch(low, owner[-1].end, nearest.start):
                # "ABD'nin KFOR bünyesinde 600 askerle": the nation's part of the mission
                return owner[-1].code, (f"contributor {owner[-1].code}: the nation whose part "
                                        f"of the mission it is")
            return None, "the mission's total: the mission heads the clause"
        if a.start - nearest.end > SUBJECT_REACH or re.search(r"[;:]", low[nearest.end:a.start]):
            return None, "the mission's total: no nation close to it"
        return nearest.code, f"contributor {nearest.code}: the clause's subject"


_STOP = re.compile(r"[.;:]")
# a number heading its sentence in a 'with' phrase: "With about 500 troops, Romania is ..."
_FRONTED_WITH = re.compile(r"[\s\"“„«'(]*(?:" + lists.WITH + r")\s+(?:[^\W\d]+\s+){0,2}", FLAGS)
# "in", "u", "në": where troops are; a country after it places them (lexicon: in_place)
_IN = alternation(WORDS["in_place"])
_LOCATIVE = re.compile(r"(?<!\w)" + _IN + r"\s+$", FLAGS)
_PARENTHESIS_PART = re.compile(r"\s*\(\s*(?:[^\W\d]+\s+){0,2}\d")
_RELATIVE_AFTER = re.compile(r"\s*" + S.RELATIVE_PRONOUN.pattern, FLAGS)
# "than", "nego": what follows is what the number is compared with (lexicon: than)
_COMPARED_WITH = re.compile(r"(?<!\w)" + alternation(WORDS["than"]) + r"(?!\w)", FLAGS)
_OUT_OF = re.compile(r"(?<!\w)(?:out of|of|od|nga|von|sur|su|de|iz)\s+(?:a\s+|the\s+|un\s+)?$")
# between an amount and a relative year that is not the amount's: "more than last year",
# "compared to", "up from"
_COMPARED = re.compile(r"(?<!\w)" + alternation(WORDS["than"] + WORDS["compare"] + WORDS["from_words"])
                       + r"(?!\w)", FLAGS)
_THAT_YEAR = re.compile(r"\s+(?:that|the same) year\b|\s+(?:te|iste) godine\b|\s+(?:at[eë]|t[eë] nj[eë]jtin) vit\b")
_CONJUNCTION = re.compile(r"(?<!\w)" + alternation(WORDS["conjunction"]) + r"(?!\w)", FLAGS)
_CLAUSE_ENDS = re.compile(r"\s*(?:[,.;)–—]|$)")  # a dash closes an aside: "– désormais 3600 –"
# a line of a year series: "• 2000: 4.768 bln HRK", "2019 – 54 milionë"
_YEAR_ITEM = re.compile(r"[\s•*·-]*(?:19|20)\d{2}\s*[:–—-]\s*")
_END_OF = {mission: end for mission, _, _, end in LIFETIMES if end.year < 2100}
_NUMBER_NEXT = re.compile(r"[\s,:]*\d")
_PREPOSITION = re.compile(r"(?:^|\s)(?:to|in|within|of|for|with|u|na|n[eë]|t[eë]|at|zu|im|in der|bei|bei der|beim|"
                          r"au|à la|dans|nella|nel|alla|de la|du|de l['’]|della|dell['’]|des)"
                          r"\s*(?:the\s+)?(?:nato\S*\s+)?$", re.IGNORECASE)


def _heads_now(low: str, start: int, end: int) -> re.Match | None:
    """A "now" that heads the sentence starting at `start` ("At the moment, …")."""
    return S.PRESENT.search(low, start, min(end, start + SENTENCE_HEAD))


def _in_relative_aside(low: str, start: int, at: int, amount: int) -> bool:
    """Whether `at` stands in a relative clause set off by commas (', which …,') that opens
    after `start` and closes before `amount`: its tense is its own."""
    opened = low.rfind(", ", start, at)
    return opened >= 0 and S.RELATIVE_PRONOUN.match(low, opened + 2) is not None and \
        low.find(", ", at, amount) >= 0


def _in_closed_aside(low: str, start: int, at: int, amount: int) -> bool:
    """Whether `at` stands in a parenthesis that opens after `start` and closes before
    `amount`."""
    opened = low.rfind("(", start, at)
    return opened > low.rfind(")", start, at) and low.find(")", at, amount) >= 0


# the reasons that make a troop number a unit sent or a change, not a level (a planned
# level is not among them: "will be cut to 10,000 ... now has 10,000" is the plan done)
_SENT_REASONS = ("a unit sent", "a change")


def _clause_stop(low: str, start: int, end: int) -> int:
    """Where the clause that runs on from `start` stops before `end` (a comma or semicolon)."""
    stop = _CLAUSE_MARK.search(low, start, end)
    return stop.start() if stop else end


_CLAUSE_MARK = re.compile(r"[,;]")
_ASIDE_MARK = re.compile(r"[,;–—]")  # a comma, semicolon or dash between two clauses
# "KFOR, in Kosovo, with 202", "EUFOR, the EU-led operation in Bosnia, with 54": a mission, an
# aside, then "with" and its number
_MISSION_WITH = re.compile(r"[\s,]*(?:[^\W\d][^,;:.\d]{0,60},\s*)?"
                           + lists.WITH + r"\s+(?:\w+\s+)?")
# a unit word after "-strong" ("90-köpfige Infanteriekompanie", "a 150-strong company")
_UNIT_AFTER = re.compile(r"[\s-]*(?:" + alternation(WORDS["unit_label"]) + r")(?!\w)", FLAGS)
# between a number (or its noun) and the host named as where those troops are
_IN_PLACE = re.compile(r"\s*" + _IN + r"\s+(?:[^\W\d]+\s+)?", FLAGS)
_IN_MISSION = re.compile(r"\s*(?:" + _IN + "|" + lists.WITH + r")\s+(?:the\s+)?(?:[^\W\d][\w'’-]*\s+){0,2}",
                         FLAGS)
_OF_MISSION = re.compile(r"\s+(?:of|of the|t[eë]|e|i|od|des|du|de la|della|del|der|des)\s+")


def _scale_of(a: Amount) -> float | None:
    """The scale word's factor in an amount ('198 miliona' -> 1e6), if it had one."""
    if not a.scaled or not a.digits:
        return None
    written = float(a.digits)
    for scale in (1e9, 1e6, 1e3):
        if written and 0.999 <= a.value / (written * scale) * (10 ** a.digits_decimals) <= 1.001:
            return scale
    return None


def _date_of(as_of: str | None) -> dt.date | None:
    if not as_of:
        return None
    try:
        parts = [int(p) for p in as_of.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
