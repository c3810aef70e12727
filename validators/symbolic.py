"""Symbolic answers: equivalence (numeric spot checks first, time-limited SymPy after),
equivalence up to a constant, and form checks where the form is the question."""

from __future__ import annotations

import re

import cmath
from fractions import Fraction
import random
import signal
import threading
from contextlib import contextmanager

import numpy as np
import sympy

from mintbench.items.schema import Tolerance
from validators.factoring import MAX_FORM_DEGREE, read_factored
from validators.numeval import Unsupported, agree, evaluate_at, evaluate_exact
from validators.parsing import parse_expression, parse_fraction, parse_unevaluated
from validators.result import Grade, Unparsable, correct, wrong

SPOT_POINTS = 12
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


# Where answers are compared: both signs, small and large magnitudes. Points only on (0.35, 2.65)
# let abs(x) pass for x and 'F + (x - 3 + abs(x - 3))' for F; undefined points are skipped.
SPOT_RANGES = ((0.35, 2.65), (-2.65, -0.35), (3.1, 11.0), (-11.0, -3.1), (0.01, 0.3), (-0.3, -0.01))
SPOT_REL = 1e-11  # float noise of honest rewrites is ~1e-15; 'F + x/10**9' is not noise
EXACT_POINTS = (Fraction(7, 3), Fraction(-5, 2), Fraction(13, 4), Fraction(-1, 7))


def sample_points(names: tuple[str, ...], seed: str, n: int = SPOT_POINTS) -> dict[str, np.ndarray]:
    # Deterministic per gold: the same response always gets the same verdict.
    rng = random.Random(seed)
    return {v: np.array([rng.uniform(*SPOT_RANGES[i % len(SPOT_RANGES)]) for i in range(n)]) for v in names} or {"_": np.zeros(n)}


def exact_values(expr: sympy.Expr, names: tuple[str, ...]) -> list[Fraction | None] | None:
    """Exact values of a rational function at fixed rational points (None where undefined), or
    None when expr is not a rational function: an exact check where it is cheap."""
    out = []
    for point in EXACT_POINTS:
        env = {v: point + j for j, v in enumerate(names)}
        try:
            out.append(evaluate_exact(expr, env))
        except ZeroDivisionError:
            out.append(None)
        except (Unsupported, KeyError):
            return None
    return out


def _spot_values(a: sympy.Expr, b: sympy.Expr, names: tuple[str, ...], seed: str):
    points = sample_points(names, seed)
    try:
        return evaluate_at(a, points), evaluate_at(b, points)
    except Unsupported:
        pts = [{sympy.Symbol(k): sympy.Float(v[i]) for k, v in points.items() if k != "_"} for i in range(SPOT_POINTS)]
        ev = lambda e: np.array([evaluate(e, p) if evaluate(e, p) is not None else np.nan for p in pts], dtype=complex)  # noqa: E731
        return ev(a), ev(b)


def _verdict(ok: np.ndarray) -> bool | None:
    valid = ok[~np.isnan(ok)]
    if len(valid) and not valid.all():
        return False
    return True if len(valid) >= 3 else None


def numerically_equal(a: sympy.Expr, b: sympy.Expr, names: tuple[str, ...], seed: str) -> bool | None:
    """True/False when enough points evaluate; None when the evidence is too thin."""
    exact_a, exact_b = exact_values(a, names), exact_values(b, names)
    if exact_a is not None and exact_b is not None:
        return exact_a == exact_b
    va, vb = _spot_values(a, b, names, seed)
    ok = agree(va, vb, SPOT_REL)
    if _verdict(ok) is False and not _confirmed_apart(a, b, names, seed, np.flatnonzero(ok == 0)):
        ok = np.where(ok == 0, 1.0, ok)  # float cancellation, not a difference
    return _verdict(ok)


PRECISE_DIGITS = 40


