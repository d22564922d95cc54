"""The merged lexicon compiled into the matchers the stages use, built once at import."""
from __future__ import annotations

import re

from . import countries
from .lexicon import merged

# Every pattern runs on text already lowered (text.lower_same_length) and is written in
# lower case: without IGNORECASE the regex engine runs about twice as fast.
FLAGS = re.UNICODE
WORDS, NUMBER_WORDS, CURRENCY_WORDS = merged()


def alternation(fragments: list[str]) -> str:
    """One regex for many words, grouped by first letter so the engine tests a letter once
    per group, not once per word; longest first within a group, so "more than" wins over
    "more" where both match."""
    groups: dict[str, list[str]] = {}
    rest: list[str] = []
    for fragment in sorted(set(fragments), key=len, reverse=True):
        if fragment[:1].isalpha() and fragment[1:2] not in ("?", "*", "{", "+"):
            groups.setdefault(fragment[0], []).append(fragment[1:])
        else:
            rest.append(fragment)
    parts = [first + "(?:" + "|".join(tails) + ")" if len(tails) > 1 or tails[0] else first
             for first, tails in groups.items()]
    return "(?:" + "|".join(parts + rest) + ")"


def literal_trie(literals: list[str]) -> str:
    """One regex for many plain strings, as a trie: 'ser', 'sve', 'slo' -> 's(?:er|ve|lo)'.

    The engine then tests a text position once per letter, not once per string: the
    scans for country and mission names and number words over a whole article run about
    twice as fast as with a flat alternation. At a node where a string ends and longer
    ones go on, the longer are tried first, so the longest string that matches wins
    (as with an alternation sorted longest first)."""
    tree: dict = {}
    for literal in literals:
        node = tree
        for ch in literal:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + emit(tree) + ")" if tree else r"(?!x)x"


def words(category: str) -> re.Pattern:
    """Any word of a category, at a word start."""
    return re.compile(r"(?<!\w)" + alternation(WORDS.get(category) or [r"(?!x)x"]), FLAGS)


def tail(category: str, slack: str = r"[\s,]*") -> re.Pattern:
    """A word of a category that ends the text searched (just before a number)."""
    return re.compile(r"(?<!\w)" + alternation(WORDS[category]) + slack + r"$", FLAGS)


def head(category: str, slack: str = r"[\s-]*") -> re.Pattern:
    """A word of a category that starts the text matched (just after a number); use .match."""
    return re.compile(slack + alternation(WORDS[category]) + r"(?!\w)", FLAGS)


