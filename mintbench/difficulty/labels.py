"""Turn per-(item, model) tallies into difficulty columns: tiers, labels, flags, keep/drop
decisions and calibration (IRT with five or more responders, else Wilson intervals)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from mintbench.difficulty.config import FilterSettings
from mintbench.difficulty.guessing import rung0, rung0_summary
from mintbench.items.rng import rng_for
from mintbench.difficulty.sampling import Tally, solved, wilson
from mintbench.items.schema import Item

IRT_MIN_RESPONDERS = 5


def label_for(tier: int | None, settings: FilterSettings) -> str:
    if tier is None:
        return "unsolved"
    return settings.labels[min(tier, len(settings.labels) - 1)]


def model_record(tally: Tally, reason: str) -> dict[str, Any]:
    n = tally.samples
    lo, hi = wilson(tally.correct, n)
    return {
        "correct": tally.correct,
        "wrong": tally.wrong,
        "unparsed": tally.unparsed,
        "errors": tally.errors,
        "samples": n,
        "p_hat": tally.correct / n if n else None,
        "ci95": [round(lo, 4), round(hi, 4)],
        "decision": "solved" if solved(tally) else "not_solved",
        "stop_reason": reason,
    }


def flags_for(per_model: dict[str, tuple[Tally, str]], order: list[str], settings: FilterSettings) -> list[str]:
    flags = []
    seen = [m for m in order if m in per_model]
    verdicts = [solved(per_model[m][0]) for m in seen]
    # Monotonicity: a weaker model solves what a stronger one (also asked) fails.
    if any(verdicts[i] and not verdicts[j] for i in range(len(seen)) for j in range(i + 1, len(seen))):
        flags.append("monotonicity_violation")
    modal = []
    for m in seen:
        answers = per_model[m][0].wrong_answers
        if answers:
            top, count = answers.most_common(1)[0]
            if count >= 2:
                modal.append(top)
    if any(c >= 2 for c in Counter(modal).values()):
        flags.append("possible_ambiguity")  # two models agree on the same non-gold answer
    for m in seen:
        t = per_model[m][0]
        if t.samples and t.unparsed / t.samples >= settings.unparsed_flag_rate:
            flags.append(f"high_unparsed:{m}")
    return flags


def item_info(item: Item, per_model: dict[str, tuple[Tally, str]], order: list[str], settings: FilterSettings) -> dict[str, Any]:
    """Difficulty of one item from its tallies; no answer text survives into it."""
    asked = [m for m in order if m in per_model]
    tier = next((k for k, m in enumerate(order) if m in per_model and solved(per_model[m][0])), None)
    if settings.ladder == "stop_at_solve":
        solved_by_all = tier == 0  # the weakest model solved it: assumed solved by all
    else:
        solved_by_all = len(asked) == len(order) and all(solved(per_model[m][0]) for m in asked)
    return {
        "models": {m: model_record(*per_model[m]) for m in asked},
        "tier": tier,
        "label": label_for(tier, settings),
        "flags": flags_for(per_model, order, settings),
        "solved_by_all": solved_by_all,
        "calls": sum(per_model[m][0].samples + per_model[m][0].errors for m in asked),
        "mode": settings.mode,
    }


def annotate(items: list[Item], tallies: dict, order: list[str], settings: FilterSettings) -> list[Item]:
    return [
        item.model_copy(update={"difficulty": (info := item_info(item, tallies[item.item_id], order, settings)), "difficulty_label": info["label"]})
        for item in items
    ]


def calibrate_irt(items: list[Item], order: list[str]) -> dict[str, dict[str, float]] | None:
    """2PL difficulty and discrimination per item, models as responders; None if too few."""
    responders = [m for m in order if all(m in i.difficulty["models"] for i in items)]
    if len(responders) < IRT_MIN_RESPONDERS or len(items) < 2:
        return None
    import mirt

    data = np.array([[int(i.difficulty["models"][m]["decision"] == "solved") for i in items] for m in responders])
    fit = mirt.fit_mirt(data, model="2PL")
    params = fit.model.parameters
    a = np.ravel(params["discrimination"])
    return {item.item_id: {"irt_b": float(params["difficulty"][k]), "irt_a": float(a[k])} for k, item in enumerate(items)}


def decide(items: list[Item], order: list[str], settings: FilterSettings) -> list[Item]:
    """Set-wide steps on annotated items: rung 0 (answer-free baselines), calibration and
    keep / drop / anchor."""
    irt = calibrate_irt(items, order) or {}
    guesses = rung0(items)
    # Items every model solves measure nothing; keep a seeded share as floor anchors.
    floor = sorted(i.item_id for i in items if i.difficulty["solved_by_all"])
    n_anchor = int(len(floor) * settings.anchor_fraction)
    anchors = set(rng_for("anchors", settings.seed, len(items)).sample(floor, n_anchor)) if n_anchor else set()
    out = []
    for item in items:
        info = {**item.difficulty, **irt.get(item.item_id, {})}
        if item.item_id in guesses:
            info["rung0"] = guesses[item.item_id]
            if guesses[item.item_id]["guessable"] and "guessable" not in info["flags"]:
                info["flags"] = [*info["flags"], "guessable"]
        info["decision"] = "anchor" if item.item_id in anchors else ("drop" if info["solved_by_all"] else "keep")
        out.append(item.model_copy(update={"difficulty": info}))
    return out


def summary(items: list[Item], stats: dict[str, dict[str, int]], order: list[str], settings: FilterSettings) -> dict[str, Any]:
    diffs = [i.difficulty for i in items if i.difficulty]
    calls = sum(d["calls"] for d in diffs)
    pairs = sum(len(d["models"]) for d in diffs)
    return {
        "models": order,
        "mode": settings.mode,
        "ladder": settings.ladder,
        "by_label": dict(sorted(Counter(d["label"] for d in diffs).items())),
        "by_decision": dict(sorted(Counter(d["decision"] for d in diffs).items())),
        "flags": dict(sorted(Counter(f.split(":")[0] for d in diffs for f in d["flags"]).items())),
        "calls": calls,
        "item_model_pairs": pairs,
        "mean_calls_per_pair": calls / pairs if pairs else 0.0,
        "fixed_k_baseline_calls": pairs * settings.fixed_k,
        "calls_by_model": stats,
        "calibration": "irt-2pl" if any("irt_b" in d for d in diffs) else "wilson",
        "per_model": per_model(diffs, order),
        "by_generator_label": {g: dict(sorted(c.items())) for g, c in sorted(_label_mix(items).items())},
        "solved_only_by_stronger": sum(1 for d in diffs if d["tier"] is not None and d["tier"] > 0),
        "rung0": rung0_summary(items, {i.item_id: i.difficulty["rung0"] for i in items if i.difficulty and "rung0" in i.difficulty}),
    }


def _label_mix(items: list[Item]) -> dict[str, Counter]:
    mix: dict[str, Counter] = {}
    for item in items:
        mix.setdefault(item.generator, Counter())[item.difficulty_label or "unmeasured"] += 1
    return mix


def per_model(diffs: list[dict], order: list[str]) -> dict[str, dict]:
    """Per model, over every sample it gave: how many carried a parseable answer, and how many
    were right, with 95 % Wilson intervals."""
    out = {}
    for model in order:
        recs = [d["models"][model] for d in diffs if model in d["models"]]
        samples = sum(r["samples"] for r in recs)
        correct = sum(r["correct"] for r in recs)
        parsed = samples - sum(r["unparsed"] for r in recs)
        out[model] = {
            "items": len(recs),
            "samples": samples,
            "parsed_rate": round(parsed / samples, 4) if samples else None,
            "parsed_ci95": [round(x, 4) for x in wilson(parsed, samples)],
            "accuracy": round(correct / samples, 4) if samples else None,
            "accuracy_ci95": [round(x, 4) for x in wilson(correct, samples)],
            "solved_items": sum(1 for r in recs if r["decision"] == "solved"),
        }
    return out
