"""Sets, multisets and ordered tuples of numbers or expressions."""

from __future__ import annotations

import re

import sympy

from mintbench.items.schema import Tolerance
from validators.parsing import parse_expression, split_top_level, strip_brackets
from validators.result import Grade, Unparsable, correct, wrong
from validators.units import split_unit

_ASSIGN = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s*(?:_\{?\d+\}?)?\s*=\s*(.+)$", re.S)
_EMPTY = {"", "∅", "\\emptyset", "\\varnothing", "none", "empty"}


def _value(expr: sympy.Expr) -> complex:
    if expr.is_Rational:
        # Python's int / int is correctly rounded, as is evalf(30) read back as a float, and it
        # costs 1 us where evalf costs 35 (tests/test_graders.py compares them); past a float's range
        # evalf's route gives its infinity.
        try:
            return complex(expr.p / expr.q)
        except OverflowError:
            pass
    try:
        return complex(expr.evalf(30))
    except (TypeError, ValueError):
        raise Unparsable("element is not a number") from None


def parse_elements(text: str, unit: str | None = None) -> list[sympy.Expr]:
    inner = strip_brackets(text.strip())
    if inner.strip().lower() in _EMPTY:
        return []
    out = []
    for part in split_top_level(inner, ",;"):
        if re.fullmatch(r"(and|or|和|或)", part.strip()):
            continue
        m = _ASSIGN.match(part)
        out.append(parse_expression(split_unit(m.group(2) if m else part, unit)))
    return out


def _same(a: complex, b: complex) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _match_multiset(given: list[complex], gold: list[complex]) -> bool:
    remaining = list(gold)
    for g in given:
        hit = next((i for i, r in enumerate(remaining) if _same(g, r)), None)
        if hit is None:
            return False
        remaining.pop(hit)
    return not remaining


def _gold_values(gold: str) -> list[complex]:
    return [_value(e) for e in parse_elements(gold)]


def grade_set(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    given = [_value(e) for e in parse_elements(text)]
    unique: list[complex] = []
    for g in given:
        if not any(_same(g, u) for u in unique):
            unique.append(g)
    return correct() if _match_multiset(unique, _gold_values(gold)) else wrong("different set")


def grade_multiset(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """Repeated values count: eigenvalues with multiplicity, fragment lengths."""
    given = [_value(e) for e in parse_elements(text, args.get("unit"))]
    return correct() if _match_multiset(given, _gold_values(gold)) else wrong("different multiset")


def grade_tuple(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """Ordered values; 'x = 1, y = 2' is read by name when the item names its variables."""
    names = list(args.get("vars", []))
    inner = strip_brackets(text.strip())
    parts = split_top_level(inner, ",;")
    assigned = [_ASSIGN.match(p) for p in parts]
    if names and all(assigned) and sorted(m.group(1) for m in assigned) == sorted(names):
        by_name = {m.group(1): m.group(2) for m in assigned}
        parts = [by_name[n] for n in names]
    elif any(assigned):
        parts = [m.group(2) if m else p for m, p in zip(assigned, parts)]
    given = [_value(parse_expression(p)) for p in parts]
    target = _gold_values(gold)
    if len(given) != len(target):
        return wrong(f"expected {len(target)} values, got {len(given)}")
    return correct() if all(_same(a, b) for a, b in zip(given, target)) else wrong("different values")