class Index:
    """Patterns grouped by their literal first letters, tried only where a word starts
    with them.

    One alternation of five hundred country names tried at every position is slow; a
    scan (in C) for the words that start with a pattern's whole literal start, then a
    dictionary lookup, is not. The scan is for the whole literal ('polj', 'polan'), not
    its three-letter key: keyed on 'pol', every 'police' and 'politics' of an article
    was a hit that Python then had to turn down.
    """

    KEY = 3  # letters of a pattern's literal start used as its key (fewer if it has fewer)

    def __init__(self, table: dict[str, list[str]]):
        self.by_key: dict[str, list[tuple[re.Pattern, str, tuple[str, ...]]]] = {}
        literals: set[str] = set()
        for code, fragments in table.items():
            for fragment in fragments:
                rx = re.compile(fragment + r"(?!\w)" if not fragment.endswith(("*", "b"))
                                else fragment, FLAGS)
                literal = tuple(_prefixes(fragment, size=0))
                if not all(len(k) >= 2 for k in literal):
                    raise ValueError(f"pattern needs two literal letters first: {fragment!r}")
                literals.update(literal)
                for key in {k[:self.KEY] for k in literal}:
                    self.by_key.setdefault(key, []).append((rx, code, literal))
        # every pattern that matches at a position has one of its literals there, so
        # no mention is missed; a look-ahead, so that a literal that matched where its
        # pattern then fails does not hide a name starting inside it
        self.starts = re.compile(r"(?<!\w)(?=" + literal_trie(sorted(literals)) + ")", FLAGS)

    def find(self, low: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, code) of every mention in low[start:end], longest at each word."""
        hits = []
        get = self.by_key.get
        pos = start
        for w in self.starts.finditer(low, start, end):
            at = w.start()
            if at < pos:
                continue
            best = None
            for key in (low[at:at + 3], low[at:at + 2]):
                for rx, code, literal in get(key, ()):
                    if not low.startswith(literal, at):
                        continue  # cheaper than the regex: the pattern's literal start differs
                    m = rx.match(low, at, end)
                    if m and (best is None or m.end() > best[1]):
                        best = (at, m.end(), code)
            if best:
                hits.append(best)
                pos = best[1]
        return hits




def _prefixes(pattern: str, size: int = 2) -> set[str]:
    """The literal first letters a pattern can start with ('[sš]vic' -> {'sv', 'šv'}).

    size=0 gives the whole literal start, as long as it goes ('[sš]vicar' -> {'svicar', ...})."""
    keys = {""}
    i = 0
    while i < len(pattern) and (size == 0 or len(next(iter(keys))) < size):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            options, i = [pattern[i + 1]], i + 2
        elif ch == "[":
            close = pattern.index("]", i)
            options, i = list(pattern[i + 1:close]), close + 1
        elif ch.isalnum() or ch in " .-'’":
            options, i = [ch], i + 1
        else:
            break
        if i < len(pattern) and pattern[i] in "?*{":
            if size == 0:
                break
            raise ValueError(f"pattern needs a literal start: {pattern!r}")
        keys = {k + o for k in keys for o in options}
        if size == 0 and len(keys) > 16:
            break
    if size == 0:
        return {k for k in keys if k} or {""}
    if not all(len(k) == size for k in keys):
        raise ValueError(f"pattern needs {size} literal letters first: {pattern!r}")
    return keys


MISSION_NAMES = {
    "KFOR": [r"kfor\w*", r"kosovo force", r"forca e kosov\w*", r"kosovo-truppe", r"kosovotruppe",
             r"force (?:de paix )?(?:de l'otan )?au kosovo"],
    "EUFOR-ALTHEA": [r"eufor\w*", r"althea\w*", r"alte\w?a\b", r"eu(?:-led)? (?:military )?force\b",
                     r"european union force", r"forca e be-s[eë]?\w*", r"snage eu\w*",
                     r"evropske snage\w*", r"europske snage\w*", r"eu-mission\w*", r"eu-truppe\w*",
                     r"eu-schutztruppe\w*", r"op[eé]ration althea"],
    "SFOR": [r"sfor\w*", r"stabili[sz]ation force", r"stabilisierungstruppe\w*",
             r"snage za stabilizaciju"],
    "IFOR": [r"ifor\w*", r"implementation force", r"snage za implementaciju"],
}
# A mission's contingent named for its nation: the name gives the mission and the nation.
CONTINGENT_NAMES = {"swisscoy": ("KFOR", "CHE"), "kfor-kontingent": ("KFOR", None),
                    "ausbatt": ("KFOR", "AUT"), "aucon": ("KFOR", "AUT"),
                    # the Polish Military Contingent, in Polish and in English
                    "pkw kfor": ("KFOR", "POL"), "pmc kfor": ("KFOR", "POL")}
HOST = {"KFOR": "XKX", "EUFOR-ALTHEA": "BIH", "SFOR": "BIH", "IFOR": "BIH"}
REGION = ("XKX", "BIH", "SRB", "ALB", "MKD", "MNE", "HRV", "SVN")

class Names:
    """A few dozen names in one regex, one named group a code: the whole text is scanned
    in C. (The country Index above suits hundreds of names; this suits a short table.)"""

    def __init__(self, table: dict[str, list[str]]):
        self.codes = list(table)
        # no look-behind first: the engine then skips to the names' first letters in C;
        # a match inside a word ("xkfor") is dropped below
        self.rx = re.compile(r"(?:" + "|".join(
            f"(?P<g{i}>{alternation(fragments)})" for i, fragments in enumerate(table.values()))
            + r")(?!\w)", FLAGS)

        # a scan for the names' whole literal starts finds where to try the full pattern (a
        # three-letter key stopped at every "under", "minister" and "month" once UNDOF,
        # MINUSMA and MONUSCO were names)
        keys = {k for fragments in table.values() for f in fragments
                for k in _prefixes(f, size=0)}
        self.starts = re.compile(literal_trie(sorted(keys)), FLAGS)

    def find(self, low: str, start: int, end: int) -> list[tuple[int, int, str]]:
        hits, pos = [], start
        for s in self.starts.finditer(low, start, end):
            at = s.start()
            if at < pos or (at > 0 and low[at - 1].isalnum()):
                continue
            m = self.rx.match(low, at, end)
            if m:
                hits.append((at, m.end(), self.codes[int(m.lastgroup[1:])]))
                pos = m.end()
        return hits


# Missions elsewhere that national reporting lists beside KFOR and EUFOR ("UNMIL, with 403
# personnel, KFOR, with 202"): read as missions so that their numbers are not carried
# to the Balkan one named before them; every figure of theirs is dropped.
OTHER_MISSION = "OTHER"
OTHER_MISSION_NAMES = [r"unmil\b", r"unifil\b", r"minusma\b", r"minurso\b", r"monusco\b", r"undof\b",
                       r"unficyp\b", r"untso\b", r"unmiss\b", r"isaf\b", r"resolute support",
                       r"sea guardian", r"irini\b", r"atalanta\b", r"enhanced forward presence",
                       r"inherent resolve",
                       r"eutm\w*", r"eunavfor\w*", r"eufor rca", r"eufor tchad\w*"]
MISSIONS = Names({**MISSION_NAMES, **{f"@{k}": [re.escape(k)] for k in CONTINGENT_NAMES},
                  OTHER_MISSION: OTHER_MISSION_NAMES})
COUNTRIES = Index(countries.patterns())
