"""Rung 0 of the ladder: answer-free baselines, run before any model.

A multiple-choice item whose key can be picked from the options alone measures option-set
artefacts, not science. Three heuristics look only at the options: the centroid (the option
most like the others: distractors built around the key make the key their centre), the
longest option, and, for numeric options, the one nearest the mean of the others. The heuristics
that apply vote (ties go to the centroid, the strongest of them: it picked the key of about 60 % of
the math MCQs before slip squares and sibling options, against 25 % by chance; bench/mcq_baselines.py
now holds every generator within chance + 5 points); an item whose key wins is `guessable`. True/false items have
no options to read; the baseline there is the generator's key prior within the set: when one
value holds at least 75 % of a generator's (five or more) true/false items, those items are
guessable by always answering it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from difflib import SequenceMatcher

from mintbench.items.schema import Item

TF_MIN_ITEMS, TF_PRIOR = 5, 0.75


def _centroid(options: list[str]) -> int | None:
    scores = [sum(SequenceMatcher(None, a, b).ratio() for b in options if b is not a) for a in options]
    best = max(scores)
    return scores.index(best) if scores.count(best) == 1 else None


def _longest(options: list[str]) -> int | None:
    lengths = [len(o) for o in options]
    best = max(lengths)
    return lengths.index(best) if lengths.count(best) == 1 else None


def _as_number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        return None


def _nearest_mean(options: list[str]) -> int | None:
    values = [_as_number(o) for o in options]
    if any(v is None for v in values):
        return None
    gaps = [abs(v - (sum(values) - v) / (len(values) - 1)) for v in values]
    best = min(gaps)
    return gaps.index(best) if gaps.count(best) == 1 else None


HEURISTICS = {"centroid": _centroid, "longest": _longest, "nearest_mean": _nearest_mean}


def mcq_picks(item: Item) -> dict[str, int]:
    """Heuristic -> the option it picks, for the heuristics that pick one."""
    picks = {name: pick(list(item.choices)) for name, pick in HEURISTICS.items()}
    return {name: chosen for name, chosen in picks.items() if chosen is not None}


def mcq_guesses(item: Item, picks: dict[str, int] | None = None) -> dict[str, bool]:
    """Heuristic -> whether it picks the key."""
    key = "ABCDEFGHIJ".index(item.answer)
    return {name: chosen == key for name, chosen in (mcq_picks(item) if picks is None else picks).items()}


def vote(picks: dict[str, int]) -> int | None:
    if not picks:
        return None
    counts = Counter(picks.values())
    top = max(counts.values())
    leaders = [option for option, n in counts.items() if n == top]
    return leaders[0] if len(leaders) == 1 else picks.get("centroid", min(leaders))


def rung0(items: list[Item]) -> dict[str, dict]:
    """item_id -> {"baseline": ..., "guessable": bool} for the multiple-choice and true/false items."""
    out: dict[str, dict] = {}
    for item in items:
        if item.choices and item.answer_type == "choice" and len(item.choices) > 2:
            picks = mcq_picks(item)
            key = "ABCDEFGHIJ".index(item.answer)
            out[item.item_id] = {"baseline": "options", "heuristics": mcq_guesses(item, picks), "guessable": vote(picks) == key}
    by_generator: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.answer_type == "boolean":
            by_generator[item.generator].append(item)
    for group in by_generator.values():
        value, count = Counter(i.answer for i in group).most_common(1)[0]
        predictable = len(group) >= TF_MIN_ITEMS and count / len(group) >= TF_PRIOR
        for item in group:
            out[item.item_id] = {"baseline": "key_prior", "guessable": predictable and item.answer == value}
    return out


def rung0_summary(items: list[Item], results: dict[str, dict]) -> dict:
    """Per heuristic: how often it picks the key, against chance; how many items are guessable."""
    mcq = [i for i in items if i.item_id in results and results[i.item_id]["baseline"] == "options"]
    per: dict[str, list[bool]] = defaultdict(list)
    for item in mcq:
        for name, hit in results[item.item_id]["heuristics"].items():
            per[name].append(hit)
    return {
        "mcq_items": len(mcq),
        "chance": round(sum(1 / len(i.choices) for i in mcq) / len(mcq), 4) if mcq else None,
        "heuristics": {name: {"items": len(h), "accuracy": round(sum(h) / len(h), 4)} for name, h in sorted(per.items())},
        "true_false_items": sum(1 for r in results.values() if r["baseline"] == "key_prior"),
        "guessable": sum(1 for r in results.values() if r["guessable"]),
    }
