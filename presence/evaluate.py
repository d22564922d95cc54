"""Precision and recall of the extractor on a labelled development set.

The set is tests/devset/: articles in the feed's raw form and labels.json
saying which candidates each should yield. A candidate counts as right only
if every contract field a curator would check agrees: kind, mission,
contributor, host, date, unit, qualifier and value (within 0.5%).
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from .extract import extract
from .feed import parse_raw

FIELDS = ("kind", "mission", "contributor", "host_country", "as_of", "unit", "qualifier")
GROUP = {"troop_strength": "troops", "troop_contribution": "troops",
         "defence_budget": "budget", "event": "event"}


def _same(found: dict, want: dict) -> bool:
    if any(found.get(f) != want.get(f) for f in FIELDS):
        return False
    if want["value"] is None:
        return found.get("value") is None
    return found.get("value") is not None and \
        abs(found["value"] - want["value"]) <= 0.005 * abs(want["value"])


def evaluate(directory: Path) -> dict:
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    tally = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    misses, extras, skipped = [], [], []
    for name, spec in labels["files"].items():
        path = (directory / name).resolve()
        if not path.exists():
            skipped.append(name)
            continue
        raw = path.read_text(encoding="utf-8")
        article = parse_raw(raw, origin=name)
        found = [c.to_json(name) for c in extract(article.text, article.published,
                                                  article.title, article.offset)]
        want = list(spec["expected"])
        lang = spec["language"]
        for f in found:
            match = next((w for w in want if _same(f, w)), None)
            keys = [(lang, GROUP[f["kind"]]), ("all", GROUP[f["kind"]]), (lang, "all"),
                    ("all", "all")]
            if match:
                want.remove(match)
                for k in keys:
                    tally[k]["tp"] += 1
            else:
                extras.append({"file": name, **{k: f[k] for k in FIELDS + ("value",)},
                               "text": raw[f["start"]:f["end"]]})
                for k in keys:
                    tally[k]["fp"] += 1
        for w in want:
            misses.append({"file": name, **w})
            for k in [(lang, GROUP[w["kind"]]), ("all", GROUP[w["kind"]]), (lang, "all"),
                      ("all", "all")]:
                tally[k]["fn"] += 1
    scores = {}
    for (lang, group), t in sorted(tally.items()):
        p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0
        r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 1.0
        scores.setdefault(lang, {})[group] = {"precision": round(p, 3), "recall": round(r, 3),
                                              **t}
    return {"scores": scores, "missed": misses, "spurious": extras, "skipped": skipped}