def _confirmed_apart(a: sympy.Expr, b: sympy.Expr, names: tuple[str, ...], seed: str, where: np.ndarray) -> bool:
    """Whether a and b still differ at the points where floats said so, evaluated to 40 digits.
    'F + (sin(x)**2 + cos(x)**2 - 1)*exp(3*x)' is F exactly, but in floats the bracket is 1e-16
    and e^33 makes that 0.02: an honest identity was graded wrong."""
    points = sample_points(names, seed)
    for i in where:
        at = {sympy.Symbol(k): sympy.Float(float(v[i]), PRECISE_DIGITS) for k, v in points.items() if k != "_"}
        try:
            gap, size = complex((a - b).evalf(PRECISE_DIGITS, subs=at)), complex(a.evalf(PRECISE_DIGITS, subs=at))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return True
        if not (cmath.isfinite(gap) and cmath.isfinite(size)) or abs(gap) > SPOT_REL * max(1.0, abs(size)):
            return True
    return False


def differ_by_constant(a: sympy.Expr, b: sympy.Expr, names: tuple[str, ...], seed: str) -> bool | None:
    exact_a, exact_b = exact_values(a, names), exact_values(b, names)
    if exact_a is not None and exact_b is not None:
        diffs = {x - y for x, y in zip(exact_a, exact_b) if x is not None and y is not None}
        return len(diffs) <= 1
    va, vb = _spot_values(a, b, names, seed)
    # Real parts where either side is real: log(x) and log(abs(x)) are both antiderivatives of
    # 1/x but differ by i*pi on x < 0, a branch and not a different answer.
    real = (np.abs(va.imag) <= 1e-12 * np.maximum(1.0, np.abs(va))) | (np.abs(vb.imag) <= 1e-12 * np.maximum(1.0, np.abs(vb)))
    d = np.where(real, (va - vb).real, va - vb)
    finite = d[~np.isnan(d)]
    if not len(finite):
        return None
    scale = np.maximum(1.0, np.maximum(np.abs(va), np.abs(vb)))
    ok = np.abs(d - finite[0]) <= SPOT_REL * scale
    return _verdict(np.where(np.isnan(d), np.nan, ok))


def _symbolic_zero(expr: sympy.Expr) -> bool:
    try:
        with time_limit(SIMPLIFY_SECONDS):
            return sympy.simplify(expr) == 0
    except _Timeout:
        return False


def equivalent(a: sympy.Expr, b: sympy.Expr, names: tuple[str, ...], seed: str) -> bool:
    verdict = numerically_equal(a, b, names, seed)
    if verdict is not None:
        return verdict
    return _symbolic_zero(a - b)


# A constant asked for exactly: 'cos(0*pi/180)' restates the question, and a 16-digit decimal is
# an approximation even where it agrees with the exact value to 1e-15.
_TRIG_CALL = re.compile(r"(?<![A-Za-z])\\?(?:a|arc)?(?:sin|cos|tan|cot|sec|csc)(?![a-z])")
_DECIMAL = re.compile(r"\d?\.\d")


def _exactness_problem(text: str, gold: str) -> str | None:
    if _TRIG_CALL.search(text):
        return "not a closed form: the function is still to be evaluated"
    if _DECIMAL.search(text):
        target = parse_expression(gold)
        try:
            exact = target.is_Rational and parse_fraction(text) == Fraction(int(target.p), int(target.q))
        except Unparsable:
            exact = False
        if not exact:
            return "a decimal approximation where the exact value is asked"
    return None


