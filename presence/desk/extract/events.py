"""Dated happenings worth a marker on a chart: a reinforcement, a drawdown, a visit, a
mandate, a handover, a deployment, with the day they happened on."""
from __future__ import annotations

import re

from . import dates
from .context import Document
from .figures import Candidate
from .vocab import FLAGS, HOST, OTHER_MISSION, WORDS, alternation, words

# The order decides a sentence with words of two kinds: the first kind listed wins.
KINDS = ("reinforcement", "drawdown", "visit", "mandate", "handover", "deployment")
_TRIGGERS = [(kind, words(f"event_{kind}")) for kind in KINDS]
# any kind's word: most sentences with a number have none, and are left before the costlier
# search for a day's date
_ANY_TRIGGER = re.compile(r"(?<!\w)" + alternation(
    [w for kind in KINDS for w in WORDS.get(f"event_{kind}", [])]), FLAGS)


def events(doc: Document) -> list[Candidate]:
    out = []
    for ui, u in enumerate(doc.units):
        if not (doc.has_digit(ui) and _ANY_TRIGGER.search(doc.low, u.start, u.end)):
            continue
        day = dates.first_day(doc.low, u.start, u.end, doc.published)
        if not day:
            continue
        sentence = doc.low[u.start:u.end]
        kind = next(k for k, rx in _TRIGGERS if rx.search(sentence))
        named = [m for m in doc.missions_in(u.start, u.end)
                 if not m.code.startswith("@") and m.code != OTHER_MISSION]
        before = [m for m in named if m.end <= day.start]
        mission = before[-1].code if before else named[0].code if named else \
            doc.carried_mission(day.start)[0]
        if mission == OTHER_MISSION:
            continue  # a happening of a mission elsewhere
        hosts = [c for c in doc.countries(ui) if c.code in ("XKX", "BIH")]
        host_hit = ([h for h in hosts if h.end <= day.start] or hosts or [None])[-1] \
            if hosts else None
        host = host_hit.code if host_hit else HOST.get(mission) if mission else None
        if host is None:
            continue
        if mission and HOST[mission] != host and host_hit:
            mission = None  # a visit to the other country than the mission's host
        confidence = 0.5 + (0.2 if named else 0.1 if mission else 0.0)
        out.append(Candidate("event", mission, None, host, day.date.isoformat(), None, None,
                             "exact", (u.start, u.end), day.start, day.end,
                             round(confidence, 2), [f"event: {kind}", "date: the day named"]))
    return out
