"""What a number is: the words around it that make it a level, a change, a plan, a
share, a count, a casualty figure or somebody else's force. Each test returns the
reason it vetoes a number (shown to the curator by `presence extract --explain`),
or None. Windows are in characters of the lowered text.
"""
from __future__ import annotations

import re

from .vocab import FLAGS, WORDS, alternation, head, tail, words

NEAR = 30        # "about", "more than": the qualifier sits right before the number
CLAUSE = 60      # how far back a word of the same clause reaches
PLAN_REACH = 120  # "will be cut from 12,000 to 7,000 by June": the verb can be far back

QUALIFIER_TAILS = [(q, tail(q, r"[\s(]*")) for q in ("lower", "upper", "approx")]
LOWER_AFTER = head("lower_after", r"") if WORDS.get("lower_after") else None
TROOP_NOUN = alternation(WORDS["troop_nouns"] + [r"\w+soldat\w*", r"\w*truppen\b"])
# Whether a sentence names troops at all: the German compounds (Berufssoldaten,
# Schutztruppen) sought as parts of words, not by backtracking over every word's letters
ANY_TROOP_NOUN = re.compile(r"(?<!\w)" + alternation(WORDS["troop_nouns"]) + r"(?!\w)|"
                            r"soldat|truppen(?!\w)", FLAGS)
NOUN_RIGHT_AFTER = re.compile(r"\s+" + TROOP_NOUN + r"(?!\w)", FLAGS)
NOUN_HEAD = re.compile(r"(?:['’]\w{1,4})?(?:\s+\w{1,4}['’]\w{1,4})?[\s-]*(?:(?:[^\W\d][\w.'’-]*)\s+){0,3}?"
                       + TROOP_NOUN + r"(?!\w)", FLAGS)
STRONG = re.compile(r"[\s-]?(?:strong|starke?n?|köpfig\w*|mann starke?\w*)\b", FLAGS)
MEMBER = re.compile(r"-(?:member|nation|country|state|year|day|month)\b", FLAGS)
MEMBER_UNIT = re.compile(r"-(?:member|strong|man)\s+(?:\w+\s+)?(?:contingent|force|unit|detachment|company|battalion|team)\b", FLAGS)
COUNT_HEAD = re.compile(r"(?:['’]\w{1,4})?[\s-]*(?:\w+\s+)?" + alternation(WORDS["count_nouns"])
                        + r"(?!\w)", FLAGS)
PERCENT_HEAD = re.compile(r"\s*(?:%|" + alternation(WORDS["percent"]) + r")", FLAGS)
# one word may stand between ("strength of 4,500"), not a conjunction: "100 personnel and 4
# helicopters" joins another count to the troops
STRENGTH_TAIL = tail("strength_before", r"[\s:(]*(?:(?!" + alternation(WORDS["conjunction"]) + r"\s)\w+\s+)?")
# the troop noun before the number, a few short words between: "trupave nga rreth 50,000"
NOUN_TAIL = re.compile(r"(?<!\w)" + TROOP_NOUN + r"(?:\s+[^\W\d]{1,8}){0,3}\s+$", FLAGS)
# compounds too: Einsatzkontingent, KFOR-Kontingent
CONTINGENT = re.compile(r"(?:kontingent\w*|(?<!\w)" + alternation(WORDS["contingent"]) + ")", FLAGS)
TOTAL = words("total")
POSSESSIVE_TAIL = tail("possessive", r"\s+(?:(?:" + alternation(WORDS["approx"]) + r")\s+)?")
TASK_FOR_TAIL = tail("task_for", r"\s+")
DEFINITE_TAIL = tail("definite", r"\s+")
TOTAL_TAIL = re.compile(r"(?<!\w)" + alternation(WORDS["total"]) + r"\W+(?:\w+\W+){0,3}$", FLAGS)
OF_WHICH = words("of_which")
OF_WHICH_TAIL = tail("of_which", r"[\s,]*(?:\w+\s+){0,3}")
DELTA_TAIL = re.compile(r"(?<!\w)" + alternation(WORDS["delta_before"])
                        + r"\s*(?:of\s+|od\s+|prej\s+|me\s+)?(?:" + alternation(
                            WORDS["approx"] + WORDS["upper"] + WORDS["lower"]) + r"\s+)?$", FLAGS)
DELTA_HEAD = re.compile(r"(?:['’]\w{1,4})?[\s-]*(?:\w+\s+){0,2}" + alternation(WORDS["delta_after"])
                        + r"(?!\w)", FLAGS)
