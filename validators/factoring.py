"""A factored polynomial read with exact arithmetic: whether it is fully factored over the
integers, and what it expands to, for products written in plain arithmetic.

The symbolic route (validators.symbolic.grade_factored) parses with SymPy and asks
`factor_list` about every factor: about 5 ms an answer. Almost every answer to a factoring item
is a constant times powers of integer linear factors and irreducible quadratics, which exact
arithmetic decides in microseconds: a primitive linear factor is irreducible, and a primitive
quadratic is irreducible over Q exactly when its discriminant is not a square. Anything else (a
cubic factor, a rational coefficient, a nested power, a division by a polynomial, LaTeX,
implicit products) returns None, and the symbolic route decides. `tests/test_factoring.py`
checks that both routes give the same verdict.
"""

from __future__ import annotations

import ast
import math
from fractions import Fraction

from validators import arith

# Far above any polynomial a factoring or partial-fraction item asks about (degree 8 at most).
# The symbolic route refuses a written degree above it before any work (symbolic._form_first);
# past it, this reader hands over, so both refuse alike.
MAX_FORM_DEGREE = 24


class _Undecided(Exception):
    pass


def _written_degree(node: ast.expr, var: str) -> int:
    """Degree in `var` as written, counted as the symbolic route counts it (x**30 - x**30 is 30)."""
    if isinstance(node, ast.Name):
        return 1 if node.id == var else 0
    if isinstance(node, ast.Constant):
        return 0
    if isinstance(node, ast.UnaryOp):
        return _written_degree(node.operand, var)
    if isinstance(node, ast.BinOp):
        left, right = _written_degree(node.left, var), _written_degree(node.right, var)
        if isinstance(node.op, ast.Pow):
            if right or not isinstance(node.right, ast.Constant) or type(node.right.value) is not int:
                raise _Undecided
            return abs(node.right.value) * left
        if isinstance(node.op, (ast.Mult, ast.Div)):
            return left + right
        return max(left, right)
    raise _Undecided


def _factors(node: ast.expr, var: str, out: list[tuple[ast.expr, int]], constants: list[Fraction]) -> None:
    """The written factors of a product, flattened as the symbolic route flattens them."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        _factors(node.left, var, out, constants)
        _factors(node.right, var, out, constants)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        if isinstance(node.op, ast.USub):
            constants.append(Fraction(-1))
        _factors(node.operand, var, out, constants)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        _factors(node.left, var, out, constants)
        divisor = arith._read(node.right, {}, var)
        if any(k != 0 for k in divisor) or not divisor:
            raise _Undecided  # a division by a polynomial, or by zero
        constants.append(Fraction(1) / divisor[0])  # exact: 1/49 in floats times 49 is not 1
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        if isinstance(node.left, ast.BinOp) and isinstance(node.left.op, (ast.Pow, ast.Mult, ast.Div)):
            raise _Undecided  # a power of a power or of a product: the symbolic route judges it whole
        exponent = node.right
        if not (isinstance(exponent, ast.Constant) and type(exponent.value) is int and exponent.value >= 1):
            raise _Undecided
        out.append((node.left, exponent.value))
    else:
        out.append((node, 1))


def _is_square(n: int) -> bool:
    return n >= 0 and math.isqrt(n) ** 2 == n


def _irreducible_and_primitive(poly: arith.Poly) -> bool:
    degree = max(poly, default=0)
    if degree == 0:
        return True
    if any(c.denominator != 1 for c in poly.values()):
        raise _Undecided  # content over Q is the symbolic route's to judge
    coeffs = [int(poly.get(k, 0)) for k in range(degree + 1)]
    if math.gcd(*coeffs) != 1:
        return False
    if degree == 1:
        return True
    if degree == 2:
        c, b, a = coeffs
        return not _is_square(b * b - 4 * a * c)
    raise _Undecided  # a cubic or higher factor: factor_list decides


def read_factored(text: str, var: str = "x") -> tuple[bool, arith.Poly] | None:
    """(fully factored over the integers, the polynomial it expands to), or None where only the
    symbolic route can tell."""
    try:
        tree = arith._tree(text)
        if _written_degree(tree, var) > MAX_FORM_DEGREE:
            return None
        written: list[tuple[ast.expr, int]] = []
        constants: list[Fraction] = []
        _factors(tree, var, written, constants)
        product: arith.Poly = arith._const(math.prod(constants, start=Fraction(1)))
        factored = True
        for node, exponent in written:
            poly = arith._read(node, {}, var)
            if not poly:
                raise _Undecided  # a zero factor: the symbolic route's content rules decide
            factored = _irreducible_and_primitive(poly) and factored
            for _ in range(exponent):
                product = arith._mul(product, poly)
        return factored, product
    except (arith.NotArithmetic, _Undecided, RecursionError, ZeroDivisionError):
        return None
