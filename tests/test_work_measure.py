"""Presets that mean something (issue #14): every generator measures the work of its reference
solution (operations in the expression, cells of the alignment matrix, atoms of the molecule,
bases of the sequence, tables one must know) and that measure rises, on average, from easy to
medium to hard. The examiner's objection it answers: reaction_product's presets all drew the
same reactants, and partial_fractions' easy and medium differed by one root bound."""

from __future__ import annotations

import statistics

import pytest

from mintbench.items.registry import all_generators, build_item

ITEMS = 40


def mean_work(gen, difficulty: str) -> float:
    fmt = "open" if "open" in gen.formats else gen.formats[0]
    return statistics.mean(gen.work(build_item(gen.id, 11, i, difficulty=difficulty, fmt=fmt).params) for i in range(ITEMS))


@pytest.mark.parametrize("gen", all_generators(), ids=lambda g: g.id)
def test_work_rises_from_easy_to_hard(gen):
    easy, medium, hard = (mean_work(gen, d) for d in ("easy", "medium", "hard"))
    assert easy < medium < hard, (gen.id, easy, medium, hard)