PLAN = words("plan")
DRAFT = words("draft")
MULTIYEAR = words("multiyear")
OTHER_MONEY = words("other_money")
# "160.9 billion dinars compared to 139.3": the bare number shares the amount's unit
COMPARE_TAIL = tail("compare", r"\s*(?:the\s+|this\s+)?")
# "10.7 million of that amount": a part of the amount before, not a level
# "This sum also includes 2.5 billion of ...": a part of the amount before
PART_TAIL = re.compile(r"(?<!\w)(?:(?:also |which )?includ\w*|uklju[cč]uje\w*|obuhvata|p[eë]rfshi\w*|"
                       r"enth[aä]lt|comprend|comprende|i[cç]erir)\s+(?:\w+\s+)?$", FLAGS)
PART_HEAD = re.compile(r"\s+(?:of (?:that|this|the) (?:amount|sum|total|budget)|of it\b|"
                       r"od (?:tog|toga|tog iznosa|te sume|tog bud[zž]eta)|"
                       r"nga (?:kjo|ajo|k[eë]to|ato) (?:shum|mjete)\w*|davon|dont)", FLAGS)
# "USD 263 million on defence spending": what the money is for, said right after it
DEFENCE_PURPOSE = re.compile(r"\s*(?:on|for|to|into|za|na|p[eë]r|f[uü]r|pour|per)\s+(?:the\s+)?"
                             r"(?=\S)", FLAGS)
OTHER_FORCES = words("other_forces")
ELSEWHERE = words("elsewhere")
CASUALTY = words("casualty")
CAPACITY = words("capacity")
GENERIC = words("generic")
CEILING = words("ceiling")
CUMULATIVE = words("cumulative")
DEPLOY = words("deploy")
HISTORIC = words("historic")
START = words("start")
PRESENT = words("present")
GDP = words("gdp")
BUDGET = words("budget")
DEFENCE = words("defence")
ADOPTED = re.compile(r"(?<!\w)(?:adopted|approved|passed|usvoj\w*|usvoen\w*|usvojen\w*|izglasa\w*|"
                     r"donesen\w*|miratua\w*|miratoi|miraton|verabschiedet|beschlossen|"
                     r"adopt[eé]\w*|approvat\w*|kabul edil\w*)", FLAGS)
FUTURE_TAIL = re.compile(r"(?<!\w)(?:will be|to be|[cć]e biti|bi[cć]e|do t[eë] (?:jet[eë]|\w+)|wird|"
                         r"soll\w*|sera|sar[aà]|kje bide)\s+$", FLAGS)
DERIVE = re.compile(r"\s*(?P<dir>more|less|m[eë] shum[eë]|m[eë] pak|vi[sš]e|manje|mehr|weniger|"
                    r"de plus|de moins)\s+(?:than|se|nego|od|als)\s+(?:the\s+|in\s+)?"
                    r"(?:previous year|last year|year before|a year earlier|vitin e kaluar|"
                    r"vitit t[eë] kaluar|vitin paraprak|prethodne godine|pro[sš]le godine|lani|"
                    r"im vorjahr|l'an dernier)", FLAGS)


def qualifier(low: str, start: int, plus: bool, ranged: bool, after: str) -> tuple[str, str]:
    """(qualifier, the words that set it)."""
    if plus:
        return "lower", "'+' after the number"
    if ranged:
        return "lower", "a range: its lower bound"
    before = low[max(0, start - NEAR):start]
    for name, rx in QUALIFIER_TAILS:
        m = rx.search(before)
        if m:
            return name, m.group().strip()
    if LOWER_AFTER:
        m = LOWER_AFTER.match(after)
        if m:
            return "lower", m.group().strip()
    return "exact", ""


def near(rx: re.Pattern, low: str, start: int, end: int) -> re.Match | None:
    return rx.search(low, max(0, start), max(0, end))

# A plan said after the number: "100 soldiers ... soll abgezogen werden", "50,000 troops
# are expected to take part".
PLAN_AFTER = re.compile(r"(?<!\w)(?:" + alternation(WORDS["plan_after"]) + r")(?!\w)", FLAGS)
PLAN_AFTER_REACH = 50
# Most a Balkan state's defence budget can be in each currency (a trillion dinars is
# 8.5 billion euros; Serbia's 2025 budget, the region's largest, is about 2 billion euros:
# 5 billion euros or more is a whole state budget or an alliance's).
MAX_BUDGET = {"EUR": 5e9, "USD": 5e9, "CHF": 5e9, "GBP": 5e9, "RSD": 1e12, "ALL": 1e12,
              "MKD": 1e11, "BAM": 5e9, "HRK": 5e10}
