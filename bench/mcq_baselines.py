"""Answer-free baselines on multiple-choice items (issue #14): per generator, how often the key is
picked from the options alone, without the question. Heuristics: the similarity centroid, the
longest and the shortest option, the numeric extremes and the option nearest the others' mean,
the median rank, and the odd format out; then a logistic classifier on per-option features,
trained on other seeds' items of the same generator. Target: every generator within chance
(1/4) + 5 points.

    .venv/bin/python bench/mcq_baselines.py [--items 1000] [--generator ID ...]
"""

from __future__ import annotations

import argparse
import re
import sys
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


HEURISTICS = {"centroid": _centroid, "longest": _longest, "shortest": shortest, "nearest_mean": _nearest_mean,
              "largest": largest, "smallest": smallest, "median_rank": median_rank, "odd_format": odd_format}


def features(options: list[str]) -> np.ndarray:
    """One row per option: which heuristics pick it, its length rank, its numeric rank."""
    rows = np.zeros((len(options), len(HEURISTICS) + 2))
    for j, pick in enumerate(HEURISTICS.values()):
        chosen = pick(options)
        if chosen is not None:
            rows[chosen, j] = 1.0
    lengths = np.argsort(np.argsort([len(o) for o in options]))
    rows[:, -2] = lengths / (len(options) - 1)
    values = numbers(options)
    if values is not None:
        rows[:, -1] = np.argsort(np.argsort(values)) / (len(options) - 1)
    return rows


def train_logistic(x: np.ndarray, y: np.ndarray, steps: int = 400, lr: float = 0.5) -> np.ndarray:
    w = np.zeros(x.shape[1] + 1)
    xb = np.hstack([x, np.ones((len(x), 1))])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ w))
        w -= lr * xb.T @ (p - y) / len(y)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
