"""Dated happenings worth a marker on a chart: a reinforcement, a drawdown, a visit, a
mandate, a handover, a deployment, with the day they happened on."""
from __future__ import annotations

import re

from . import dates
from .context import Document
from .figures import Candidate
from .vocab import FLAGS, HOST, alternation

TRIGGERS = {
    "reinforcement": [r"increase the number", r"increase (?:its|the) (?:forces|troops|presence)",
                      r"reinforc\w*", r"send (?:additional|extra|more)",
                      r"deploy\w* (?:of )?(?:additional|extra)", r"activat\w* (?:its |the )?reserve\w*",
                      r"p[eë]rforc\w*", r"rrit\w* (?:numrin|pranin)\w*", r"poja[cč]a\w*",
                      r"pove[cć]a\w* broj\w*", r"dodatn\w* (?:vojnik|snag|trup)\w*"],
    "drawdown": [r"reduc\w* (?:the number|its|troops)", r"withdraw\w*", r"drawdown",
                 r"cut\w* (?:to|troops)", r"t[eë]rhe\w*", r"zvog[eë]l\w*", r"smanj\w*",
                 r"povla[cč]\w*"],
    "visit": [r"visit\w*", r"vizit\w*", r"pose[tć]\w*", r"posjet\w*", r"boravi\w*"],
    "mandate": [r"mandate", r"mandat\w*", r"resolution", r"rezolucij\w*", r"rezolut\w*"],
    "handover": [r"took over", r"takes over", r"hand\w* over", r"handover", r"preuze\w*",
                 r"mori p[eë]rsip[eë]r"],
    "deployment": [r"deployed", r"arriv\w*", r"bashku\w*", r"joined", r"pridru\w*", r"mb[eë]rrit\w*",
                   r"stig\w*", r"raspore[dđ]en\w*"],
}
_TRIGGERS = [(kind, re.compile(r"(?<!\w)" + alternation(p), FLAGS)) for kind, p in TRIGGERS.items()]
MAX_QUOTE = 240
_DIGIT = re.compile(r"\d")


def events(doc: Document) -> list[Candidate]:
    out = []
    for ui, u in enumerate(doc.units):
        if not _DIGIT.search(doc.low, u.start, u.end):
            continue
        day = dates.first_day(doc.low, u.start, u.end, doc.published)
        if not day:
            continue
        sentence = doc.low[u.start:u.end]
        kind = next((k for k, rx in _TRIGGERS if rx.search(sentence)), None)
        if not kind:
            continue
        named = [m for m in doc.missions_in(u.start, u.end) if not m.code.startswith("@")]
        before = [m for m in named if m.end <= day.start]
        mission = before[-1].code if before else named[0].code if named else \
            doc.carried_mission(day.start)[0]
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