TOPUP = re.compile(r"(?<!\w)(?:supplementary budget|additional funds|extra funding|top-?up|"
                   r"buxhet\w* shtes[eë]|mjete shtes[eë]|dodatn\w* sredstv\w*|dodatn\w* bud[zž]et\w*|"
                   r"nachtragshaushalt\w*|zus[aä]tzlich\w* mittel|rallonge|"
                   # money moved from other lines into defence: a reallocation, not the budget
                   r"redirect\w*|reallocat\w*|preusmer\w*|preraspore[dđ]\w*|rialokim\w*|ridrejt\w*|"
                   r"umgeschichtet|umschicht\w*|r[eé]affect\w*)", FLAGS)

_FROM = alternation(WORDS["from_words"] + [r"out of"])
_TO = alternation(WORDS["to_words"])
_QUAL = alternation(WORDS["approx"] + WORDS["upper"] + WORDS["lower"] + [
    r"today'?s?", r"its", r"the", r"a", r"current", r"present", r"sada[sš]nj\w*",
    r"dana[sš]nj\w*", r"trenutn\w*", r"aktuel\w*", r"aktual\w*", r"derzeitig\w*",
    r"actuel\w*", r"attual\w*", r"sadašnj\w*"])
_FROM_BEFORE = re.compile(r"(?<!\w)" + _FROM + r"\s+(?:(?:" + _QUAL + r")\s+){0,2}$", FLAGS)
_TO_BEFORE = re.compile(r"(?<!\w)" + _TO + r"\s+(?:(?:" + _QUAL + r")\s+){0,2}$", FLAGS)
_NUMBER_NEAR = re.compile(r"\d")
PAIR_REACH = 45  # the other end of "from A to B" stands this close
# words that make a figure the whole multinational force, not one nation's share
TOTAL_HINT = words("multinational")
PEACE_FORCE = words("peace_force")
NUMBER_OF_TROOPS = re.compile(r"(?<!\w)" + alternation(WORDS["number_of"]) + r"\s+(?:[^\W\d]+\s+){0,2}?"
                              + TROOP_NOUN + r"(?!\w)", FLAGS)
CHANGE_WORD = words("delta_after")  # "increase", "more", "shtesë": a change named anywhere
ORDINAL_ARTICLE = tail("ordinal_article", r"\s+")
GENITIVE_GAP = re.compile(r"(?:" + alternation(WORDS["genitive_suffix"]) + r")\s+", FLAGS)


def change_role(low: str, start: int, end: int, at: int, number_end: int) -> str | None:
    """'from' or 'to' when the number is one end of a change written 'from A to B' or
    'to B from A' (either order), else None."""
    before = low[max(start, at - 25):at]
    if _FROM_BEFORE.search(before):
        near = low[max(start, at - PAIR_REACH):at] + " " + low[number_end:min(end, number_end + PAIR_REACH)]
        if re.search(r"(?<!\w)" + _TO + r"\s+(?:\S+\s+){0,2}?\d", near, FLAGS):
            return "from"
    if _TO_BEFORE.search(before):
        near = low[max(start, at - PAIR_REACH):at] + " " + low[number_end:min(end, number_end + PAIR_REACH)]
        if re.search(r"(?<!\w)" + _FROM + r"\s+(?:\S+\s+){0,2}?\d", near, FLAGS) or \
                re.search(r"\d[\d.,]*\s+\w+\s+" + _TO, low[max(start, at - PAIR_REACH):at], FLAGS):
            return "to"
    return None
OUT_OF_TAIL = re.compile(r"(?<!\w)(?:out of|of|od|nga|von|sur)\s+(?:today'?s?|the|current|its|"
                         r"sadašnjih|dana[sš]njih|aktuelnih)\s+$", FLAGS)
STRENGTH_WORD = re.compile(r"(?<!\w)(?:numbers?|strength|troop levels?|size|broj\w*|brojno\w*|"
                           r"numr\w*|effectifs?|st[aä]rke|truppenst[aä]rke|jačin\w*)", FLAGS)
