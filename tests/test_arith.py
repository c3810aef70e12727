"""validators.arith, the exact reader the integer proofs use instead of SymPy: it must agree
with SymPy wherever it answers, and refuse (never guess) whatever is not exact arithmetic."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy

from generators.math._common import bareiss_det
from validators import arith


def _random_text(rng: random.Random, depth: int, names: list[str]) -> str:
    if depth == 0 or rng.random() < 0.3:
        return rng.choice([str(rng.randint(-9, 9)), *names])
    op = rng.choice(["+", "-", "*", "/", "**"])
    left = _random_text(rng, depth - 1, names)
    right = str(rng.randint(0, 3)) if op == "**" else _random_text(rng, depth - 1, names)
    return f"({left}) {op} ({right})"


def test_values_agree_with_sympy_on_random_expressions():
    rng = random.Random(5)
    checked = 0
    for _ in range(400):
        text = _random_text(rng, 4, ["a", "b"])
        values = {"a": rng.randint(-6, 6), "b": Fraction(rng.randint(-6, 6), rng.randint(1, 4))}
        try:  # Python's own arithmetic on Fractions says where a zero divides (SymPy reads x/zoo as 0)
            eval(text, {"__builtins__": {}}, {"a": Fraction(values["a"]), "b": values["b"]})
        except ZeroDivisionError:
            with pytest.raises(arith.NotArithmetic, match="division by zero"):
                arith.value(text, values)
            continue
        exact = sympy.sympify(text, locals={"a": sympy.Integer(values["a"]), "b": sympy.Rational(values["b"].numerator, values["b"].denominator)})
        assert arith.value(text, values) == Fraction(int(exact.p), int(exact.q)), text
        checked += 1
    assert checked > 300  # most draws divide by no zero


def test_polynomials_differentiate_and_integrate_as_sympy_does():
    rng = random.Random(6)
    x = sympy.Symbol("x")
    for _ in range(200):
        text = _random_text(rng, 3, ["x", "u"]).replace("/", "*")
        u = rng.randint(-5, 5)
        p = arith.polynomial(text, {"u": u})
        f = sympy.expand(sympy.sympify(text, locals={"x": x, "u": sympy.Integer(u)}))
        t = rng.randint(-3, 3)
        assert arith.at(p, t) == f.subs(x, t)
        assert arith.at(arith.derivative(p), t) == sympy.diff(f, x).subs(x, t)
        integral = arith.antiderivative(p)
        assert arith.at(integral, t) - arith.at(integral, 0) == sympy.integrate(f, (x, 0, t))


@pytest.mark.parametrize(("text", "why"), [
    ("2.5 + a", "Constant"),
    ("sin(a)", "Call"),
    ("a + c", "no value for c"),
    ("a ** 65", "exponent 65"),
    ("a ** -1", "exponent -1"),
    ("a ** (1/2)", "exponent 1/2"),
    ("a ^ 2", "BinOp"),
    ("a / (b - b)", "division by zero"),
    ("3 +", "not an expression"),
    ("True + 1", "Constant"),
    ("1" * 2001, "longer than 2000"),
])
def test_what_is_not_exact_arithmetic_is_refused_by_name(text, why):
    with pytest.raises(arith.NotArithmetic, match=why):
        arith.value(text, {"a": 2, "b": 3})


def test_a_polynomial_exponent_must_not_depend_on_the_variable():
    with pytest.raises(arith.NotArithmetic, match="an exponent depends on the variable"):
        arith.polynomial("2 ** x")


def test_bareiss_determinant_matches_sympy():
    rng = random.Random(7)
    for _ in range(500):
        n = rng.randint(1, 5)
        rows = [[rng.randint(-4, 4) if rng.random() < 0.8 else 0 for _ in range(n)] for _ in range(n)]
        assert bareiss_det(rows) == int(sympy.Matrix(rows).det()), rows
