"""Multiple choice that needs the work: on the generators whose options are built as slip squares
(mintbench/items/distractors.py), no answer-free baseline — similarity centroid, length, extremes,
median rank, odd format, or a classifier trained on another seed — picks the key much more often
than chance. `make bench` (bench/mcq_baselines.py) measures every generator on 1,000 items against
chance + 5 points; this gate uses 300 items and chance + 10 points, so that sampling noise cannot
fail it while a key-centred family (0.85-0.99 before) cannot pass it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from mcq_baselines import CHANCE, evaluate  # noqa: E402

from mintbench.items.registry import get  # noqa: E402

SQUARED = [
    "math.linear_system", "chemistry.formula_of_named", "chemistry.molar_mass", "biology.pcr_product",
    "biology.protein_mass", "biology.gc_content", "biology.primer_tm", "biology.longest_orf", "biology.alignment_score",
]


@pytest.mark.parametrize("generator", SQUARED)
def test_the_key_cannot_be_read_off_the_options(generator):
    scores = evaluate(get(generator), 300)
    worst = max((v, k) for k, v in scores.items() if k != "n")
    assert scores["n"] >= 250 and worst[0] <= CHANCE + 0.10, (generator, worst)