# "over 32 percent of the defence budget for 2025, or over 106 million euros": the amount
# restates a share of the budget, it is not the budget
SHARE_THEN_AMOUNT = re.compile(r"\d\s*(?:%|" + alternation(WORDS["percent"]) + r")\s+(?:of|od|nga|e|t[eë]|"
                               r"des|del|von|der)\s[^.;]*?(?:,\s*|\s)(?:or|ili|apo|odnosno|that is|i\.e\.|"
                               r"oder|soit|ossia|ose)\s+(?:\w+\s+)?$", FLAGS)
SINCE_WORD = re.compile(r"(?<!\w)(?:since|od|q[eë] nga|nga|seit|depuis|dal|dalla|yılından beri)\s*$",
                        FLAGS)
TOTAL_BEFORE = re.compile(r"(?<!\w)(?:total|ukupno|gjithsej|gesamt|insgesamt|toplam|totale|vkupno)"
                          r"\s*:?\s*$", FLAGS)


# Words the reader's rules look for (figures.py), one lexicon category each, so a new
# language adds them in its module like every other word.
def _alt(category: str) -> str:
    return alternation(WORDS.get(category) or [r"(?!x)x"])


# "the government will keep sending up to 600 soldiers": a ceiling for troops to be sent
UP_TO = tail("up_to", r"\s+")
# "300 soldiers each": the size of each of several units
EACH = re.compile(r"\s*" + _alt("each") + r"(?!\w)", FLAGS)
# "Italy has the most soldiers in KFOR, 1,258 in total": the nation with the most owns it
MOST = re.compile(r"(?<!\w)" + _alt("most") + r"(?!\w)", FLAGS)
# "... in KFOR, which in total counts 3,526": a relative clause gives the total to the mission
RELATIVE_PRONOUN = re.compile(r"(?<!\w)" + _alt("relative_pronoun") + r"(?!\w)", FLAGS)
# "1.67% of GDP, or EUR 80.19 million", "2.01 percent of GDP (around 139 million euros)"
RESTATED = re.compile(r"[\s,(]*" + f"(?:{_alt('restated')})?" + r"[\s:]*(?:" + _alt("approx")
                      + r"\s+)?(?:€|\$|eur|usd)?\s*", FLAGS)
# "... more than in 2023, or about 87.5 million euros": the words before a restated amount
RESTATED_TAIL = re.compile(r"(?<!\w)(?:" + _alt("restated") + r")[\s:]*(?:(?:" + _alt("approx")
                           + r")\s+)?(?:€|\$|eur|usd)?\s*$", FLAGS)
# "Multinational Task Force (North) – about 1,300", "a battle group of 750": a unit's size
UNIT_LABEL = re.compile(r"(?<!\w)" + _alt("unit_label") + r"(?!\w)[^.;:]{0,30}?[\s:–—-]+(?:"
                        + _alt("approx") + r")?\s*$", FLAGS)
# "525 soldiers of the 12th contingent": one rotation
ROTATION = re.compile(r"\d+(?:st|nd|rd|th|\.|-?ti|-?i)?\s+(?:\w+\s+)?" + _alt("rotation"), FLAGS)
# "in 1999 the force was 33,000, in 2002 16,000": the preposition before a series' year
IN_YEAR = tail("in_year", r"\s+")
# where the number's clause ends: a semicolon, or a conjunction that starts another
NEXT_CLAUSE = re.compile(r"[;]|,?\s" + _alt("conjunction") + r"\s", FLAGS)
# "the second largest contingent after the United States": a comparison, not the subject
RANKED_AFTER = re.compile(r"(?<!\w)" + _alt("ranked_after")
                          + r"\s+(?:the\s+|gli\s+|den\s+|les\s+|l['’]\s*)?$", FLAGS)
# "not (yet) adopted", "nuk u miratua", "nije još usvojen"
NEGATED = re.compile(r"(?<!\w)" + _alt("negation") + r"\s+(?:" + _alt("not_yet") + r"\s+)?(?:"
                     + _alt("auxiliary") + r"\s+)?$", FLAGS)
# "49,000 personnel, 41,000 of whom are in Kosovo": a bare number that is a part of the last
OF_WHOM_HEAD = head("of_whom_after", r"\s*,?\s*")
# "UN Security Council resolution 1244", "Rezoluta 1244", "Resolution No. 1244": a document's number
IDENTIFIER_TAIL = tail("identifier", r"\s*(?:(?:no|nr|br|n)\.?\s*|number\s+|broj\s+)?")
