"""Ability on one scale: the Rasch model fitted by conditional maximum likelihood, models as persons.

A board holds few models and many items. A 2PL with models as persons must estimate two
parameters per item from a handful of responses each, and its ability intervals inherit that
noise: `bench/irt_coverage.py` fits mirt's 2PL (default priors, EAP scores) to 7 simulated models
on 300 items, and its 95 % intervals cover the true ability about two times in three.

Conditioning removes the items instead of estimating them. Under the Rasch model the number of
models that solved an item is sufficient for its difficulty; given that number, which models
solved it depends on their abilities alone (Andersen, 1970). The product of these conditional
probabilities is a likelihood of the abilities with no item parameter in it, consistent as items
grow with the models fixed, and its information gives standard errors; `tests/test_irt.py`
checks their coverage on seeded simulations.

Abilities are identified up to a common shift. The scale is fixed by the anchors: the mean
ability of the reference models (the difficulty filter's ladder, `role=reference`), or of every
model where a release has none. That is the linking assumption across months: the reference
models do not change, so a change they all share is the paper, not the models.

A model whose answers never disagree both ways with the others' (it solves every item another
model solves, or misses every item another misses) has no finite estimate; it is reported
without one rather than at an arbitrary bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from mintbench.results.stats import Z95

BOUND = 30.0  # logits; a finite estimate of a connected model is far inside it


@dataclass(frozen=True)
class Ability:
    model: str
    theta: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n_items: int
    note: str = ""


@dataclass
class _Block:
    """Items answered by the same set of models: per member, how many it solved; per total
    r, how many items r members solved."""

    members: np.ndarray
    solved: np.ndarray
    totals: np.ndarray


def _matrices(models: list[str], verdicts: dict[str, dict[str, bool]]) -> tuple[np.ndarray, np.ndarray, list]:
    """(answered, solved, items): models x items, as booleans, and the items in column order."""
    items: dict = {}
    for m in models:
        for i in verdicts[m]:
            items.setdefault(i, len(items))
    answered = np.zeros((len(models), len(items)), dtype=bool)
    solved = np.zeros_like(answered)
    for row, m in enumerate(models):
        answers = verdicts[m]
        cols = np.fromiter((items[i] for i in answers), dtype=np.int64, count=len(answers))
        answered[row, cols] = True
        solved[row, cols] = np.fromiter((bool(v) for v in answers.values()), dtype=bool, count=len(answers))
    return answered, solved, list(items)


def _blocks(answered: np.ndarray, solved: np.ndarray) -> list[_Block]:
    """Items grouped by the set of models that answered them; an item one model answered says
    nothing about the others."""
    patterns, group = np.unique(answered.T, axis=0, return_inverse=True)
    blocks = []
    for g, pattern in enumerate(patterns):
        members = np.flatnonzero(pattern)
        if len(members) < 2:
            continue
        x = solved[np.ix_(members, np.flatnonzero(group.ravel() == g))]
        totals = np.bincount(x.sum(axis=0), minlength=len(members) + 1).astype(float)
        blocks.append(_Block(members, x.sum(axis=1).astype(float), totals))
    return blocks


def _scaled_products(eps: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Prefix and suffix products of (1 + eps_p z), each rescaled to a maximum of 1: the scale
    cancels in every conditional probability, and rescaling keeps 50 models far from overflow."""
    k = len(eps)
    prefix, suffix = [np.ones(1)], [np.ones(1)]
    for j in range(k):
        p = np.convolve(prefix[-1], [1.0, eps[j]])
        prefix.append(p / p.max())
        s = np.convolve(suffix[-1], [1.0, eps[k - 1 - j]])
        suffix.append(s / s.max())
    return prefix, suffix[::-1]


def _log_esf(eps_log: np.ndarray) -> np.ndarray:
    """log of the elementary symmetric functions gamma_0..gamma_k of exp(eps_log)."""
    shift = eps_log.max()
    poly, log_scale = np.ones(1), 0.0
    for e in np.exp(eps_log - shift):
        poly = np.convolve(poly, [1.0, e])
        top = poly.max()
        poly, log_scale = poly / top, log_scale + math.log(top)
    with np.errstate(divide="ignore"):
        return np.log(poly) + log_scale + shift * np.arange(len(poly))


def _loglik_and_grad(theta: np.ndarray, blocks: list[_Block]) -> tuple[float, np.ndarray]:
    total, grad = 0.0, np.zeros_like(theta)
    for b in blocks:
        t = theta[b.members]
        k = len(t)
        log_gamma = _log_esf(t)
        used = b.totals > 0
        total += float(t @ b.solved - b.totals[used] @ log_gamma[used])
        eps = np.exp(t - t.max())
        prefix, suffix = _scaled_products(eps)
        expected = np.zeros(k)
        for j in range(k):
            without = np.convolve(prefix[j], suffix[j + 1])  # gamma of everyone but j, up to scale
            with_j = np.concatenate([without, [0.0]]) + eps[j] * np.concatenate([[0.0], without])
            # P(j solved | r solved) = eps_j gamma^{(j)}_{r-1} / gamma_r, for r = 1..k
            p = np.zeros(k + 1)
            p[1:] = eps[j] * without / np.where(with_j[1:] > 0, with_j[1:], 1.0)
            expected[j] = b.totals @ p
        grad[b.members] += b.solved - expected
    return total, grad


