"""Symbolic answers: equivalence (numeric spot checks first, time-limited SymPy after),
equivalence up to a constant, and form checks where the form is the question."""

from __future__ import annotations

import cmath
import random
import signal
import threading
from contextlib import contextmanager

import sympy

from mintbench.schema import Tolerance
from validators.parsing import parse_expression, parse_unevaluated
from validators.result import Grade, Unparsable, correct, wrong

SPOT_POINTS = 8
SIMPLIFY_SECONDS = 2.0


class _Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """SIGALRM-based limit in the main thread; elsewhere no limit can be imposed safely,
    so callers use numeric evidence alone there."""
    if threading.current_thread() is not threading.main_thread():
        raise _Timeout()

    def _raise(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _symbols(args: dict) -> tuple[str, ...]:
    return tuple(args.get("vars", ("x",)))


def evaluate(expr: sympy.Expr, point: dict) -> complex | None:
    try:
        value = complex(expr.evalf(15, subs=point))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if cmath.isnan(value) or cmath.isinf(value):
        return None
    return value


def sample_points(names: tuple[str, ...], seed: str, n: int = SPOT_POINTS) -> list[dict]:
    # Deterministic per gold: the same response always gets the same verdict.
    rng = random.Random(seed)
    syms = [sympy.Symbol(v) for v in names]
    return [{s: sympy.Float(rng.uniform(0.35, 2.65), 20) for s in syms} for _ in range(n)]


def numerically_equal(a: sympy.Expr, b: sympy.Expr, names: tuple[str, ...], seed: str) -> bool | None:
    """True/False when enough points evaluate; None when the evidence is too thin."""
    agreed = 0
    for point in sample_points(names, seed):
        va, vb = evaluate(a, point), evaluate(b, point)
        if va is None or vb is None:
            continue
        if abs(va - vb) > 1e-9 * max(1.0, abs(va), abs(vb)):
            return False
        agreed += 1
    return True if agreed >= 3 else None


def equivalent(a: sympy.Expr, b: sympy.Expr, names: tuple[str, ...], seed: str) -> bool:
    if sympy.expand(a - b) == 0:
        return True
    verdict = numerically_equal(a, b, names, seed)
    if verdict is not None:
        return verdict
    try:
        with time_limit(SIMPLIFY_SECONDS):
            return sympy.simplify(a - b) == 0
    except _Timeout:
        return False


def grade_expression(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    names = _symbols(args)
    given = parse_expression(text, names)
    target = parse_expression(gold, names)
    return correct() if equivalent(given, target, names, gold) else wrong("not equivalent")


def grade_antiderivative(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """Any F with F' equal to the integrand; '+ C' is allowed and ignored."""
    names = _symbols(args)
    text = _drop_constant(text)
    given = parse_expression(text, names)
    x = sympy.Symbol(names[0])
    integrand = sympy.diff(parse_expression(gold, names), x)
    if equivalent(sympy.diff(given, x), integrand, names, gold):
        return correct()
    return wrong("derivative differs from the integrand")


def _drop_constant(text: str) -> str:
    for tail in ("+ C", "+C", "+ c", "+c", "+ K", "+K"):
        if text.rstrip().endswith(tail):
            return text.rstrip()[: -len(tail)]
    return text


def _factor_ok(factor: sympy.Expr, x: sympy.Symbol) -> bool:
    base = factor.base if isinstance(factor, sympy.Pow) and factor.exp.is_Integer and factor.exp > 0 else factor
    base = sympy.sympify(base)
    if not base.has(x):
        return base.is_number
    if not base.is_polynomial(x):
        return False
    poly = sympy.Poly(base, x)
    if poly.degree() == 0:
        return True
    content, factors = sympy.factor_list(poly.as_expr(), x)
    if sympy.Poly(poly, x).content() not in (1, -1):
        return False
    return len(factors) == 1 and factors[0][1] == 1


def is_fully_factored(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    """A constant times a product of primitive, irreducible (over Q) polynomial powers."""
    factors = sympy.Mul.make_args(expr) if isinstance(expr, sympy.Mul) else (expr,)
    non_constant = [f for f in factors if f.has(x)]
    if len(non_constant) == 1 and isinstance(non_constant[0], sympy.Add):
        # A lone sum is factored only if it cannot be split.
        return _factor_ok(non_constant[0], x)
    return all(_factor_ok(f, x) for f in factors)


def grade_factored(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    names = _symbols(args)
    x = sympy.Symbol(names[0])
    written = parse_unevaluated(text, names)
    given = parse_expression(text, names)
    if not equivalent(given, parse_expression(gold, names), names, gold):
        return wrong("not equivalent")
    if not is_fully_factored(written, x):
        return wrong("equivalent but not fully factored")
    return correct()


def _is_partial_fraction_term(term: sympy.Expr, x: sympy.Symbol) -> bool:
    num, den = sympy.fraction(sympy.together(term))
    if not den.has(x):
        return num.is_polynomial(x) if num.has(x) else True
    if not (num.is_polynomial(x) and den.is_polynomial(x)):
        return False
    _, factors = sympy.factor_list(den, x)
    if len(factors) != 1:
        return False
    base, _ = factors[0]
    return sympy.degree(num, x) < sympy.degree(base, x)


def grade_partial_fractions(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    names = _symbols(args)
    x = sympy.Symbol(names[0])
    given = parse_expression(text, names)
    if not equivalent(given, parse_expression(gold, names), names, gold):
        return wrong("not equivalent")
    written = parse_unevaluated(text, names)
    terms = sympy.Add.make_args(written) if isinstance(written, sympy.Add) else (written,)
    if not all(_is_partial_fraction_term(sympy.sympify(t), x) for t in terms):
        return wrong("equivalent but not in partial fractions")
    return correct()


def linear_recurrence_terms(coeffs: list[int], initial: list[int], count: int) -> list[int]:
    """a(n) = sum coeffs[k] * a(n-1-k), from the initial terms."""
    terms = list(initial)
    while len(terms) < count:
        terms.append(sum(c * terms[-1 - k] for k, c in enumerate(coeffs)))
    return terms[:count]


def grade_sequence_formula(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """A closed form must agree with the recurrence for n = 0..30."""
    n = sympy.Symbol("n", integer=True, nonnegative=True)
    given = parse_expression(text, ("n",)).xreplace({sympy.Symbol("n"): n})
    expected = linear_recurrence_terms(args["coeffs"], args["initial"], 31)
    for k, want in enumerate(expected):
        got = evaluate(given, {n: k})
        if got is None or abs(got - want) > 1e-9 * max(1.0, abs(want)):
            return wrong(f"disagrees with the recurrence at n={k}")
    return correct()


def ode_residual(y: sympy.Expr, x: sympy.Symbol, coeffs: list, rhs: sympy.Expr) -> sympy.Expr:
    """sum coeffs[k] * y^(k) - rhs."""
    return sum((sympy.Rational(c) * sympy.diff(y, x, k) for k, c in enumerate(coeffs)), sympy.Integer(0)) - rhs


def satisfies_ivp(y: sympy.Expr, args: dict, seed: str) -> str | None:
    """None when y solves the ODE and meets every initial condition, else why not."""
    x = sympy.Symbol("x")
    rhs = parse_expression(args["rhs"], ("x",))
    residual = ode_residual(y, x, args["coeffs"], rhs)
    if not equivalent(residual, sympy.Integer(0), ("x",), seed):
        return "does not satisfy the equation"
    for order, x0, value in args["initial"]:
        got = evaluate(sympy.diff(y, x, order), {x: sympy.Rational(x0)})
        if got is None or abs(got - complex(sympy.Rational(value))) > 1e-9:
            return "misses an initial condition"
    return None


def grade_ode_solution(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    y = parse_expression(text, ("x",))
    problem = satisfies_ivp(y, args, gold)
    return correct() if problem is None else wrong(problem)


__all__ = [
    "grade_expression", "grade_antiderivative", "grade_factored", "grade_partial_fractions",
    "grade_sequence_formula", "grade_ode_solution", "Unparsable",
]
