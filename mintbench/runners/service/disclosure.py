"""What a submission's reply may tell its sender: the grading service's disclosure rules.

A client that may submit crafted predictions learns from each reply. Exact scores, small
breakdown cells and replies to near-identical submissions would let it single out items and
read the key one item at a time. So, following the leaderboard literature (Blum & Hardt,
"The Ladder", 2015):

- every released score is rounded down to a grid of `step` (default 0.01);
- a token's score on a release is only updated when a submission beats its best by at least
  `step` (the Ladder); otherwise the reply repeats the last released figures, so a submission
  that differs from an earlier one in a few items learns nothing new;
- breakdowns (by domain, level, label) cover only cells of at least `min_cell` items, and they
  and the unparsed share are withheld for degenerate submissions (one response repeated, or mostly unparseable: the shape
  of junk filler around a few probes).

Each reply therefore releases at most one "improved or not" bit, plus, at most 1/step times
per token and release, a handful of grid values: what a token can learn is bounded by its quota.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mintbench.results.stats import on_grid

BREAKDOWNS = ("domain", "level", "label")


@dataclass(frozen=True)
class Disclosure:
    step: float = 0.01
    min_cell: int = 50
    max_same_share: float = 0.5  # above this share of identical responses a submission is degenerate
    max_unparsed_share: float = 0.5


def degenerate(predictions: dict[str, str], statuses: list[str], policy: Disclosure) -> str | None:
    """Why a submission is degenerate, or None. Responses are compared after folding case and
    whitespace, so filler varied only in spacing counts as one response."""
    if predictions:
        folded = Counter(" ".join(r.lower().split()) for r in predictions.values())
        if folded.most_common(1)[0][1] > policy.max_same_share * len(predictions):
            return "one response is repeated across most of the submission"
    if statuses and statuses.count("unparsed") > policy.max_unparsed_share * len(statuses):
        return "most responses hold no parseable final answer"
    return None


def public_report(report: dict, n_items: int, n_answered: int, why_degenerate: str | None, policy: Disclosure) -> dict:
    """The figures of one graded submission that may be released: grid values, large cells."""
    out = {"accuracy": on_grid(report["accuracy"], policy.step), "items": n_items, "answered": n_answered}
    if why_degenerate:
        # Only the overall score: the unparsed share too would tell apart probes around filler.
        out["breakdowns_withheld"] = why_degenerate
        return out
    out["unparsed"] = on_grid(report["overall"]["unparsed"] / max(report["overall"]["n"], 1), policy.step)
    small = 0
    for key in BREAKDOWNS:
        cells = {}
        for name, bucket in report.get(f"by_{key}", {}).items():
            if bucket["n"] >= policy.min_cell:
                cells[name] = {"n": bucket["n"], "accuracy": on_grid(bucket["accuracy"], policy.step)}
            else:
                small += 1
        out[f"by_{key}"] = cells
    if small:
        out["cells_withheld"] = f"{small} cell(s) of fewer than {policy.min_cell} items"
    return out