def grade_expression(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    names = _symbols(args)
    if not names:
        problem = _exactness_problem(text, gold)
        if problem:
            return wrong(problem)
    given = parse_expression(text, names)
    target = parse_expression(gold, names)
    return correct() if equivalent(given, target, names, gold) else wrong("not equivalent")


def grade_antiderivative(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """Any F that differs from the gold antiderivative by a constant; '+ C' is ignored."""
    names = _symbols(args)
    given = parse_expression(_drop_constant(text), names)
    target = parse_expression(gold, names)
    verdict = differ_by_constant(given, target, names, gold)
    if verdict is None:
        verdict = _symbolic_zero(sympy.diff(given - target, sympy.Symbol(names[0])))
    return correct() if verdict else wrong("derivative differs from the integrand")


# The constant of integration as people write it, first or last: C, c, K, k, C_0, C_1, C1, \\text{const}.
# Lower case too, and any index (C_0, c_1, K2): '+ c' was refused as an unknown name.
_CONSTANT = r"(?:[CcKk](?:_?\{?\d{1,2}\}?)?|\\text\{\s*const\s*\}|\\mathrm\{\s*const\s*\}|const)"
# Anchored on "+" and on the ends, never on a run of spaces: linear on any response.
_TRAILING_CONSTANT = re.compile(rf"\+\s*{_CONSTANT}$")
_LEADING_CONSTANT = re.compile(rf"^\s*{_CONSTANT}\s*\+\s*")


def _drop_constant(text: str) -> str:
    return _LEADING_CONSTANT.sub("", _TRAILING_CONSTANT.sub("", text.rstrip(), count=1), count=1)


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
    if poly.degree() == 1:  # a primitive linear factor is irreducible: no factor_list needed
        return poly.content() in (1, -1)
    content, factors = sympy.factor_list(poly.as_expr(), x)
    if sympy.Poly(poly, x).content() not in (1, -1):
        return False
    return len(factors) == 1 and factors[0][1] == 1


def _flat_factors(expr: sympy.Expr):
    """Factors of a product as written; '-(x-1)*(x+3)' nests one Mul inside another."""
    if isinstance(expr, sympy.Mul):
        for arg in expr.args:
            yield from _flat_factors(arg)
    else:
        yield expr


def is_fully_factored(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    """A constant times a product of primitive, irreducible (over Q) polynomial powers."""
    factors = list(_flat_factors(expr))
    non_constant = [f for f in factors if f.has(x)]
    if len(non_constant) == 1 and isinstance(non_constant[0], sympy.Add):
        # A lone sum is factored only if it cannot be split.
        return _factor_ok(non_constant[0], x)
    return all(_factor_ok(f, x) for f in factors)


def _degree_as_written(expr: sympy.Expr, x: sympy.Symbol) -> int:
    """An upper bound on the degree in x of what is written, numerators and denominators alike,
    in one pass over the tree: x**151 counts 151 before anything is expanded or factored."""
    if expr == x:
        return 1
    if not expr.has(x):
        return 0
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer:
        return abs(int(expr.exp)) * _degree_as_written(expr.base, x)
    if isinstance(expr, sympy.Mul):
        return sum(_degree_as_written(a, x) for a in expr.args)
    if isinstance(expr, sympy.Add):
        return max(_degree_as_written(a, x) for a in expr.args)
    return MAX_FORM_DEGREE + 1  # x inside a function or a symbolic exponent: no polynomial


def _form_first(written: sympy.Expr, x: sympy.Symbol) -> None:
    """The form is judged before the value, and a written degree past the cap is refused before
    any factoring: grading work then depends on the response alone. Judged after the value, a
    guess multiplied by (x**151 + x + 1)/(x**151 + x + 1) cost 2.5 s when it was right and
    milliseconds when wrong, and the reply time told which (issue #25)."""
    if _degree_as_written(written, x) > MAX_FORM_DEGREE:
        raise Unparsable(f"a polynomial of degree over {MAX_FORM_DEGREE} as written")


def grade_factored(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    names = _symbols(args)
    if len(names) == 1:
        # Products of linear and quadratic integer factors, read exactly (validators.factoring):
        # the same verdicts as below, in microseconds. The work still depends on the response
        # alone: the form and the expansion are computed before the gold is looked at.
        fast = read_factored(text, names[0])
        gold_poly = read_factored(gold, names[0]) if fast is not None else None
        if fast is not None and gold_poly is not None:
            factored, expanded = fast
            if expanded != gold_poly[1]:
                return wrong("not equivalent")
            return correct() if factored else wrong("equivalent but not fully factored")
    x = sympy.Symbol(names[0])
    written = parse_unevaluated(text, names)
    _form_first(written, x)
    factored = is_fully_factored(written, x)
    given = parse_expression(text, names)
    if not equivalent(given, parse_expression(gold, names), names, gold):
        return wrong("not equivalent")
    return correct() if factored else wrong("equivalent but not fully factored")


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
    written = parse_unevaluated(text, names)
    _form_first(written, x)
    terms = sympy.Add.make_args(written) if isinstance(written, sympy.Add) else (written,)
    in_form = all(_is_partial_fraction_term(sympy.sympify(t), x) for t in terms)
    given = parse_expression(text, names)
    if not equivalent(given, parse_expression(gold, names), names, gold):
        return wrong("not equivalent")
    return correct() if in_form else wrong("equivalent but not in partial fractions")


def linear_recurrence_terms(coeffs: list[int], initial: list[int], count: int) -> list[int]:
    """a(n) = sum coeffs[k] * a(n-1-k), from the initial terms."""
    terms = list(initial)
    while len(terms) < count:
        terms.append(sum(c * terms[-1 - k] for k, c in enumerate(coeffs)))
    return terms[:count]


def grade_sequence_formula(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """A closed form must agree with the recurrence for n = 0..30."""
    given = parse_expression(text, ("n",))
    expected = np.array(linear_recurrence_terms(args["coeffs"], args["initial"], 31), dtype=float)
    try:
        got = evaluate_at(given, {"n": np.arange(31, dtype=float)})
    except Unsupported:
        return wrong("cannot be evaluated at integers")
    ok = agree(got, expected.astype(complex), 1e-9)
    bad = np.flatnonzero(np.isnan(ok) | (ok == 0))
    return wrong(f"disagrees with the recurrence at n={int(bad[0])}") if len(bad) else correct()


def ode_residual(y: sympy.Expr, x: sympy.Symbol, coeffs: list, rhs: sympy.Expr) -> sympy.Expr:
    """sum coeffs[k] * y^(k) - rhs."""
    return sum((sympy.Rational(c) * sympy.diff(y, x, k) for k, c in enumerate(coeffs)), sympy.Integer(0)) - rhs


def _residual_vanishes(y: sympy.Expr, x: sympy.Symbol, coeffs: list, rhs: sympy.Expr, seed: str) -> bool:
    """The residual is zero relative to the size of its terms: at x = -11, e^(-2x) terms of size
    1e9 cancel only to about 1e-6, which is float noise, not a wrong solution."""
    terms = [sympy.Rational(c) * sympy.diff(y, x, k) for k, c in enumerate(coeffs)] + [-rhs]
    points = sample_points(("x",), seed)
    try:
        values = np.array([evaluate_at(t, points) for t in terms])
    except Unsupported:
        return equivalent(ode_residual(y, x, coeffs, rhs), sympy.Integer(0), ("x",), seed)
    residual, scale = values.sum(axis=0), np.abs(values).sum(axis=0)
    ok = np.abs(residual) <= SPOT_REL * np.maximum(1.0, scale)
    verdict = _verdict(np.where(np.isnan(residual), np.nan, ok))
    return verdict if verdict is not None else _symbolic_zero(ode_residual(y, x, coeffs, rhs))


def satisfies_ivp(y: sympy.Expr, args: dict, seed: str) -> str | None:
    """None when y solves the ODE and meets every initial condition, else why not. x is real
    here: d|x|/dx is then sign(x), which evaluates in microseconds, where over the complex
    numbers it is a tree of re/im derivatives that cost a near miss a second to refute."""
    plain, x = sympy.Symbol("x"), sympy.Symbol("x", real=True)
    y = y.xreplace({plain: x})
    rhs = parse_expression(args["rhs"], ("x",)).xreplace({plain: x})
    if not _residual_vanishes(y, x, args["coeffs"], rhs, seed):
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
