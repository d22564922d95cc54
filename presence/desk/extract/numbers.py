"""Amounts as reporting writes them, in every language read: digits with any thousands
separator (4,686 / 4.686 / 4 686 / 15 000), decimal commas (287,34 miliona), scale
words and abbreviations (mil., mln, mld., Mio., bn, млрд), compound amounts
(18 milionë e 819 mijë e 805 euro; milijardu i 200 miliona), number words with a scale
or a noun (četiri tisuće, katër mijë, eight soldiers), ranges (31,000-34,000) and the
currency written before or after (€274m, 1,2 mld. dinara, EUR 27 million).

The parser never raises: a number too long to be a figure is reported as such.

>>> [(a.value, a.currency) for a in amounts("18 milionë e 819 mijë e 805 euro", 0, 32)]
[(18819805.0, 'EUR')]
>>> [(a.value, a.currency) for a in amounts("€274m and $1.14bn", 0, 17)]
[(274000000.0, 'EUR'), (1140000000.0, 'USD')]
>>> [a.value for a in amounts("KFOR ima 4,6 hiljada vojnika", 0, 28)]
[4600.0]
>>> [(a.value, a.upper) for a in amounts("between 31,000 and 34,000 troops", 0, 32)]
[(31000.0, 34000.0)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .vocab import CURRENCY_WORDS, FLAGS, NUMBER_WORDS, WORDS, alternation, literal_trie

MAX_DIGITS = 15  # a trillion in any currency unit; longer digit runs are ids or garbage

# "16, 000" (a comma and a space, as some NATO pages type thousands) is one number only
# when the group is 000: "12, 345" stays a list of two.
# No look-behind first (it would make the engine test every position): a match glued to a
# word or a number before it is dropped by `_starts_clean` instead.
# The first digit stands outside the alternatives (\d{1,3} written \d\d{0,2}, \d+ as \d\d*,
# the same tries in the same order): a pattern that starts with a character class lets the
# engine skip in C to the next digit, instead of trying the alternatives at every position.
_DIGITS = re.compile(
    r"(?P<int>\d(?:\d{0,2}(?:(?:[.,'’](?=\d{3}(?!\d))|[ \u00a0\u202f](?=\d{3}(?![\d]|[.,]\d))|"
    r",[ \u00a0\u202f](?=000(?![\d]|[.,]\d)))"
    r"\d{3})+(?![.,]\d{3})|\d*))(?:[.,](?P<dec>\d+)(?![.,]\d))?(?P<plus>\+)?", FLAGS)
_NON_DIGIT = re.compile(r"\D")
# Number words are tried only where a word starts: the look-behind fails at once inside a
# word, which is most positions (twice as fast as trying every word at every position).
_NUMBER_WORD = re.compile(r"(?<!\w)" + literal_trie(list(NUMBER_WORDS)) + r"(?!\w)", FLAGS)


# "Size: 4,443", "Taille | 1100", "Величина4.443 људи": an infobox's size label heading
# the line (glued to its number where a page's table was flattened)
INFOBOX_LABEL = re.compile(r"\s*(?:" + alternation(WORDS["infobox_size"]) + r")\s*[:|]?\s*", FLAGS)


def has_number_word(low: str, start: int, end: int) -> bool:
    """Whether low[start:end] holds a number written in words (četiri, katër, eight)."""
    return _NUMBER_WORD.search(low, start, end) is not None


def _starts_clean(low: str, at: int, glue: str) -> bool:
    """Whether the character before `at` leaves a token starting there ('12' in 'a12' no)."""
    return at == 0 or not (low[at - 1].isalnum() or low[at - 1] in glue)
_ENGLISH_BILLION = re.compile(r"\s*(?:billion|bn|bln)\b")
_SCALES = [(1e9, WORDS["billion"]), (1e6, WORDS["million"]), (1e3, WORDS["thousand"])]
_ONE_LETTER = re.compile(r"(?:bn|k|m|b|mn)\b")
_SCALE = re.compile(r"(?P<space>\s*)(?:" + "|".join(f"(?P<s{i}>{alternation(f)})"
                                                    for i, (_, f) in enumerate(_SCALES))
                    + r")(?!\w)\.?", FLAGS)
_CURRENCY_AFTER = re.compile(r"\s*(?:of\s+|di\s+|de\s+|d['’]|in\s+)?(?:" + "|".join(
    f"(?P<{code}>{alternation(f)})" for code, f in CURRENCY_WORDS.items()) + r")", FLAGS)
_CURRENCY_BEFORE = re.compile(r"(?:(?P<EUR>€|eur)|(?P<USD>us\$|\$|usd)|(?P<HRK>hrk)|"
                              r"(?P<CHF>chf)|(?P<GBP>£))\s?$", FLAGS)
_JOIN = re.compile(r"[\s,]*(?:i|e|and|und|et|ve|y)?\s+", FLAGS)
_RANGE = re.compile(r"\s*(?:[-–—]|deri (?:n[eë] )?|and|und|bis|to|do|et|ve|à|a|i|e)(?!\w)\s*",
                    FLAGS)
_BETWEEN = re.compile(r"(?:between|između|izmedju|izme[dđ]u|midis|zwischen|entre|tra|fra)\s*$",
                      FLAGS)


@dataclass
class Amount:
    """A number found in the text, with what was written next to it."""
    start: int          # offset of the first digit or word (currency symbol excluded)
    end: int            # offset after the scale word / currency / range end
    value: float
    digits: str         # the integer digits as written (for telling years)
    scaled: bool        # a scale word (thousand, milion, mld.) was part of it
    decimal: bool
    plus: bool          # "60,000+"
    word: bool          # written in words (četiri tisuće)
    currency: str | None = None
    upper: float | None = None   # the top of a range ("31,000-34,000")
    number_end: int = 0          # offset after the number and its scale word
    too_long: bool = False
    digits_decimals: int = 0     # digits after the decimal separator ("287,34" -> 2)
    grouped: bool = False        # written with a thousands separator ("2.000", "2,000")
    lead: int = -1               # where the amount's writing starts: its currency sign ("€40m")

    @property
    def head(self) -> int:
        """Where words before the amount end: before a currency written first."""
        return self.lead if self.lead >= 0 else self.start

    @property
    def is_year(self) -> bool:
        # no one writes a year with a thousands separator: "Italija s 2.000" is a number
        return (not self.scaled and not self.decimal and len(self.digits) == 4
                and self.digits[:2] in ("19", "20") and not self.word and not self.grouped)


def _scale_at(low: str, pos: int, end: int) -> tuple[float, int] | None:
    m = _SCALE.match(low, pos, end)
    if not m:
        return None
    word = m.group(m.lastgroup)
    if m.group("space") and _ONE_LETTER.fullmatch(word):
        return None  # "600 m" is metres; "€274m" is a scale
    return _SCALES[int(m.lastgroup[1:])][0], m.end()


def _number_at(low: str, m: re.Match) -> tuple[float, bool, int]:
    """(value, decimal?, end) of a digit match, or value -1 when it is too long."""
    digits = _NON_DIGIT.sub("", m.group("int"))
    if len(digits) > MAX_DIGITS:
        return -1.0, False, m.end()
    dec = m.group("dec")
    if dec and len(dec) > MAX_DIGITS:
        return -1.0, False, m.end()
    return float(digits + ("." + dec if dec else "")), bool(dec), m.end()


def amounts(low: str, start: int, end: int, dot_decimal: bool = True,
            glued: bool = False) -> list[Amount]:
    """Every amount in low[start:end], left to right; low is lowered text.

    `dot_decimal`: whether the text writes decimals with a dot (English), which decides
    "1.185 milijardi" (1,185 billion in Macedonian) against "1.185 billion" (English).
    A comma and three digits before a scale word are a decimal in every language read
    ("1,426 miliardë", "2,130 milijardi"): no one writes 1,426 billion for a budget.
    `glued`: a number at `start` counts though a letter stands right before it (the
    figure of a flattened table row, "Hayır572")."""
    found: list[Amount] = []
    spans = [(m.start(), "digits", m) for m in _DIGITS.finditer(low, start, end)
             if _starts_clean(low, m.start(), ".,/_") or (glued and m.start() == start)
             or INFOBOX_LABEL.fullmatch(low, start, m.start())]
    spans += [(m.start(), "word", m) for m in _NUMBER_WORD.finditer(low, start, end)]
    spans.sort(key=lambda t: t[0])
    taken = start
    for at, how, m in spans:
        if at < taken:
            continue
        if how == "digits":
            value, decimal, stop = _number_at(low, m)
            if value < 0:
                found.append(Amount(at, m.end(), 0.0, m.group("int"), False, False, False,
                                    False, number_end=m.end(), too_long=True))
                taken = m.end()
                continue
            digits, plus, word = _NON_DIGIT.sub("", m.group("int")), bool(m.group("plus")), False
        else:
            value, decimal, stop = float(NUMBER_WORDS[m.group().lower()]), False, m.end()
            digits, plus, word = "", False, True
        scaled = value >= 1e6 and word
        scale = _scale_at(low, stop, end)
        last = 0.0
        if scale:
            sep = m.group("int")[1:2] if how == "digits" else ""
            if scale[0] >= 1e6 and re.fullmatch(r"\d[.,]\d{3}", m.group("int") if how == "digits" else "") \
                    and (sep == "," or dot_decimal):
                value /= 1000  # "1,426 miliardë", "2,130 milijardi": a decimal comma
            elif scale[0] >= 1e9 and how == "digits" and \
                    re.fullmatch(r"\d{1,3}\.\d{3}", m.group("int")) and \
                    _ENGLISH_BILLION.match(low, stop, end):
                value /= 1000  # "72.763 billion RSD": English writes a decimal dot before "billion"
            value, stop, scaled, last = value * scale[0], scale[1], True, scale[0]
        elif scaled:
            last = value  # "milijardu" is itself a billion
        if last:
            # compound: "18 milionë e 819 mijë e 805", "milijardu i 200 miliona"
            while True:
                j = _JOIN.match(low, stop, end)
                nxt = _DIGITS.match(low, j.end() if j else stop, end)
                if not nxt:
                    break
                part, _, part_end = _number_at(low, nxt)
                if part < 0 or part >= 1000:
                    break
                sub = _scale_at(low, part_end, end)
                if sub and sub[0] < last:
                    value, stop, last = value + part * sub[0], sub[1], sub[0]
                elif not sub and last == 1e3 and (not j or "," not in j.group()):
                    value, stop = value + part, part_end
                    break
                else:
                    break
        if word and not scaled:
            # a number word counts only with a scale word or straight before a noun
            after = low[stop:stop + 30]
            if not re.match(r"\s+\w", after):
                continue
        amount = Amount(at, stop, value, digits, scaled, decimal, plus, word, number_end=stop,
                        grouped=how == "digits" and len(m.group("int")) > len(digits))
        if how == "digits" and m.group("dec"):
            amount.digits = digits + m.group("dec")
            amount.digits_decimals = len(m.group("dec"))
        cur = _CURRENCY_AFTER.match(low, stop, end)
        if cur:
            amount.currency, amount.end = cur.lastgroup, cur.end()
        else:
            before = _CURRENCY_BEFORE.search(low, max(start, at - 5), at)
            if before:
                amount.currency, amount.lead = before.lastgroup, before.start()
        _read_range(low, amount, end)
        found.append(amount)
        taken = amount.end
    return found


def _read_range(low: str, amount: Amount, end: int) -> None:
    """'31,000-34,000', '500 to 650', 'between 500 and 650': keep the lower bound."""
    if amount.scaled and amount.currency:
        return
    sep = _RANGE.match(low, amount.number_end, end)
    if sep and not amount.scaled and not amount.currency and sep.group().strip() in (
            "and", "und", "et", "ve", "i", "e") and not _BETWEEN.search(
            low, max(0, amount.start - 12), amount.start):
        return
    if not sep:
        return
    nxt = _DIGITS.match(low, sep.end(), end)
    if not nxt:
        return
    value, _, stop = _number_at(low, nxt)
    if value < 0:
        return
    connector = sep.group().strip()
    if connector in ("and", "i", "e", "und", "et", "ve") and not _BETWEEN.search(
            low, max(0, amount.start - 12), amount.start):
        return
    scale = _scale_at(low, stop, end)
    if scale and not amount.scaled and value < 1000 and amount.value < 1000:
        amount.value *= scale[0]  # the scale is written once, after the upper bound
        amount.scaled = True
        value, stop = value * scale[0], scale[1]
    elif scale:
        value, stop = value * scale[0], scale[1]
    elif amount.scaled and value < amount.value / 100:
        value *= amount.value / (float(_NON_DIGIT.sub("", amount.digits) or 1))
    if not value or not (amount.value < value <= amount.value * 3):
        return
    amount.upper, amount.number_end = value, stop
    cur = _CURRENCY_AFTER.match(low, stop, end)
    amount.end = cur.end() if cur else stop
    if cur:
        amount.currency = cur.lastgroup
