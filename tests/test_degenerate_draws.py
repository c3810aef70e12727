"""Draws an examiner would strike are rejected at generation: a triangular (or scalar, or zero)
matrix whose eigenvalues or determinant sit on its diagonal, congruences with one shared residue
(x is read off the first), a monomial or a power of one binomial to 'factor completely', the
totient of a prime, a linear combination one division answers (issue #26). 2,000 items per
generator, over all difficulties."""

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


@pytest.mark.parametrize("rows, triangular", [
    ([[2, 0], [0, 2]], True), ([[0, 0], [0, 0]], True), ([[1, 5], [0, 3]], True), ([[1, 0], [4, 3]], True), ([[1, 2], [3, 4]], False),
])
def test_triangular_means_what_it_says(rows, triangular):
    assert is_triangular(rows) is triangular


def test_no_limit_is_a_constant_times_one_fraction():
    """c*(x - a)/(d*(x - a)): every easy limit was this before, its value read off the leads."""
    x = sympy.Symbol("x")
    for item in _items("math.limit", 600):
        ratio = sympy.cancel(sympy.sympify(item.params["numerator"]) / sympy.sympify(item.params["denominator"]))
        assert ratio.has(x), (item.params["numerator"], item.params["denominator"])


def test_hard_trig_angles_leave_the_first_turn():
    """cos(0) was asked on hard: hard angles now lie one or more whole turns away."""
    for item in _items("math.trig_values"):
        if item.params["difficulty"] == "hard":
            assert not 0 <= item.params["degrees"] < 360, item.params["degrees"]


def test_piecewise_cuts_always_matter():
    x = sympy.Symbol("x")
    for item in _items("math.piecewise_reading", 600):
        pieces = [sympy.sympify(p) for p in item.params["pieces"]]
        for i, cut in enumerate(item.params["cuts"]):
            assert pieces[i].subs(x, cut) != pieces[i + 1].subs(x, cut), item.params


def test_no_two_options_are_one_answer():
    """Options that coincide once read ({1} beside {1, 1}; 1/2 beside 2/4) leave fewer choices than offered."""
    from validators.grade import grade_answer

    for gid in ("math.polynomial_roots", "math.eigenvalues", "math.limit", "math.probability", "chemistry.formula"):
        for index in range(60):
            item = build_item(gid, 5, index, difficulty=DIFFICULTIES[index % 3], fmt="mcq")
            kind, args = item.params["open_answer_type"], item.params["open_grader_args"]
            for a in item.choices:
                for b in item.choices:
                    if a is not b:
                        assert grade_answer(kind, a, b, args, item.tolerance).status != "correct", (gid, item.choices)


def test_orf_options_are_all_whole_codons():
    """An ORF length that is not a multiple of 3 is ruled out without finding any ORF."""
    for index in range(200):
        item = build_item("biology.longest_orf", 5, index, difficulty=DIFFICULTIES[index % 3], fmt="mcq")
        assert all(int(c) % 3 == 0 for c in item.choices), item.choices


def test_a_different_molecule_is_always_an_isomer():
    """'Same compound?' with a partner of another formula is answered by counting atoms."""
    from rdkit import Chem
    from rdkit.Chem import rdMolDescriptors

    for index in range(300):
        item = build_item("chemistry.same_molecule", 5, index, difficulty=DIFFICULTIES[index % 3])
        a, b = (rdMolDescriptors.CalcMolFormula(Chem.MolFromSmiles(item.params[k])) for k in ("a", "b"))
        assert a == b, (item.params, item.answer)


def test_no_determinant_matrix_is_triangular():
    assert not [i.params["matrix"] for i in _items("math.determinant") if is_triangular(i.params["matrix"])]


def test_no_totient_is_of_a_prime():
    """At any difficulty, so it also holds what a removed test asserted (no prime above easy)."""
    assert not [i.params["n"] for i in _items("math.totient") if sympy.isprime(i.params["n"])]


def test_no_linear_combination_is_answered_by_one_division():
    for item in _items("math.linear_combination"):
        a, b, c = (item.grader_args[k] for k in "abc")
        assert c % a and c % b, (a, b, c)


def test_every_polynomial_to_factor_has_two_distinct_factors():
    """Also what a removed test asserted on the same 2,000 items: no polynomial is one term (a
    monomial has one factor)."""
    x = sympy.Symbol("x")
    for item in _items("math.factor"):
        _, factors = sympy.factor_list(sympy.sympify(item.params["polynomial"]), x)
        assert len(factors) >= 2, item.params["polynomial"]


@pytest.mark.parametrize("generator", ["math.antiderivative", "math.standard_integral"])
def test_every_logarithm_in_an_antiderivative_has_its_domain_stated(generator):
    """c/(k*x) keyed log(k*x), and tan(k*x) keyed -log(cos(k*x)), were asked with no domain:
    an examiner states where the logarithm's argument is positive."""
    stated = 0
    for item in _items(generator, 600):
        logs = sympy.sympify(item.answer).atoms(sympy.log)
        first_line = item.question.split("\n")[0]
        for log in logs:
            arg = log.args[0]
            assert "x > 0" in first_line if (arg / sympy.Symbol("x")).is_number else f"{arg} > 0" in first_line, first_line
        stated += bool(logs)
    assert stated > 10


def test_every_equation_of_a_linear_system_holds_two_unknowns():
    for item in _items("math.linear_system"):
        assert all(sum(1 for a in row if a) >= 2 for row in item.params["matrix"]), item.params["matrix"]
