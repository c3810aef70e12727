"""Integers, exact rationals and tolerance-compared numbers."""

from __future__ import annotations

import math
from fractions import Fraction

import sympy

from mintbench.items.schema import Tolerance
from validators.parsing import parse_expression, parse_fraction, parse_integer
from validators.result import Grade, Unparsable, correct, wrong


def within(given: float, gold: float, tol: Tolerance) -> bool:
    """|given - gold| <= max(abs, rel * |gold|): a relative tolerance alone never accepts
    anything at a zero target, so items with zero targets must state an absolute one."""
    return abs(given - gold) <= tol.width(gold)


def grade_integer(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    return correct() if parse_integer(text) == int(gold) else wrong("different integer")


def grade_rational(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """Exact value: '1/2', '0.5' and '\\frac{1}{2}' are the same answer."""
    target = Fraction(gold)
    given = parse_fraction(text)
    if given == target:
        return correct()
    if tol.abs or tol.rel:
        return correct("within tolerance") if within(float(given), float(target), tol) else wrong("outside tolerance")
    return wrong("different value")


def grade_number(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    try:
        value = float(parse_fraction(text))
    except Exception:
        expr = parse_expression(text)
        if not isinstance(expr, sympy.Expr):
            raise Unparsable("not a single number") from None  # '1,2,3' reads as a tuple
        value = complex(expr.evalf())
        if abs(value.imag) > 1e-12:
            return wrong("not a real number")
        value = value.real
    if not math.isfinite(value):
        return wrong("not a finite number")
    return correct("within tolerance") if within(value, float(gold), tol) else wrong("outside tolerance")
