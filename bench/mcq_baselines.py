"""Answer-free baselines (issues #14 and #26).

Multiple choice: per generator, how often the key is picked from the options alone, without the
question. Heuristics: the similarity centroid, the longest and the shortest option, the numeric
extremes and the option nearest the others' mean, the median rank, the odd format out, the
option relations (the option the others are simple mistakes of, and the one that is nobody's
mistake) and parity (an even option); then a logistic classifier on per-option features, trained
on other seeds' items of the same generator. Target: every generator within chance (1/4) + 5
points.

True/false: a classifier on the claim's surface (hashed words and character trigrams, length,
digit count), trained on one seed's claims and tested on another's. Target: <= 0.60.

    .venv/bin/python bench/mcq_baselines.py [--items 1000] [--generator ID ...]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mintbench.difficulty.guessing import _as_number, _centroid, _longest, _nearest_mean  # noqa: E402
from mintbench.items.registry import all_generators, build_item  # noqa: E402

CHANCE = 0.25


def _unique_best(scores: list[float], best) -> int | None:
    target = best(scores)
    return scores.index(target) if scores.count(target) == 1 else None


def shortest(options: list[str]) -> int | None:
    return _unique_best([len(o) for o in options], min)


def numbers(options: list[str]) -> list[float] | None:
    values = [_as_number(o) for o in options]
    return None if any(v is None for v in values) else values


def largest(options: list[str]) -> int | None:
    values = numbers(options)
    return None if values is None else _unique_best(values, max)


def smallest(options: list[str]) -> int | None:
    values = numbers(options)
    return None if values is None else _unique_best(values, min)


def median_rank(options: list[str]) -> int | None:
    """The second smallest value (a family centred on the key puts it in the middle)."""
    values = numbers(options)
    if values is None or len(set(values)) != len(values):
        return None
    return sorted(range(len(values)), key=values.__getitem__)[1]


def _shape(text: str) -> str:
    return re.sub(r"[A-Za-z]+", "a", re.sub(r"\d+", "9", text))


def odd_format(options: list[str]) -> int | None:
    """The one option whose shape (runs of digits and letters, spaces, punctuation) no other shares."""
    shapes = [_shape(o) for o in options]
    lonely = [k for k, s in enumerate(shapes) if shapes.count(s) == 1]
    return lonely[0] if len(lonely) == 1 and len(set(shapes)) == 2 else None


# The mistakes a student makes on a number, each a function of the number alone: an attacker who
# knows how distractors are made looks for the option the others are mistakes *of* (issue #26,
# item 3), or the one that is a mistake of most others.
MISTAKES = (lambda x: -x, lambda x: x + 1, lambda x: x - 1, lambda x: x + 2, lambda x: x - 2, lambda x: 2 * x,
            lambda x: 2 * x + 1, lambda x: 2 * x - 1, lambda x: x / 2, lambda x: x * x)


def _slip_links(options: list[str]) -> list[tuple[int, int]] | None:
    """(i, j) wherever option j is one of MISTAKES applied to option i."""
    values = numbers(options)
    if values is None:
        return None
    links = []
    for i, x in enumerate(values):
        images = [f(x) for f in MISTAKES]
        links += [(i, j) for j, y in enumerate(values) if j != i and any(abs(y - v) < 1e-9 for v in images)]
    return links


def slip_source(options: list[str]) -> int | None:
    """The option most of the others are a simple mistake of."""
    links = _slip_links(options)
    return None if not links else _unique_best([sum(i == k for i, _ in links) for k in range(len(options))], max)


def slip_target(options: list[str]) -> int | None:
    """The option that is a simple mistake of the fewest others (the key is nobody's slip)."""
    links = _slip_links(options)
    return None if not links else _unique_best([sum(j == k for _, j in links) for k in range(len(options))], min)


def parity(options: list[str]) -> int | None:
    """One of the even options, at random, where some but not all are even: answers that are
    always even (a totient) against slips of 1 give the key away half the time or more."""
    values = numbers(options)
    if values is None or any(v != int(v) for v in values):
        return None
    even = [k for k, v in enumerate(values) if int(v) % 2 == 0]
    if not even or len(even) == len(options):
        return None
    return random.Random("|".join(options)).choice(even)


HEURISTICS = {"centroid": _centroid, "longest": _longest, "shortest": shortest, "nearest_mean": _nearest_mean,
              "largest": largest, "smallest": smallest, "median_rank": median_rank, "odd_format": odd_format,
              "slip_source": slip_source, "slip_target": slip_target, "parity": parity}


def features(options: list[str]) -> np.ndarray:
    """One row per option: which heuristics pick it, its length rank, its numeric rank, and for
    whole numbers whether it is even and whether 3 divides it (answers that are always even, or
    lengths in bases that are whole codons, against slips of 1)."""
    rows = np.zeros((len(options), len(HEURISTICS) + 4))
    for j, pick in enumerate(HEURISTICS.values()):
        chosen = pick(options)
        if chosen is not None:
            rows[chosen, j] = 1.0
    lengths = np.argsort(np.argsort([len(o) for o in options]))
    rows[:, -4] = lengths / (len(options) - 1)
    values = numbers(options)
    if values is not None:
        rows[:, -3] = np.argsort(np.argsort(values)) / (len(options) - 1)
        if all(v == int(v) for v in values):
            rows[:, -2] = [int(v) % 2 == 0 for v in values]
            rows[:, -1] = [int(v) % 3 == 0 for v in values]
    return rows


def train_logistic(x: np.ndarray, y: np.ndarray, steps: int = 400, lr: float = 0.5, l2: float = 0.0) -> np.ndarray:
    w = np.zeros(x.shape[1] + 1)
    xb = np.hstack([x, np.ones((len(x), 1))])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ w))
        w -= lr * (xb.T @ (p - y) / len(y) + l2 * w)
    return w


