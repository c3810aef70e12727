"""Multiple choice that needs the work: for every generator that offers multiple choice, no
answer-free baseline — similarity centroid, length, extremes, median rank, odd format, the
option relations (the option the others are simple mistakes of, or nobody's mistake), or a
classifier trained on another seed — picks the key much more often than chance. `make bench`
(bench/mcq_baselines.py) measures every generator on 1,000 items against chance + 5 points;
this gate uses 200 items and chance + 12 points, so that sampling noise over thirteen baselines
cannot fail it (0.37 is 3.9 binomial SDs above 0.25) while a key-centred family (0.39-0.99
before slip squares and sibling options) cannot pass it: a baseline at 0.45 stays under 0.37
with probability below 0.01."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from mcq_baselines import CHANCE, evaluate, slip_source, slip_target  # noqa: E402

from mintbench.items.distractors import numeric_square  # noqa: E402
from mintbench.items.registry import all_generators, build_item, get  # noqa: E402

MCQ = [g.id for g in all_generators() if "mcq" in g.formats]


@pytest.mark.parametrize("generator", MCQ)
def test_the_key_cannot_be_read_off_the_options(generator):
    scores = evaluate(get(generator), 200)
    worst = max((v, k) for k, v in scores.items() if k != "n")
    assert scores["n"] >= 180 and worst[0] <= CHANCE + 0.12, (generator, worst)


def test_a_count_near_zero_is_not_always_the_smallest_option():
    """The attack that beat the first slip squares: a slip that would go below zero was turned
    round, so a key of 0 or 1 was the smallest option (0.66 on ring counts). Now the corner is
    drawn first and an item that cannot take it is drawn again. On 300 items the band
    [0.17, 0.33] is 3.2 binomial SDs around 0.25; a key that is the smallest 40 % of the time
    falls outside it with probability above 0.99."""
    smallest = 0
    for index in range(300):
        item = build_item("chemistry.atom_count", 7, index, difficulty="easy", fmt="mcq")
        values = [int(c) for c in item.choices]
        smallest += values["ABCD".index(item.answer)] == min(values)
    assert 0.17 <= smallest / 300 <= 0.33


def test_a_square_keeps_the_key_denominator():
    """A slip that reduces (5/36 + 1/36 = 1/6) would leave the key the one fraction with the
    largest denominator."""
    for seed in range(200):
        rng = random.Random(seed)
        square = numeric_square(rng, "5/36", ["7/36", "1/2", "5/18"])
        assert square is None or all(s.endswith("/36") for s in square), square


def test_options_hold_no_two_equal_answers():
    for gid in ("math.polynomial_roots", "math.eigenvalues", "chemistry.boiling_point", "math.trig_values"):
        for index in range(40):
            item = build_item(gid, 3, index, difficulty=("easy", "hard")[index % 2], fmt="mcq")
            assert len(set(item.choices)) == 4, (gid, item.choices)


def test_the_option_relation_rules_find_the_key_of_a_family_built_around_it():
    """The examiner's rule (issue #26, item 3) has teeth: options that are each one mistake of
    the key (its negation, one more, twice plus one) give the key away to the first, and
    options that are mistakes of the key with no way back (twice plus one, the square, twice
    minus one) to the second;
    a slip square around the same key leaves them no unique pick or a corner other than the key
    as often as not."""
    for key in (7, -4, 12, 30):
        family = [str(key), str(-key), str(key + 1), str(2 * key + 1)]
        assert slip_source(family) == 0, family
        assert slip_target([str(key), str(2 * key + 1), str(key * key), str(2 * key - 1)]) == 0
    found = 0
    for seed in range(400):
        square = numeric_square(random.Random(seed), "17", ["18", "15", "-17", "35"])
        if square:
            options = ["17", *square]
            found += slip_source(options) == 0 or slip_target(options) == 0
    assert found / 400 <= 0.35
