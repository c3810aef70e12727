"""The results board: rankings with intervals and rank ranges, per release and per slice
(domain, level, format, language), month trends and the contamination panel, as data
(`board.json`, `board.csv`) and as a static site that needs nothing from the network.

Two views of one store:
- **owner**: everything the store holds that is not a per-item verdict (exact figures, every
  cell, each release's item-difficulty distribution);
- **public**: what the grading service itself would release. A release still under embargo
  shows scores rounded down to the disclosure grid (`PublicRules.step`, the service's `--score-step`), intervals widened to the
  grid, only cells of at least `PublicRules.min_cell` items, and no item difficulty. Neither view
  holds an answer (the store has none) or a per-item verdict.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from mintbench.errors import MintbenchError
from mintbench.results.irt import Ability, fit_abilities, item_difficulties
from mintbench.results.stats import contamination_gap, on_grid, rank_ranges
from mintbench.results.store import ResultsStore, Run

VIEWS = ("public", "owner")


@dataclass(frozen=True)
class PublicRules:
    """What the public view of a sealed release may show: the grading service's disclosure
    grid and smallest cell (serve-grader passes its own)."""

    step: float = 0.01
    min_cell: int = 50

SLICES = ("domain", "level", "format", "lang")
CSV_FIELDS = ("release", "slice", "value", "model", "n", "accuracy", "ci_low", "ci_high", "rank_best", "rank_worst")
# Model metadata shown publicly; anything else given with --meta stays on the owner's side.
PUBLIC_META = ("provider", "parameters", "cutoff", "role", "inferred_solved")


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "model"


def _grid_interval(low: float, high: float, step: float) -> tuple[float, float]:
    return on_grid(low, step), min(1.0, round(math.ceil(high / step - 1e-9) * step, 6))


def standings_rows(release: str, runs: list[Run], items: list, embargoed: bool, view: str, policy: PublicRules) -> list[dict]:
    """One row per (slice, model): the release as a whole, then each domain, level, format and
    language cell."""
    cells: dict[tuple[str, str], list[str]] = {("all", "all"): [i.item_id for i in items]}
    for item in items:
        for key in SLICES:
            cells.setdefault((key, getattr(item, key)), []).append(item.item_id)
        cells.setdefault(("domain_level", f"{item.domain}/{item.level}"), []).append(item.item_id)  # the heatmap's cells
    rows = []
    for (key, value), ids in sorted(cells.items(), key=lambda kv: (kv[0][0] != "all", kv[0])):
        if view == "public" and embargoed and key != "all" and len(ids) < policy.min_cell:
            continue  # a small cell of a sealed release could single out items
        verdicts = {run.model: [run.verdicts.get(i) == "correct" for i in ids] for run in runs}
        for s in rank_ranges(verdicts):
            acc, low, high = s.accuracy, s.ci_low, s.ci_high
            if view == "public" and embargoed:
                acc = on_grid(acc, policy.step)
                low, high = _grid_interval(low, high, policy.step)
            rows.append({"release": release, "slice": key, "value": value, "model": s.model, "n": s.n, "accuracy": round(acc, 6),
                         "ci_low": round(low, 6), "ci_high": round(high, 6), "rank_best": s.rank_best, "rank_worst": s.rank_worst})
    return rows


def _before(date: str | None, cutoff: str) -> bool:
    return bool(date) and date[:10] <= cutoff[:10]


def contamination(runs: list[Run], releases: dict[str, dict]) -> list[dict]:
    """Per model with a declared training cutoff: its accuracy on papers revealed on or before
    the cutoff against papers made after it, and the gap with its interval."""
    by_model: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        by_model[run.model].append(run)
    out = []
    for model, model_runs in sorted(by_model.items()):
        cutoff = next((r.meta.get("cutoff") for r in model_runs if r.meta.get("cutoff")), None)
        if not cutoff:
            continue
        revealed, sealed, used = [], [], {"revealed": [], "sealed": []}
        for run in model_runs:
            info = releases.get(run.release, {})
            flags = [s == "correct" for s in run.verdicts.values()]
            if _before(info.get("revealed_at"), cutoff):
                revealed += flags
                used["revealed"].append(run.release)
            elif info.get("created_at") and info["created_at"][:10] > cutoff[:10]:
                sealed += flags
                used["sealed"].append(run.release)
        gap = contamination_gap(model, cutoff, revealed, sealed)
        if gap:
            out.append({**asdict(gap), "significant": gap.significant, "revealed_releases": used["revealed"], "sealed_releases": used["sealed"]})
    return out


def difficulty_histogram(runs: list[Run], items: list, bins: int = 10) -> list[int]:
    """How many items each share of models solved (0-10 %, ..., 90-100 %)."""
    counts = [0] * bins
    for item in items:
        solved = [r.verdicts.get(item.item_id) == "correct" for r in runs]
        share = sum(solved) / len(solved) if solved else 0.0
        counts[min(bins - 1, int(share * bins))] += 1
    return counts


def _solved(runs: list[Run], items: list) -> dict[str, dict[str, bool]]:
    ids = [i.item_id for i in items]
    return {run.model: {i: run.verdicts.get(i) == "correct" for i in ids} for run in runs}


def _anchors(runs: list[Run]) -> list[str]:
    return sorted({r.model for r in runs if r.meta.get("role") == "reference"})


def ability_fields(a: Ability | None) -> dict:
    if a is None:
        return {}
    if a.theta is None:
        return {"ability": None, "ability_note": a.note}
    return {"ability": round(a.theta, 4), "ability_se": round(a.se, 4), "ability_low": round(a.ci_low, 4), "ability_high": round(a.ci_high, 4)}


def difficulty_summary(difficulties: dict[str, float]) -> dict:
    """A release's item difficulties on the board's ability scale: quartiles of the finite ones
    and how many no model or every model solved."""
    finite = sorted(d for d in difficulties.values() if math.isfinite(d))
    out = {"solved_by_all": int(sum(d == -math.inf for d in difficulties.values())),
           "solved_by_none": int(sum(d == math.inf for d in difficulties.values())), "n": len(finite)}
    if finite:
        q = np.quantile(finite, [0.25, 0.5, 0.75])
        out.update({"q1": round(float(q[0]), 3), "median": round(float(q[1]), 3), "q3": round(float(q[2]), 3)})
    return out


def build_data(store: ResultsStore, view: str = "public", policy: PublicRules = PublicRules()) -> dict:
    if view not in VIEWS:
        raise MintbenchError(f"unknown view {view!r}; allowed: {', '.join(VIEWS)}")
    releases = store.releases()
    runs = store.current_runs()
    by_release: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        by_release[run.release].append(run)
    rows, release_cards, ladder = [], [], []
    # What the abilities may be fitted on: in the public view a sealed release moves no
    # ability (its verdict patterns would say more than the rounded score it shows).
    ability_verdicts: dict[str, dict[str, bool]] = defaultdict(dict)
    ability_runs: list[Run] = []
    per_release_ability: dict[tuple[str, str], Ability] = {}
    for release in sorted(by_release):
        info = releases.get(release, {})
        embargoed = not info.get("revealed_at")
        items = store.items(release)
        # Kaggle's split: where the grading service scored a public part during the embargo, every
        # model is ranked on the private rest, which no token's submission ever moved a reply on.
        public = store.public_part(release)
        ranked_on = [i for i in items if i.item_id not in public] if public else items
        ranked = by_release[release]
        if view == "public" and embargoed:
            # A grading-service submission on a sealed release: the public sees what the
            # service replied (the Ladder's released figure), never a figure from its verdicts.
            ladder += [{"release": release, "model": r.model, "accuracy": r.meta.get("released_accuracy")} for r in ranked if r.source == "service"]
            ranked = [r for r in ranked if r.source != "service"]
        if ranked:
            rows += standings_rows(release, ranked, ranked_on, embargoed, view, policy)
        release_difficulty = None
        if ranked and (view == "owner" or not embargoed):
            solved = _solved(ranked, ranked_on)
            for model, answers in solved.items():
                ability_verdicts[model].update({(release, i): v for i, v in answers.items()})
            ability_runs += ranked
            fitted = fit_abilities(solved, _anchors(ranked))
            per_release_ability.update({(release, m): a for m, a in fitted.items()})
            release_difficulty = difficulty_summary(item_difficulties(solved, fitted))
        card = {"release": release, "created_at": info.get("created_at"), "revealed_at": info.get("revealed_at"),
                "sealed": embargoed, "n_items": len(items), "ranked_on": len(ranked_on), "models": len(by_release[release]),
                "domains": sorted({i.domain for i in items}), "levels": sorted({i.level for i in items})}
        if view == "owner" or not embargoed:
            card["difficulty_histogram"] = difficulty_histogram(by_release[release], items)
        if release_difficulty is not None:
            card["irt_difficulty"] = release_difficulty
        release_cards.append(card)
    abilities = fit_abilities(dict(ability_verdicts), _anchors(ability_runs))
    models = {}
    for run in runs:
        if view == "public" and run.source == "service" and not releases.get(run.release, {}).get("revealed_at"):
            continue
        meta = run.meta if view == "owner" else {k: v for k, v in run.meta.items() if k in PUBLIC_META}
        entry = models.setdefault(run.model, {"model": run.model, "slug": slug(run.model), "meta": meta, "releases": [],
                                              **ability_fields(abilities.get(run.model))})
        entry["releases"].append(run.release)
    overall = [r for r in rows if r["slice"] == "all"]
    trend = defaultdict(list)
    for r in sorted(overall, key=lambda r: r["release"]):
        trend[r["model"]].append({**{k: r[k] for k in ("release", "accuracy", "ci_low", "ci_high", "rank_best", "rank_worst")},
                                  **ability_fields(per_release_ability.get((r["release"], r["model"])))})
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "view": view,
        "method": METHOD,
        "releases": release_cards,
        "models": sorted(models.values(), key=lambda m: m["model"]),
        "rows": rows,
        "trend": dict(trend),
        "contamination": contamination([r for r in runs if view == "owner" or r.source != "service"], releases),
        "ladder": ladder,
        "disclosure": {"step": policy.step, "min_cell": policy.min_cell},
    }


METHOD = {
    "interval": "Exact (Clopper-Pearson) 95 % interval of the accuracy over the release's items: at least 95 % coverage at every true accuracy.",
    "pairwise": "Exact McNemar test on paired verdicts (the items where exactly one of the two models is right), "
                "Holm's correction over all pairs of models in the table, family-wise level 0.05.",
    "rank": "rank_best = 1 + the number of models significantly ahead; rank_worst = the number of models not "
            "significantly behind. Models the items cannot tell apart share a range.",
    "trend": "Each release is its own paper: month-to-month changes compare different items. The reference models "
             "answer every release and serve as the common persons: a change shared by all of them is the paper, "
             "not the models (the linking assumption: reference models do not change between releases).",
    "ability": "Rasch ability in logits by conditional maximum likelihood with models as persons: each item's "
               "number of solvers is conditioned on, so no item parameter is estimated from a handful of models; "
               "95 % interval from the conditional likelihood's information. The scale's zero is the reference "
               "models' mean (every model's where a release has none), overall on all releases the view shows "
               "and per release in the trend: a per-release ability is linked across months under the same "
               "assumption as the trend. A model that solves every shared item another solves (or misses every "
               "one another misses) has no finite ability and is shown without one.",
    "item_difficulty": "Each item's Rasch difficulty given the models' abilities on that release: quartiles of the "
                       "finite ones, and how many items every model or no model solved.",
    "contamination": "For a model with a declared training cutoff: accuracy on releases revealed on or before the cutoff "
                     "minus accuracy on releases made after it, with Newcombe's hybrid score interval (unpaired items).",
}


def write_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def build(store: ResultsStore, out: Path, view: str = "public", policy: PublicRules = PublicRules()) -> dict:
    """Write the site to `out`: index.html, one page per model, board.json and board.csv."""
    from mintbench.results.site import index_page, model_page

    data = build_data(store, view, policy)
    out.mkdir(parents=True, exist_ok=True)
    (out / "models").mkdir(exist_ok=True)
    (out / "board.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (out / "board.csv").write_text(write_csv(data["rows"]), encoding="utf-8")
    (out / "index.html").write_text(index_page(data), encoding="utf-8")
    for model in data["models"]:
        (out / "models" / f"{model['slug']}.html").write_text(model_page(data, model), encoding="utf-8")
    return data


def escape(value) -> str:
    return html.escape(str(value), quote=True)