def _strong_components(answered: np.ndarray, solved: np.ndarray) -> np.ndarray:
    """Components of the graph with an edge p -> q wherever some item was solved by p and
    missed by q: the conditional estimates are finite exactly on a strongly connected one
    (Fischer, 1981)."""
    wins = solved.astype(np.int32) @ (answered & ~solved).T.astype(np.int32)
    _, labels = connected_components(csr_matrix(wins > 0), directed=True, connection="strong")
    return labels


def fit_abilities(verdicts: dict[str, dict[str, bool]], anchors: list[str] | tuple[str, ...] = ()) -> dict[str, Ability]:
    """Rasch abilities (logits) of every model from its per-item verdicts, on the scale where
    the anchors' mean ability is 0 (every estimable model's mean where no anchor is estimable)."""
    models = sorted(verdicts)
    n_items = {m: len(verdicts[m]) for m in models}
    if not models:
        return {}
    index = {m: k for k, m in enumerate(models)}
    answered, solved, _ = _matrices(models, verdicts)
    labels = _strong_components(answered, solved)
    sizes = np.bincount(labels)
    anchor_labels = [labels[index[a]] for a in anchors if a in index]
    # The common scale is the largest group whose members all disagree both ways, preferring
    # the one that holds the anchors.
    main = max(range(len(sizes)), key=lambda c: (anchor_labels.count(c), sizes[c]))
    kept = [m for m in models if labels[index[m]] == main]
    out = {m: Ability(m, None, None, None, None, n_items[m],
                      "no finite ability: it solves every shared item another model solves, or misses every one another misses")
           for m in models if labels[index[m]] != main}
    if len(kept) < 2:
        for m in kept:
            out[m] = Ability(m, None, None, None, None, n_items[m], "no other model to compare with")
        return out
    sub = {m: k for k, m in enumerate(kept)}
    rows = [index[m] for m in kept]
    blocks = _blocks(answered[rows], solved[rows])

    # theta_0 = 0 removes the shift the conditional likelihood cannot see
    def objective(free: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = _loglik_and_grad(np.concatenate([[0.0], free]), blocks)
        return -value, -grad[1:]

    start = np.zeros(len(kept) - 1)
    fit = minimize(objective, start, jac=True, method="L-BFGS-B", bounds=[(-BOUND, BOUND)] * len(start),
                   options={"maxiter": 500, "gtol": 1e-8})
    free = fit.x
    hessian = _numeric_hessian(objective, free)
    cov_free = np.linalg.pinv(hessian)
    p = len(kept)
    cov = np.zeros((p, p))
    cov[1:, 1:] = cov_free
    theta = np.concatenate([[0.0], free])
    weights = np.array([1.0 if m in anchors else 0.0 for m in kept])
    if not weights.any():
        weights = np.ones(p)
    weights /= weights.sum()
    to_anchor = np.eye(p) - np.outer(np.ones(p), weights)
    theta = to_anchor @ theta
    cov = to_anchor @ cov @ to_anchor.T
    for m, k in sub.items():
        se = math.sqrt(max(cov[k, k], 0.0))
        out[m] = Ability(m, float(theta[k]), se, float(theta[k] - Z95 * se), float(theta[k] + Z95 * se), n_items[m])
    return out


def _numeric_hessian(objective, x: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """Observed information: forward differences of the analytic gradient, symmetrised (one
    gradient per model; central differences doubled a 50-model board's cost for digits an
    interval does not show)."""
    n = len(x)
    at = objective(x)[1]
    h = np.zeros((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = step
        h[i] = (objective(x + e)[1] - at) / step
    return (h + h.T) / 2


def item_difficulties(verdicts: dict[str, dict[str, bool]], abilities: dict[str, Ability]) -> dict[str, float]:
    """Each item's Rasch difficulty given the models' abilities (maximum likelihood, by
    bisection on every item at once); -inf where every model solved it, +inf where none did."""
    models = [m for m in verdicts if m in abilities and abilities[m].theta is not None]
    if not models:
        return {}
    answered, solved_matrix, items = _matrices(models, verdicts)
    theta = np.array([abilities[m].theta for m in models])
    solved, asked = solved_matrix.sum(axis=0), answered.sum(axis=0)
    low = np.full(len(items), theta.min() - 40.0)
    high = np.full(len(items), theta.max() + 40.0)
    for _ in range(60):  # expected solves fall as the difficulty rises
        mid = (low + high) / 2
        expected = (answered / (1 + np.exp(mid[None, :] - theta[:, None]))).sum(axis=0)
        above = expected > solved
        low, high = np.where(above, mid, low), np.where(above, high, mid)
    out = {}
    for k, item in enumerate(items):
        if asked[k] == 0:
            continue
        out[item] = -math.inf if solved[k] == asked[k] else math.inf if solved[k] == 0 else float((low[k] + high[k]) / 2)
    return out
