"""Statistics a reviewer would sign: intervals, paired tests, rank ranges, contamination gaps.

Every model on a release answers the same items, so comparisons between models are paired:
McNemar's exact test on the items where exactly one of the two is right, Holm's correction over
all pairs, and a model's rank is the range of places consistent with those tests (the rank-bound
idea Chatbot Arena reports): one more than the number of models significantly ahead of it, up
to the number of models not significantly behind it. Two models the items cannot tell apart
share a range; no board ever prints a lone "first" it cannot back.

A single accuracy is a binomial proportion over independent items: its interval is the exact
Clopper-Pearson interval, whose coverage is at least the nominal 95 % at every true accuracy
(Wilson's dips to 94.1 % at 0.97 on 300 items; the normal one far lower near 1).
A contamination gap compares a model on two different sets of items (papers revealed before its
training cutoff against papers sealed after it): unpaired, so its interval is Newcombe's hybrid
score interval for a difference of proportions, built from the two Wilson intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import beta, binom, binomtest, norm

from mintbench.difficulty.sampling import wilson  # the filter's own Wilson interval

Z95 = float(norm.ppf(0.975))


def on_grid(value: float, step: float) -> float:
    """Rounded down to a multiple of `step` (and clean of float noise: 0.5 stays 0.5): the
    grid on which the grading service releases scores and the public board shows sealed ones."""
    return round(math.floor(value / step + 1e-9) * step, 6)


def clopper_pearson(correct: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The exact binomial interval for correct/n (0, 1 when n = 0)."""
    if n == 0:
        return 0.0, 1.0
    tail = (1 - level) / 2
    low = 0.0 if correct == 0 else float(beta.ppf(tail, correct, n - correct + 1))
    high = 1.0 if correct == n else float(beta.ppf(1 - tail, correct + 1, n - correct))
    return low, high


def newcombe_difference(c1: int, n1: int, c2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """p1 - p2 with Newcombe's hybrid score interval (method 10): unpaired proportions."""
    p1, p2 = c1 / n1, c2 / n2
    l1, u1 = wilson(c1, n1, z)
    l2, u2 = wilson(c2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, max(-1.0, low), min(1.0, high)


def mcnemar_p(a: list[bool], b: list[bool]) -> float:
    """Exact two-sided McNemar test on paired verdicts: only items where exactly one is right."""
    a_only = sum(x and not y for x, y in zip(a, b))
    b_only = sum(y and not x for x, y in zip(a, b))
    if a_only + b_only == 0:
        return 1.0
    return float(binomtest(a_only, a_only + b_only, 0.5).pvalue)


def mcnemar_matrix(models: list[str], verdicts: dict[str, list[bool]]) -> dict[tuple[str, str], float]:
    """mcnemar_p for every pair at once (a board has thousands of pairs per release): the
    discordant counts are one matrix product, the exact binomial tails one vectorised call."""
    if len(models) < 2:
        return {}
    m = np.array([verdicts[k] for k in models], dtype=np.int32)
    a_only = m @ (1 - m).T  # [i, j]: items i got right and j did not
    i, j = np.triu_indices(len(models), k=1)
    x, y = a_only[i, j], a_only[j, i]
    total = x + y
    p = np.minimum(1.0, 2 * binom.cdf(np.minimum(x, y), np.maximum(total, 1), 0.5))
    p = np.where(total == 0, 1.0, p)
    return {(models[a], models[b]): float(v) for a, b, v in zip(i, j, p)}


def holm(pvalues: dict, alpha: float = 0.05) -> dict:
    """Which hypotheses Holm's step-down procedure rejects at family-wise level alpha."""
    ordered = sorted(pvalues.items(), key=lambda kv: kv[1])
    rejected, m = {}, len(ordered)
    still = True
    for k, (key, p) in enumerate(ordered):
        still = still and p <= alpha / (m - k)
        rejected[key] = still
    return rejected


@dataclass(frozen=True)
class Standing:
    model: str
    n: int
    correct: int
    accuracy: float
    ci_low: float
    ci_high: float
    rank_best: int
    rank_worst: int


def rank_ranges(verdicts: dict[str, list[bool]], alpha: float = 0.05) -> list[Standing]:
    """Standings of models that answered the same items in the same order: accuracy with its
    exact interval and the range of ranks the paired tests allow, best first."""
    models = list(verdicts)
    lengths = {len(v) for v in verdicts.values()}
    if len(lengths) > 1:
        raise ValueError("rank_ranges needs every model's verdicts on the same items")
    pvalues = mcnemar_matrix(models, verdicts)
    rejected = holm(pvalues, alpha)
    accuracy = {m: (sum(v) / len(v) if v else 0.0) for m, v in verdicts.items()}

    def ahead(x: str, y: str) -> bool:
        """x is significantly better than y."""
        key = (x, y) if (x, y) in rejected else (y, x)
        return rejected.get(key, False) and accuracy[x] > accuracy[y]

    out = []
    for m in models:
        n, c = len(verdicts[m]), sum(verdicts[m])
        low, high = clopper_pearson(c, n)
        better = sum(ahead(o, m) for o in models if o != m)
        worse = sum(ahead(m, o) for o in models if o != m)
        out.append(Standing(m, n, c, accuracy[m], low, high, 1 + better, len(models) - worse))
    return sorted(out, key=lambda s: (-s.accuracy, s.model))


@dataclass(frozen=True)
class Gap:
    model: str
    cutoff: str
    revealed_n: int
    revealed_accuracy: float
    sealed_n: int
    sealed_accuracy: float
    gap: float
    ci_low: float
    ci_high: float

    @property
    def significant(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0


def contamination_gap(model: str, cutoff: str, revealed: list[bool], sealed: list[bool]) -> Gap | None:
    """Accuracy on papers revealed before the cutoff minus accuracy on papers sealed after it;
    None when either side has no items."""
    if not revealed or not sealed:
        return None
    d, low, high = newcombe_difference(sum(revealed), len(revealed), sum(sealed), len(sealed))
    return Gap(model, cutoff, len(revealed), sum(revealed) / len(revealed), len(sealed), sum(sealed) / len(sealed), d, low, high)
