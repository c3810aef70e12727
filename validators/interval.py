"""Unions of intervals, written '(-oo, 2] U [3, oo)' or in LaTeX with \\cup and \\infty."""

from __future__ import annotations

import re

import sympy

from mintbench.items.schema import Tolerance
from validators.parsing import clean, parse_expression
from validators.result import Grade, Unparsable, correct, wrong

_UNION = re.compile(r"\s*(?:\\cup|∪|\bU\b|\bunion\b|\bor\b|并)\s*")
_PIECE = re.compile(r"^\s*(\\left)?\s*([\(\[])(.*),(.*?)(\\right)?\s*([\)\]])\s*$", re.S)
_INF = {"oo": sympy.oo, "+oo": sympy.oo, "-oo": -sympy.oo, "inf": sympy.oo, "+inf": sympy.oo,
        "-inf": -sympy.oo, "infinity": sympy.oo, "-infinity": -sympy.oo, "\\infty": sympy.oo,
        "+\\infty": sympy.oo, "-\\infty": -sympy.oo}
_REALS = {"r", "\\mathbb{r}", "(-oo,oo)", "allrealnumbers", "ℝ"}
_EMPTY = {"∅", "\\emptyset", "\\varnothing", "{}", "empty", "noreal", "nosolution"}


def _endpoint(text: str) -> sympy.Expr:
    key = text.strip().replace(" ", "")
    if key in _INF:
        return _INF[key]
    value = parse_expression(text)
    if not value.is_real:
        raise Unparsable("interval endpoint is not a real number")
    return value


Piece = tuple[sympy.Expr, sympy.Expr, bool, bool]  # (low, high, low closed, high closed)


def parse_pieces(text: str) -> list[Piece] | sympy.Set:
    """The intervals as written, or a whole set (the reals, the empty set) named in words."""
    text = clean(text)
    squashed = text.replace(" ", "").lower()
    if squashed in _REALS:
        return sympy.S.Reals
    if squashed in _EMPTY:
        return sympy.S.EmptySet
    pieces = [p for p in _UNION.split(text) if p.strip()]
    if not pieces:
        raise Unparsable("no interval")
    out = []
    for piece in pieces:
        m = _PIECE.match(piece)
        if not m:
            raise Unparsable("not interval notation")
        _, left, lo, hi, _, right = m.groups()
        out.append((_endpoint(lo), _endpoint(hi), left == "[", right == "]"))
    return out


def contains(pieces: list[Piece], x) -> bool:
    return any(
        (lo < x or (lo_closed and lo == x)) and (x < hi or (hi_closed and hi == x))
        for lo, hi, lo_closed, hi_closed in pieces
    )


def parse_intervals(text: str) -> sympy.Set:
    pieces = parse_pieces(text)
    if isinstance(pieces, sympy.Set):
        return pieces
    out = sympy.S.EmptySet
    for lo, hi, lo_closed, hi_closed in pieces:
        out = sympy.Union(out, sympy.Interval(lo, hi, left_open=not lo_closed, right_open=not hi_closed))
    return out


def grade_interval(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    given, target = parse_intervals(text), parse_intervals(gold)
    return correct() if given == target else wrong("different set of values")
