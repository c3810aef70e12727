"""Printed expressions evaluated numerically straight from their text: Python's own parser, a
short list of functions, NumPy at many points at once (complex128, NaN where undefined).

The calculus proofs compare a printed function's numeric slope with its printed derivative.
Parsing both with SymPy cost 6-7 ms an item; reading the text costs tens of microseconds. The
printed forms are SymPy's own `str` output of what the generator built, so the route stays
independent of the generator's symbolic work. Anything outside the list (another function, a
name with no value, implicit products, LaTeX) raises Unsupported and the caller parses with
SymPy instead.
"""

from __future__ import annotations

import ast

import numpy as np

from validators import arith


class Unsupported(ValueError):
    pass


_FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan, "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh,
}
_CONSTANTS = {"pi": np.pi, "E": np.e}


def _tree(text: str) -> ast.expr:
    """validators.arith's reader of the text (its cache and its length bound)."""
    try:
        return arith._tree(text)
    except arith.NotArithmetic as exc:
        raise Unsupported(str(exc)) from None


def _walk(node: ast.expr, var: str, xs: np.ndarray):
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.Name):
        if node.id == var:
            return xs
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        raise Unsupported(f"no value for {node.id}")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _walk(node.operand, var, xs)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        left, right = _walk(node.left, var, xs), _walk(node.right, var, xs)
        if type(node.op) in arith.RING_OPS:
            return arith.RING_OPS[type(node.op)](left, right)
        if isinstance(node.op, ast.Div):
            return np.divide(left, right)  # a zero divisor gives inf or NaN, read as undefined
        if isinstance(node.op, ast.Pow):
            if isinstance(left, int) and isinstance(right, int) and abs(right) > 64:
                raise Unsupported("an integer power too large to evaluate")
            return np.power(np.asarray(left, dtype=complex), right)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
            and len(node.args) == 1 and not node.keywords):
        return _FUNCTIONS[node.func.id](np.asarray(_walk(node.args[0], var, xs), dtype=complex))
    raise Unsupported(f"{type(node).__name__} is not evaluated here")


def evaluate(text: str, var: str, xs: np.ndarray) -> np.ndarray:
    """The values of `text` at the points `xs`; NaN where undefined."""
    xs = np.asarray(xs, dtype=complex)
    with np.errstate(all="ignore"):
        value = _walk(_tree(text), var, xs)
    out = np.broadcast_to(np.asarray(value, dtype=complex), xs.shape).copy()
    out[~np.isfinite(out)] = np.nan
    return out


def slope(text: str, var: str, xs: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """Five-point central difference of `text` at `xs`, as numeval.slope_at computes it."""
    xs = np.asarray(xs, dtype=float)
    f = lambda d: evaluate(text, var, xs + d)  # noqa: E731
    return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h)
