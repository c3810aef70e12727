"""Answers with many valid forms, graded by checking every stated constraint."""

from __future__ import annotations

import sympy

from mintbench.items.schema import Tolerance
from validators.parsing import parse_expression, parse_integer, split_top_level, strip_brackets
from validators.result import Grade, Unparsable, correct, wrong


def check_polynomial(expr: sympy.Expr, args: dict) -> str | None:
    """None when expr meets every constraint in args, else the first unmet one."""
    x = sympy.Symbol("x")
    if not expr.is_polynomial(x):
        return "not a polynomial in x"
    poly = sympy.Poly(expr, x)
    if poly.degree() != args["degree"]:
        return "wrong degree"
    if not all(c.is_Integer for c in poly.all_coeffs()):
        return "coefficients are not all integers"
    if args.get("monic") and poly.LC() != 1:
        return "not monic"
    for r in args["roots"]:
        if poly.eval(sympy.Rational(r)) != 0:
            return "a required root is missing"
    values = ([args["value_at"]] if "value_at" in args else []) + args.get("values_at", [])
    for at, want in values:
        if poly.eval(sympy.Rational(at)) != sympy.Rational(want):
            return "a required value is not met"
    if "critical_points" in args:
        # Exactly these critical points: p' vanishes at each, and (degree - 1 of them, distinct)
        # p' has no other root, real or complex.
        slope = poly.diff(x)
        if any(slope.eval(sympy.Rational(c)) != 0 for c in args["critical_points"]):
            return "a required critical point is missing"
        if len(set(args["critical_points"])) != slope.degree():
            return "has critical points other than the required ones"
    return None


def grade_polynomial_constraints(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    problem = check_polynomial(parse_expression(text, ("x",)), args)
    return correct("meets every constraint") if problem is None else wrong(problem)


def parse_int_pair(text: str) -> tuple[int, int]:
    parts = split_top_level(strip_brackets(text), ",;")
    if len(parts) != 2:
        raise Unparsable("expected two integers")
    return tuple(parse_integer(p.split("=")[-1]) for p in parts)  # type: ignore[return-value]


def grade_linear_combination(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    x, y = parse_int_pair(text)
    a, b, c = args["a"], args["b"], args["c"]
    if a * x + b * y != c:
        return wrong("a*x + b*y differs from the target")
    bound = args.get("bound")
    if bound is not None and (abs(x) > bound or abs(y) > bound):
        return wrong("outside the stated bound")
    return correct("meets every constraint")
