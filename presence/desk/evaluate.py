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

from presence.desk.extract import extract
from presence.desk.feed import parse_raw

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


# ---- a real-text corpus: gold.json with facts, optional facts and exclusions --------------
KINDS = ("troop_strength", "troop_contribution", "defence_budget")
SPLIT_FILE = Path(__file__).resolve().parents[2] / "tests" / "corpus_split.json"


def _matches(found: dict, fact: dict) -> bool:
    """The corpus rule: kind and unit agree, the value within 0.5 % (or 0.5), mission and
    contributor where the fact names them, and the year where the fact has a date."""
    if found.get("kind") != fact["kind"]:
        return False
    if str(found.get("unit") or "").upper() != str(fact["unit"]).upper():
        return False
    value = found.get("value")
    if value is None or abs(value - fact["value"]) > max(0.5, 0.005 * abs(fact["value"])):
        return False
    for field in ("mission", "contributor"):
        if fact.get(field) and found.get(field) != fact[field]:
            return False
    return not (fact.get("as_of") and
                str(found.get("as_of") or "")[:4] != str(fact["as_of"])[:4])


def corpus_files(directory: Path, split: str = "all") -> list[str]:
    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    names = sorted(gold)
    if split == "all":
        return names
    heldout = set(json.loads(SPLIT_FILE.read_text(encoding="utf-8"))["heldout"])
    return [n for n in names if (n in heldout) == (split == "heldout")]


def evaluate_corpus(directory: Path, split: str = "all") -> dict:
    """Precision and recall on a labelled real-text corpus, per language (the file name's
    prefix) and per kind. A candidate that matches only an `optional` fact counts neither
    way; each candidate matches at most one fact."""
    from presence.desk.feed import parse_raw

    gold = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    tally = defaultdict(lambda: {"tp": 0, "fp": 0, "gold": 0})
    misses, extras = [], []
    for name in corpus_files(directory, split):
        raw = (directory / name).read_text(encoding="utf-8")
        article = parse_raw(raw, origin=name)
        at = raw.find(article.title) if article.title else -1
        found = [c.to_json(name) for c in extract(article.text, article.published,
                                                  article.title, article.offset,
                                                  title_offset=at if at >= 0 else None)
                 if c.kind in KINDS]
        spec = gold[name]
        lang = "".join(ch for ch in name.split(".")[0] if ch.isalpha())
        facts = list(spec.get("facts", []))
        for f in facts:
            for key in ((lang, f["kind"]), (lang, "all"), ("all", f["kind"]), ("all", "all")):
                tally[key]["gold"] += 1
        open_facts = list(facts)
        for c in found:
            hit = next((f for f in open_facts if _matches(c, f)), None)
            keys = ((lang, c["kind"]), (lang, "all"), ("all", c["kind"]), ("all", "all"))
            if hit:
                open_facts.remove(hit)
                for key in keys:
                    tally[key]["tp"] += 1
            elif any(_matches(c, f) for f in spec.get("optional", []) + facts):
                continue
            else:
                extras.append({"file": name, **{k: c[k] for k in ("kind", "mission",
                               "contributor", "as_of", "value", "unit")}, "why": c["why"]})
                for key in keys:
                    tally[key]["fp"] += 1
        misses += [{"file": name, **f} for f in open_facts]
    scores = {}
    for (lang, kind), t in sorted(tally.items()):
        precision = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else None
        recall = t["tp"] / t["gold"] if t["gold"] else None
        scores.setdefault(lang, {})[kind] = {
            "precision": None if precision is None else round(precision, 2),
            "recall": None if recall is None else round(recall, 2), **t}
    return {"split": split, "scores": scores, "missed": misses, "spurious": extras,
            "table": _table(scores)}


def _table(scores: dict) -> str:
    """A Markdown table, one row a language, as the README shows it."""
    def cell(s: dict | None) -> str:
        if not s or s["precision"] is None and s["recall"] is None:
            return "–"
        p = "–" if s["precision"] is None else f"{s['precision']:.2f}"
        r = "–" if s["recall"] is None else f"{s['recall']:.2f}"
        return f"{p} / {r} ({s['tp']} of {s['gold']}, {s['fp']} wrong)"
    rows = ["| language | all | troop totals | contingents | budgets |", "|---|---|---|---|---|"]
    for lang in sorted(scores, key=lambda k: (k == "all", k)):
        s = scores[lang]
        rows.append(f"| {lang} | {cell(s.get('all'))} | {cell(s.get('troop_strength'))} | "
                    f"{cell(s.get('troop_contribution'))} | {cell(s.get('defence_budget'))} |")
    return "\n".join(rows)
