"""Played as a lab holding a token (issue #25): grading work must depend on the response alone,
so that the reply's time says nothing about whether a guess matched a gold."""

from __future__ import annotations

import math
import time

import pytest

from mintbench.items.registry import build_item
from mintbench.runners.grading import grade_items, summarize
from validators.sandbox import Allowance, shared

QUANTUM_S = 0.25  # the reply slot of the probed service in test_grading_service.py
SLOW = "(x**151 + x + 1)"


@pytest.fixture(scope="module")
def exam():
    """Items of the two answer types whose form check once ran only after a matching value,
    with the other items a submission would fill."""
    items = [build_item(g, 25, i, fmt="open") for g in ("math.factor", "math.partial_fractions") for i in range(3)]
    items += [build_item("math.totient", 25, i, fmt="open") for i in range(14)]
    return items


def _probe(target, guess: str) -> str:
    return f"<answer>({guess})*{SLOW}/{SLOW}</answer>"


def test_the_degree_151_probe_tells_a_right_guess_from_a_wrong_one_no_better_than_chance(exam):
    """50 submissions through the service's own grading call (sandboxed, under its allowance),
    the probe right or wrong in turn, the filler the same: the released report is the same, and
    the reply slot the service would send it in tells right from wrong no better than chance.
    Before the fix, a right guess spent 0.64 s factoring the trinomial and a wrong one 3 ms."""
    targets = [i for i in exam if i.answer_type in ("factored", "partial_fractions")]
    filler = {i.item_id: "<answer>maybe 123</answer>" for i in exam}
    reports, slots = {True: [], False: []}, {True: [], False: []}
    shared().start()
    for n in range(50):
        right = n % 2 == 0
        target = targets[n % len(targets)]
        guess = target.answer if right else "(x - 1)*(x + 2)"
        predictions = {**filler, target.item_id: _probe(target, guess)}
        started = time.monotonic()
        graded = grade_items(exam, predictions, allowance=Allowance.for_submission(len(predictions)))
        elapsed = time.monotonic() - started
        slots[right].append(max(1, math.ceil(elapsed / QUANTUM_S)))
        verdict = next(g for item, g, _ in graded if item.item_id == target.item_id)
        reports[right].append((target.answer_type, verdict.status, summarize(graded, by=("domain",))["overall"]["correct"]))
    # The best threshold on the slot, chosen after seeing all 50: at most chance + 20 points
    # (two samples of one distribution stay under that at p < 0.001 for 25 + 25 draws).
    best = max(
        (sum(s >= cut for s in slots[True]) + sum(s < cut for s in slots[False])) / 50
        for cut in {*slots[True], *slots[False], 10**6}
    )
    best = max(best, 1 - best)
    assert best <= 0.70, (best, slots)
    assert sorted(set(reports[True])) == sorted(set(reports[False]))
    assert {status for _, status, _ in reports[True]} == {"unparsed"}  # refused by the degree cap, before any comparison
