"""Draws an examiner would strike are rejected at generation: a triangular (or scalar, or zero)
matrix whose eigenvalues sit on its diagonal, congruences with one shared residue (x is read off
the first), a monomial to 'factor completely'. 2,000 items per generator, over all difficulties."""

from __future__ import annotations

import pytest
import sympy

from generators.math.matrices import is_triangular
from mintbench.items.registry import build_item

DIFFICULTIES = ("easy", "medium", "hard")


def _items(generator: str, count: int = 2000):
    return [build_item(generator, 17, i, difficulty=DIFFICULTIES[i % 3], fmt="open") for i in range(count)]


def test_no_eigenvalue_matrix_is_triangular():
    assert not [i.params["matrix"] for i in _items("math.eigenvalues") if is_triangular(i.params["matrix"])]


def test_no_congruence_system_has_one_shared_residue():
    for item in _items("math.crt"):
        residues = [int(part.split("≡")[1].split("(")[0]) for part in item.question.split("\n")[0].split(";")]
        assert len(set(residues)) > 1, item.question[:200]


def test_nothing_to_factor_is_never_asked():
    for item in _items("math.factor"):
        assert len(sympy.Add.make_args(sympy.sympify(item.params["polynomial"]))) > 1, item.params["polynomial"]


@pytest.mark.parametrize("rows, triangular", [
    ([[2, 0], [0, 2]], True), ([[0, 0], [0, 0]], True), ([[1, 5], [0, 3]], True), ([[1, 0], [4, 3]], True), ([[1, 2], [3, 4]], False),
])
def test_triangular_means_what_it_says(rows, triangular):
    assert is_triangular(rows) is triangular
