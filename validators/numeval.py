"""Fast numeric evaluation of SymPy trees at many points at once (NumPy, complex128).

Grading and proofs spot-check expressions at a handful of points; `evalf(subs=...)` and
`lambdify` cost milliseconds per expression, a direct tree walk costs microseconds.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy


class Unsupported(ValueError):
    pass


_FUNCS = {
    sympy.sin: np.sin, sympy.cos: np.cos, sympy.tan: np.tan,
    sympy.cot: lambda v: 1 / np.tan(v), sympy.sec: lambda v: 1 / np.cos(v), sympy.csc: lambda v: 1 / np.sin(v),
    sympy.asin: np.arcsin, sympy.acos: np.arccos, sympy.atan: np.arctan,
    sympy.sinh: np.sinh, sympy.cosh: np.cosh, sympy.tanh: np.tanh, sympy.acot: lambda v: np.arctan(1 / v),
    sympy.asinh: np.arcsinh, sympy.acosh: np.arccosh, sympy.atanh: np.arctanh,
    sympy.exp: np.exp, sympy.log: np.log, sympy.Abs: np.abs,
    # What differentiating |x| over the reals gives (an ODE answer with abs(x) in it): the
    # derivatives are read where they exist, and the kink itself is undefined.
    sympy.sign: np.sign, sympy.Heaviside: lambda v: np.where(v == 0, np.nan, np.heaviside(v.real, 0.5)),
}


def _walk(expr: sympy.Basic, env: dict) -> np.ndarray | complex:
    if expr.is_Symbol:
        try:
            return env[expr.name]
        except KeyError:
            raise Unsupported(f"free symbol {expr.name}") from None
    if expr.is_Integer:
        return int(expr)
    if expr.is_Rational:
        return int(expr.p) / int(expr.q)
    if expr.is_Number or expr.is_NumberSymbol:
        return complex(expr)
    if expr.is_Add:
        out = 0
        for a in expr.args:
            out = out + _walk(a, env)
        return out
    if expr.is_Mul:
        out = 1
        for a in expr.args:
            out = out * _walk(a, env)
        return out
    if expr.is_Pow:
        return _walk(expr.base, env) ** _walk(expr.exp, env)
    if isinstance(expr, sympy.DiracDelta):  # zero away from its point, undefined at it
        v = _walk(expr.args[0], env)
        return np.where(np.asarray(v) == 0, np.nan, 0.0)
    fn = _FUNCS.get(expr.func)
    if fn is None or len(expr.args) != 1:
        raise Unsupported(f"function {expr.func}")
    return fn(_walk(expr.args[0], env))


def evaluate_at(expr: sympy.Expr, points: dict[str, np.ndarray]) -> np.ndarray:
    """Values of expr at the given points; NaN where undefined."""
    size = len(next(iter(points.values()))) if points else 1
    env = {k: np.asarray(v, dtype=complex) for k, v in points.items()}
    with np.errstate(all="ignore"):
        value = _walk(expr, env)
    out = np.broadcast_to(np.asarray(value, dtype=complex), (size,)).copy()
    out[~np.isfinite(out)] = np.nan
    return out


def slope_at(expr: sympy.Expr, name: str, xs: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """Five-point central difference: an independent route to a derivative."""
    xs = np.asarray(xs, dtype=float)
    f = lambda d: evaluate_at(expr, {name: xs + d})  # noqa: E731
    return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h)


def agree(a: np.ndarray, b: np.ndarray, rel: float) -> np.ndarray:
    """Pointwise closeness, NaN where either side is undefined."""
    ok = np.abs(a - b) <= rel * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    return np.where(np.isnan(a) | np.isnan(b), np.nan, ok)


def evaluate_exact(expr: sympy.Basic, env: dict[str, Fraction]) -> Fraction:
    """Exact value of a rational expression (sums, products, integer powers)."""
    if expr.is_Symbol:
        return env[expr.name]
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if expr.is_Add:
        return sum((evaluate_exact(a, env) for a in expr.args), Fraction(0))
    if expr.is_Mul:
        out = Fraction(1)
        for a in expr.args:
            out *= evaluate_exact(a, env)
        return out
    if expr.is_Pow:
        exp = evaluate_exact(expr.exp, env)
        if exp.denominator != 1 or abs(exp) > 10_000:
            raise Unsupported("non-integer power")
        return evaluate_exact(expr.base, env) ** int(exp)
    raise Unsupported(f"not rational: {expr.func}")