def items_of(gen, count: int, seed: int) -> list:
    out, index = [], 0
    while len(out) < count and index < count * 3:
        try:
            item = build_item(gen.id, seed, index, difficulty=("easy", "medium", "hard")[index % 3], fmt="mcq")
        except ValueError:
            item = None
        index += 1
        if item is not None and len(item.choices) == 4:
            out.append(item)
    return out


def evaluate(gen, count: int) -> dict[str, float]:
    train, test = items_of(gen, count, seed=101), items_of(gen, count, seed=202)
    keys = lambda items: [ord(i.answer) - ord("A") for i in items]  # noqa: E731
    scores = {}
    for name, pick in HEURISTICS.items():
        hits = [1.0 if (p := pick(list(i.choices))) == k else (CHANCE if p is None else 0.0) for i, k in zip(test, keys(test))]
        scores[name] = float(np.mean(hits))
    x = np.vstack([features(list(i.choices)) for i in train])
    y = np.concatenate([np.eye(4)[k] for k in keys(train)])
    w = train_logistic(x, y)
    right = []
    for item, key in zip(test, keys(test)):
        f = np.hstack([features(list(item.choices)), np.ones((4, 1))]) @ w
        best = np.flatnonzero(f == f.max())
        right.append(1.0 / len(best) if key in best else 0.0)
    scores["classifier"] = float(np.mean(right))
    scores["n"] = len(test)
    return scores


# True/false claims read by their surface (issue #26, item 2): a logistic classifier on hashed
# words and character trigrams of the claim (its numbers, bases, SMILES pieces), its length and
# its digit count, trained on one seed's claims and tested on another's. Target: <= 0.60.
SURFACE_BUCKETS = 2048
TF_TARGET = 0.60


def surface_features(question: str) -> np.ndarray:
    claim = question.split("\n\n")[0]  # the answer-format instructions are the same on every item
    v = np.zeros(SURFACE_BUCKETS + 2)
    for token in re.findall(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]", claim):
        v[zlib.crc32(("w:" + token).encode()) % SURFACE_BUCKETS] = 1
        for k in range(len(token) - 2):
            v[zlib.crc32(("c:" + token[k:k + 3]).encode()) % SURFACE_BUCKETS] = 1
    v[-2], v[-1] = len(claim) / 200, sum(c.isdigit() for c in claim) / 50
    return v


def true_false_items(gen, count: int, seed: int) -> list:
    return [build_item(gen.id, seed, i, difficulty=("easy", "medium", "hard")[i % 3], fmt="true_false") for i in range(count)]


def surface_accuracy(gen, count: int) -> dict[str, float]:
    """Held-out accuracy of the surface classifier, and of always answering the commoner value."""
    train, test = true_false_items(gen, count, 101), true_false_items(gen, count, 202)
    x = np.vstack([surface_features(i.question) for i in train])
    y = np.array([i.answer == "true" for i in train], dtype=float)
    w = train_logistic(x, y, steps=600, l2=1e-2)  # thousands of sparse features: regularised
    xt = np.hstack([np.vstack([surface_features(i.question) for i in test]), np.ones((len(test), 1))])
    truth = np.array([i.answer == "true" for i in test])
    share = float(truth.mean())
    return {"surface": float(((xt @ w > 0) == truth).mean()), "majority": max(share, 1 - share), "n": len(test)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--generator", action="append")
    args = parser.parse_args()
    gens = [g for g in all_generators() if "mcq" in g.formats and (not args.generator or g.id in args.generator)]
    names = [*HEURISTICS, "classifier"]
    print(f"answer-free accuracy on MCQ items (chance {CHANCE:.2f}, target <= {CHANCE + 0.05:.2f})")
    print(f"{'generator':<32}{'n':>6}" + "".join(f"{n[:11]:>12}" for n in names) + f"{'worst':>8}")
    over = []
    for gen in gens:
        s = evaluate(gen, args.items)
        worst = max(s[n] for n in names)
        over += [gen.id] if worst > CHANCE + 0.05 else []
        print(f"{gen.id:<32}{s['n']:>6}" + "".join(f"{s[n]:>12.2f}" for n in names) + f"{worst:>8.2f}{'  OVER' if worst > CHANCE + 0.05 else ''}")
    print(f"generators over chance + 5 points: {len(over)} of {len(gens)}")
    tf = [g for g in all_generators() if "true_false" in g.formats and (not args.generator or g.id in args.generator)]
    if tf:
        print(f"\ntrue/false claims read by their surface (target <= {TF_TARGET:.2f})")
        print(f"{'generator':<32}{'n':>6}{'surface':>10}{'majority':>10}")
        loud = 0
        for gen in tf:
            r = surface_accuracy(gen, min(args.items, 600))
            loud += r["surface"] > TF_TARGET
            print(f"{gen.id:<32}{r['n']:>6}{r['surface']:>10.2f}{r['majority']:>10.2f}{'  OVER' if r['surface'] > TF_TARGET else ''}")
        print(f"true/false generators over {TF_TARGET:.2f}: {loud} of {len(tf)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
