"""Exact arithmetic on printed text: integers, named values, + - * /, whole powers and brackets,
and polynomials in one variable, read with Python's own parser and computed in `Fraction`s.

Proofs of the integer and rational generators read the printed question with this instead of
SymPy: the route stays independent of the generator (which computes from its draws, never from
its text), and it costs microseconds where SymPy's `sympify` and `subs` cost a millisecond.
Anything else in the text (a float, a function call, a name with no value) is refused by name.
"""

from __future__ import annotations

import ast
import functools
import operator
from fractions import Fraction

# power of the variable -> coefficient; no zero coefficients. Coefficients stay ints while
# they are whole (several times cheaper than Fractions, and equal to them in every comparison).
Poly = dict[int, Fraction | int]
MAX_TEXT = 2_000
MAX_POWER = 64


# + - * on plain values, the same for exact numbers here and for NumPy arrays (validators.numtext).
RING_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


class NotArithmetic(ValueError):
    """The text is not exact arithmetic this reader computes; the message names what is not."""


@functools.lru_cache(maxsize=4096)
def _tree(text: str) -> ast.expr:
    if len(text) > MAX_TEXT:
        raise NotArithmetic(f"text longer than {MAX_TEXT} characters")
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise NotArithmetic(f"not an expression: {text[:40]!r}") from None


def _const(c: Fraction | int) -> Poly:
    return {0: c} if c else {}


def _add(p: Poly, q: Poly, sign: int = 1) -> Poly:
    out = dict(p)
    for k, v in q.items():
        s = out.get(k, 0) + sign * v
        if s:
            out[k] = s
        else:
            out.pop(k, None)
    return out


def _mul(p: Poly, q: Poly) -> Poly:
    out: Poly = {}
    for i, a in p.items():
        for j, b in q.items():
            out[i + j] = out.get(i + j, 0) + a * b
    return {k: v for k, v in out.items() if v}


def _constant_of(p: Poly, what: str) -> Fraction | int:
    if any(k != 0 for k in p):
        raise NotArithmetic(f"{what} depends on the variable")
    return p.get(0, 0)


def _read(node: ast.expr, values: dict[str, Fraction | int], var: str | None) -> Poly:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return _const(node.value)
    if isinstance(node, ast.Name):
        if node.id == var:
            return {1: 1}
        if node.id not in values:
            raise NotArithmetic(f"no value for {node.id}")
        return _const(values[node.id])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _read(node.operand, values, var)
        return {k: -v for k, v in inner.items()} if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        left, right = _read(node.left, values, var), _read(node.right, values, var)
        if isinstance(node.op, ast.Add):
            return _add(left, right)
        if isinstance(node.op, ast.Sub):
            return _add(left, right, -1)
        if isinstance(node.op, ast.Mult):
            return _mul(left, right)
        if isinstance(node.op, ast.Div):
            divisor = _constant_of(right, "a divisor")
            if divisor == 0:
                raise NotArithmetic("division by zero")
            return {k: Fraction(v) / divisor for k, v in left.items()}
        if isinstance(node.op, ast.Pow):
            power = _constant_of(right, "an exponent")
            if power.denominator != 1 or not 0 <= power <= MAX_POWER:
                raise NotArithmetic(f"exponent {power} is not a whole number from 0 to {MAX_POWER}")
            out = _const(1)
            for _ in range(int(power)):
                out = _mul(out, left)
            return out
    raise NotArithmetic(f"{type(node).__name__} is not exact arithmetic")


def polynomial(text: str, values: dict[str, Fraction | int] | None = None, var: str = "x") -> Poly:
    """The polynomial in `var` that `text` prints, with named values filled in."""
    return _read(_tree(text), values or {}, var)


def _number(node: ast.expr, values: dict[str, Fraction | int]) -> Fraction | int:
    """`_read` for text with no variable: plain numbers, ints while they stay whole."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise NotArithmetic(f"no value for {node.id}")
        return values[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _number(node.operand, values)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        left, right = _number(node.left, values), _number(node.right, values)
        if type(node.op) in RING_OPS:
            return RING_OPS[type(node.op)](left, right)
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise NotArithmetic("division by zero")
            return Fraction(left) / right
        if isinstance(node.op, ast.Pow):
            if getattr(right, "denominator", 1) != 1 or not 0 <= right <= MAX_POWER:
                raise NotArithmetic(f"exponent {right} is not a whole number from 0 to {MAX_POWER}")
            return left ** int(right)
    raise NotArithmetic(f"{type(node).__name__} is not exact arithmetic")


def value(text: str, values: dict[str, Fraction | int] | None = None) -> Fraction:
    """The exact number that `text` prints, with named values filled in."""
    return Fraction(number(text, values))


def number(text: str, values: dict[str, Fraction | int] | None = None) -> Fraction | int:
    """`value`, but an int while the arithmetic stays whole (a Fraction costs ten times more)."""
    return _number(_tree(text), values or {})


def at(p: Poly, x: Fraction | int) -> Fraction | int:
    """p(x), exact: an int where every coefficient and x are whole."""
    return sum((c * x ** k for k, c in p.items()), 0)


def derivative(p: Poly) -> Poly:
    return {k - 1: c * k for k, c in p.items() if k}


def antiderivative(p: Poly) -> Poly:
    """Coefficients stay ints where k + 1 divides them."""
    return {k + 1: c // (k + 1) if type(c) is int and c % (k + 1) == 0 else Fraction(c) / (k + 1) for k, c in p.items()}
