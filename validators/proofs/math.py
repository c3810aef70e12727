"""Independent proofs for the math generators.

Each proof re-establishes the gold by another route than its generator took: numeric
differentiation for symbolic calculus, exact rational arithmetic and brute force for the
discrete answers, substitution for solutions.
"""

from __future__ import annotations

import ast
import functools
import itertools
import math
import re
from fractions import Fraction

import numpy as np
import sympy

from mintbench.items.schema import Item
from validators import arith, numtext
from validators.constraints import check_polynomial, parse_int_pair
from validators.factoring import read_factored
from validators.interval import contains, parse_pieces
from validators.numeval import agree, evaluate_at, evaluate_exact, slope_at
from validators.parsing import parse_expression, parse_fraction, parse_integer, parse_unevaluated
from validators.proofs import keyed_step_problem, proves
from validators.collections import parse_elements
from validators.symbolic import is_fully_factored, linear_recurrence_terms, satisfies_ivp

X = sympy.Symbol("x")
_POINTS = (0.37, 0.81, 1.29, 1.73, 2.41)


def _slopes_match(f: sympy.Expr, df: sympy.Expr, points: tuple[float, ...] = _POINTS) -> bool:
    xs = np.array(points)
    ok = agree(slope_at(f, "x", xs), evaluate_at(df, {"x": xs}), 1e-6)
    return bool(np.all(ok == 1))


def _exact(expr: sympy.Expr, x) -> Fraction:
    return evaluate_exact(expr, {"x": Fraction(x)})


def _close(a: complex, b: complex, rel: float = 1e-7) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def _horner(coeffs, x: Fraction) -> Fraction:
    acc = Fraction(0)
    for c in coeffs:
        acc = acc * x + Fraction(c)
    return acc


def fraction_det(rows) -> Fraction:
    """Determinant by exact Gaussian elimination (not SymPy's Bareiss)."""
    m = [[Fraction(v) for v in r] for r in rows]
    n, det = len(m), Fraction(1)
    for col in range(n):
        pivot = next((r for r in range(col, n) if m[r][col] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != col:
            m[col], m[pivot] = m[pivot], m[col]
            det = -det
        det *= m[col][col]
        for r in range(col + 1, n):
            factor = m[r][col] / m[col][col]
            m[r] = [a - factor * b for a, b in zip(m[r], m[col])]
    return det


def charpoly(rows) -> list[Fraction]:
    """Characteristic polynomial coefficients (highest first) by Faddeev-LeVerrier."""
    n = len(rows)
    A = [[Fraction(v) for v in r] for r in rows]
    M = [[Fraction(0)] * n for _ in range(n)]
    coeffs = [Fraction(1)]
    for k in range(1, n + 1):
        AM = [[sum(A[i][t] * M[t][j] for t in range(n)) for j in range(n)] for i in range(n)]
        M = [[AM[i][j] + (coeffs[-1] if i == j else 0) for j in range(n)] for i in range(n)]
        AM = [[sum(A[i][t] * M[t][j] for t in range(n)) for j in range(n)] for i in range(n)]
        coeffs.append(-sum(AM[i][i] for i in range(n)) / k)
    return coeffs


def _slopes_match_text(f: str, df: str) -> bool:
    """_slopes_match on the printed texts, read without SymPy (validators.numtext); SymPy reads
    whatever that reader does not."""
    xs = np.array(_POINTS)
    try:
        ok = agree(numtext.slope(f, "x", xs), numtext.evaluate(df, "x", xs), 1e-6)
    except numtext.Unsupported:
        return _slopes_match(parse_expression(f, ("x",)), parse_expression(df, ("x",)))
    return bool(np.all(ok == 1))


@proves("math.derivative")
def derivative(item: Item, answer: str) -> str | None:
    if _slopes_match_text(item.params["f"], answer):
        return None
    return "gold disagrees with the numeric derivative"


@proves("math.antiderivative")
def antiderivative(item: Item, answer: str) -> str | None:
    if _slopes_match_text(answer, item.params["integrand"]):
        return None
    return "gold's numeric derivative differs from the integrand"


@proves("math.limit")
def limit(item: Item, answer: str) -> str | None:
    p = parse_expression(item.params["numerator"], ("x",))
    q = parse_expression(item.params["denominator"], ("x",))
    a = item.params["point"]
    if _exact(q, a) != 0 or _exact(p, a) != 0:
        return "not a 0/0 form as built"
    side = [_exact(p, a + s) / _exact(q, a + s) for s in (Fraction(1, 10**8), Fraction(-1, 10**8))]
    target = float(parse_fraction(answer))
    return None if all(_close(float(v), target, 1e-6) for v in side) else "gold disagrees with one-sided values"


@proves("math.definite_integral")
def definite_integral(item: Item, answer: str) -> str | None:
    coeffs, a, b = item.params["coeffs"], item.params["lower"], item.params["upper"]
    nodes, weights = np.polynomial.legendre.leggauss(len(coeffs))  # exact for this degree
    xs = (b - a) / 2 * nodes + (a + b) / 2
    quad = (b - a) / 2 * float(np.dot(weights, np.polyval(coeffs, xs)))
    return None if _close(quad, float(parse_fraction(answer)), 1e-9) else "gold disagrees with Gauss-Legendre quadrature"


@proves("math.polynomial_roots")
def polynomial_roots(item: Item, answer: str) -> str | None:
    coeffs = item.params["coeffs"]
    roots = {Fraction(str(sympy.Rational(e))) for e in parse_elements(answer)}
    if any(_horner(coeffs, r) != 0 for r in roots):
        return "a gold root is not a root"
    # As many distinct roots as the degree: no root can be missing.
    return None if len(roots) == len(coeffs) - 1 else "gold misses a root"


@proves("math.linear_system")
def linear_system(item: Item, answer: str) -> str | None:
    A, b = item.params["matrix"], item.params["rhs"]
    sol = [Fraction(str(sympy.Rational(e))) for e in parse_elements(answer)]
    if fraction_det(A) == 0:
        return "system is singular"
    ok = all(sum(Fraction(a) * s for a, s in zip(row, sol)) == bi for row, bi in zip(A, b))
    return None if ok else "gold does not satisfy the system"


@proves("math.quadratic_inequality")
def quadratic_inequality(item: Item, answer: str) -> str | None:
    coeffs, op = item.params["coeffs"], item.params["op"]
    region = parse_pieces(answer)
    holds = {"<": lambda v: v < 0, "<=": lambda v: v <= 0, ">": lambda v: v > 0, ">=": lambda v: v >= 0}[op]
    # Probe a window wider than any root, and around every endpoint the gold names.
    probes = {Fraction(twice, 2) for twice in range(-60, 61)}
    for lo, hi, _, _ in region:
        for end in (lo, hi):
            if end.is_finite:
                e = Fraction(str(end))
                probes |= {e, e - Fraction(1, 2), e + Fraction(1, 2)}
    for x in sorted(probes):
        if holds(_horner(coeffs, x)) != contains(region, sympy.Rational(x.numerator, x.denominator)):
            return "gold region disagrees with the inequality"
    return None


@proves("math.factor")
def factor(item: Item, answer: str) -> str | None:
    # The printed polynomial and the gold read with exact arithmetic (the generator expanded and
    # printed with SymPy): equal coefficients, and every factor primitive and irreducible.
    read = read_factored(answer)
    if read is not None:
        try:
            target_poly = arith.polynomial(item.params["polynomial"])
        except arith.NotArithmetic:
            read = None
    if read is not None:
        if read[1] != target_poly:
            return "gold does not expand to the polynomial"
        return None if read[0] else "gold is not fully factored"
    target = parse_expression(item.params["polynomial"], ("x",))
    given = parse_expression(answer, ("x",))
    degree = sympy.degree(target, X)
    if any(_exact(given, k) != _exact(target, k) for k in range(-2, degree + 2)):
        return "gold does not expand to the polynomial"
    return None if is_fully_factored(parse_unevaluated(answer, ("x",)), X) else "gold is not fully factored"


@proves("math.partial_fractions")
def partial_fractions(item: Item, answer: str) -> str | None:
    target = parse_expression(item.params["rational"], ("x",))
    given = parse_expression(answer, ("x",))
    probes = [Fraction(k, 7) for k in (-23, -11, 3, 19, 40)]
    return None if all(_exact(given, p) == _exact(target, p) for p in probes) else "gold differs from the fraction"


def cofactor_det(rows: list[list[int]]) -> int:
    """Determinant by cofactor expansion along the first row, in integers: a route independent
    of the generator's Bareiss elimination, and for the sizes items use (up to 5) several times
    cheaper than elimination in Fractions."""
    n = len(rows)
    if n == 1:
        return rows[0][0]
    if n == 2:
        return rows[0][0] * rows[1][1] - rows[0][1] * rows[1][0]
    total = 0
    for j, a in enumerate(rows[0]):
        if a:
            minor = [r[:j] + r[j + 1:] for r in rows[1:]]
            total += (-1) ** j * a * cofactor_det(minor)
    return total


def integer_det(rows: list[list[int]]) -> Fraction | int:
    """Cofactor expansion up to 5 x 5; past it, its n! terms cost more than elimination."""
    return cofactor_det(rows) if len(rows) <= 5 else fraction_det(rows)


@proves("math.determinant")
def determinant(item: Item, answer: str) -> str | None:
    return None if integer_det(item.params["matrix"]) == parse_integer(answer) else "gold differs from cofactor expansion"


@proves("math.eigenvalues")
def eigenvalues(item: Item, answer: str) -> str | None:
    eig = [Fraction(str(sympy.Rational(e))) for e in parse_elements(answer)]
    expected = [Fraction(1)]
    for lam in eig:  # coefficients of prod (t - lambda)
        expected = [a - lam * b for a, b in zip(expected + [Fraction(0)], [Fraction(0)] + expected)]
    return None if expected == charpoly(item.params["matrix"]) else "gold eigenvalues do not give the characteristic polynomial"


@proves("math.modular_inverse")
def modular_inverse(item: Item, answer: str) -> str | None:
    a, m, b = item.params["a"], item.params["m"], parse_integer(answer)
    return None if 0 <= b < m and (a * b) % m == 1 else "gold is not the inverse"


@proves("math.crt")
def crt(item: Item, answer: str) -> str | None:
    x, moduli = parse_integer(answer), item.params["moduli"]
    if not 0 <= x < math.prod(moduli):
        return "gold is not the least residue"
    ok = all(x % m == r for m, r in zip(moduli, item.params["residues"]))
    return None if ok else "gold breaks a congruence"


@proves("math.totient")
def totient(item: Item, answer: str) -> str | None:
    """The printed number factored by trial division (the composed-steps generator's totient);
    the totient generator multiplies p**(e-1) * (p - 1) over the primes it drew."""
    from generators.math.composed import totient as by_trial_division

    return None if by_trial_division(item.params["n"]) == parse_integer(answer) else "gold differs from the totient of the factored number"


_STEP = [  # (pattern, which computation the line asks for), English and Chinese printings
    # First the commonest line, a linear form: it has no brackets, =, or full-width signs, so
    # no other printing matches it.
    (re.compile(r"^(\w) = ([-\w\s*+]+)$"), "expression"),
    (re.compile(r"^(\w) = the remainder of (\w)\*\*(\d+) divided by (\d+) \(between"), "modpow"),
    (re.compile(r"^(\w) = (\w)\*\*(\d+) 除以 (\d+) 的余数"), "modpow"),
    (re.compile(r"^(\w) = phi\(\|(\w)\| \+ (\d+)\)"), "totient"),
    (re.compile(r"^(\w) = f'\((-?\d+)\)(?: for|，其中) f\(x\) = (.+)$"), "derivative"),
    (re.compile(r"^(\w) = the integral of (.+) with respect to x from x = 0 to x = (\d+)$"), "integral"),
    (re.compile(r"^(\w) = (.+) 对 x 从 x = 0 到 x = (\d+) 的定积分$"), "integral"),
    (re.compile(r"^(\w) = the determinant of the matrix (\[.+\]) \(given row by row\)$"), "det"),
    (re.compile(r"^(\w) = 矩阵 (\[.+\])（按行给出）的行列式$"), "det"),
]


@functools.lru_cache(maxsize=1)
def _totients() -> list[int]:
    """Euler's totient of every n a composed step can ask about (|u| <= BOUND, plus at most 40)
    by a sieve over the primes (the generator factors each n by trial division):
    phi(n) = n * prod (1 - 1/p)."""
    from generators.math.composed import BOUND

    limit = BOUND + 41
    phi = list(range(limit))
    for p in range(2, limit):
        if phi[p] == p:  # untouched so far: p is prime
            for k in range(p, limit, p):
                phi[k] -= phi[k] // p
    return phi


def _composed_line(line: str, values: dict) -> tuple[str, Fraction | int]:
    """One printed step, computed exactly from the values above it (validators.arith); an int
    where the arithmetic stays whole."""
    for pattern, kind in _STEP:
        m = pattern.match(line)
        if not m:
            continue
        name = m.group(1)
        if kind == "modpow":
            return name, pow(int(values[m.group(2)]), int(m.group(3)), int(m.group(4)))
        if kind == "totient":
            return name, _totients()[int(abs(values[m.group(2)]) + int(m.group(3)))]
        if kind == "derivative":
            return name, arith.at(arith.derivative(arith.polynomial(m.group(3), values)), int(m.group(2)))
        if kind == "integral":
            integral = arith.antiderivative(arith.polynomial(m.group(2), values))
            return name, arith.at(integral, int(m.group(3))) - arith.at(integral, 0)
        if kind == "det":
            rows = ast.literal_eval(re.sub(r"[A-Z]", lambda v: str(values[v.group(0)]), m.group(2)))
            return name, integer_det(rows)
        return name, arith.number(m.group(2), values)
    raise ValueError(f"unread line: {line[:60]}")


@proves("math.composed_steps")
def composed_steps(item: Item, answer: str) -> str | None:
    """Solved from the printed question, line by line, in exact fractions (the generator uses
    closed forms on its draws): a line printed wrong, or a value carried wrong, fails here."""
    lines = item.question.split("\n\n")[0].split("\n")[1:]
    values: dict[str, Fraction] = {}
    for line in lines:
        name, value = _composed_line(line.strip(), values)
        if value.denominator != 1:
            return f"step {name} is not an integer"
        values[name] = int(value)
    last = lines[-1].split(" = ", 1)[0]
    return None if values[last] == parse_integer(answer) else "gold differs from the steps solved in order"


@proves("math.primality")
def primality(item: Item, answer: str) -> str | None:
    return None if sympy.isprime(item.params["n"]) == (answer == "true") else "gold truth value is wrong"


@proves("math.linear_combination")
def linear_combination(item: Item, answer: str) -> str | None:
    args = item.grader_args
    x, y = parse_int_pair(answer)
    if args["c"] % math.gcd(args["a"], args["b"]):
        return "target is not a multiple of the gcd"
    ok = args["a"] * x + args["b"] * y == args["c"] and max(abs(x), abs(y)) <= args["bound"]
    return None if ok else "gold breaks a constraint"


@proves("math.recurrence")
def recurrence(item: Item, answer: str) -> str | None:
    formula = parse_expression(answer, ("n",))
    terms = linear_recurrence_terms(item.grader_args["coeffs"], item.grader_args["initial"], 31)
    ok = all(evaluate_exact(formula, {"n": Fraction(k)}) == t for k, t in enumerate(terms))
    return None if ok else "gold disagrees with the iterated recurrence"


@proves("math.ode_ivp")
def ode_ivp(item: Item, answer: str) -> str | None:
    return satisfies_ivp(parse_expression(answer, ("x",)), item.grader_args, answer)


def _dice_counts(n_dice: int, faces: int) -> list[int]:
    """How many of the faces**n_dice outcomes give each total, one die at a time (the generator
    uses the inclusion-exclusion formula)."""
    counts = [1]
    for _ in range(n_dice):
        nxt = [0] * (len(counts) + faces)
        for total, ways in enumerate(counts):
            if ways:
                for face in range(1, faces + 1):
                    nxt[total + face] += ways
        counts = nxt
    return counts


def _urn_counts(red: int, blue: int, draws: int) -> list[int]:
    """How many draws-element subsets of the balls hold each number of red, one ball at a time
    (the generator uses the hypergeometric formula)."""
    ways = [[1] + [0] * draws]  # ways[reds][size]
    for ball in ["r"] * red + ["b"] * blue:
        grown = [row[:] for row in ways] + [[0] * (draws + 1)]
        for reds, row in enumerate(ways):
            for size in range(draws):
                grown[reds + (ball == "r")][size + 1] += row[size]
        ways = grown
    return [row[draws] for row in ways]


@proves("math.probability")
def probability(item: Item, answer: str) -> str | None:
    p = item.params
    if p["kind"] == "dice":
        counts = _dice_counts(p["n_dice"], p["faces"])
        total = p["total"]
        value = Fraction(counts[total] if total < len(counts) else 0, p["faces"] ** p["n_dice"])
    else:
        counts = _urn_counts(p["red"], p["blue"], p["draws"])
        value = Fraction(counts[p["want"]] if p["want"] < len(counts) else 0, sum(counts))
    return None if value == parse_fraction(answer) else "gold differs from counting the outcomes"


@proves("math.defined_operation")
def defined_operation(item: Item, answer: str) -> str | None:
    """The printed rule applied left to right, read and computed exactly (validators.arith);
    the generator computes with its drawn coefficients."""
    rule, operands = item.params["rule"], item.params["operands"]
    value = operands[0]
    for v in operands[1:]:
        value = arith.number(rule, {"a": value, "b": v})
    return None if value == parse_integer(answer) else "gold differs from evaluating the rule"


@proves("math.trig_values")
def trig_values(item: Item, answer: str) -> str | None:
    func = {"sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan}[item.params["function"]]
    exact = func(sympy.pi * item.params["degrees"] / 180)
    given = parse_expression(answer)
    return None if _close(complex(exact.evalf(30)), complex(given.evalf(30)), 1e-12) else "gold differs from SymPy's value"


@proves("math.wrong_step")
def wrong_step(item: Item, answer: str) -> str | None:
    a, p, b, c, d = item.params["equation"]
    truth = Fraction(d - a * p - b, a - c)
    for i, step in enumerate(item.params["steps"]):
        L, K, R, S = (Fraction(v) for v in step)
        solution = None if L == R else (S - K) / (L - R)
        if solution != truth:
            return keyed_step_problem(item, answer, i)
    return "no step is wrong"


# Table entries live on (0, 1) (asin, atanh) and have poles past it (tan(5*x) at 0.31): their
# slopes are compared at points k*x in (0.3, 0.8) for f(k*x).
def _table_points(item: Item) -> tuple[float, ...]:
    return tuple(x / item.params.get("scale", 1) for x in (0.31, 0.43, 0.52, 0.67, 0.79))


@proves("math.standard_derivative")
def standard_derivative(item: Item, answer: str) -> str | None:
    f, df = parse_expression(item.params["f"], ("x",)), parse_expression(answer, ("x",))
    return None if _slopes_match(f, df, _table_points(item)) else "gold disagrees with the numeric derivative"


@proves("math.standard_integral")
def standard_integral(item: Item, answer: str) -> str | None:
    F, g = parse_expression(answer, ("x",)), parse_expression(item.params["integrand"], ("x",))
    return None if _slopes_match(F, g, _table_points(item)) else "gold's numeric derivative differs from the integrand"


@proves("math.set_builder")
def set_builder(item: Item, answer: str) -> str | None:
    p = item.params
    image = parse_expression(p["image"].replace("Abs", "abs"), ("x",))
    tests = {
        "congruence": lambda x, a: (x - a[1]) % a[0] == 0,
        "parity": lambda x, a: (x - a[0]) % 2 == 0,
        "square_bound": lambda x, a: x**2 < a[0],
    }
    members = {image.subs(X, x) for x in range(p["lo"], p["hi"] + 1) if all(tests[k](x, a) for k, a in p["conditions"])}
    return None if members == {sympy.Rational(v) for v in parse_elements(answer)} else "gold differs from the set read off the definition"


@proves("math.piecewise_reading")
def piecewise_reading(item: Item, answer: str) -> str | None:
    p = item.params
    exprs = [parse_expression(e, ("x",)) for e in p["pieces"]]
    cuts = p["cuts"]
    # Piece i holds cuts[i-1] <= x < cuts[i]: as SymPy conditions, tried in order.
    f = sympy.Piecewise(*[(e, X < c) for e, c in zip(exprs, cuts)], (exprs[-1], True))
    k = p["points"]
    value = {"value": lambda: f.subs(X, k[0]), "sum": lambda: f.subs(X, k[0]) + f.subs(X, k[1]), "compose": lambda: f.subs(X, f.subs(X, k[0]))}[p["ask"]]()
    return None if value == parse_integer(answer) else "gold differs from evaluating the piecewise definition"


@proves("math.derivative_claim")
def derivative_claim(item: Item, answer: str) -> str | None:
    f, g = parse_expression(item.params["f"], ("x",)), parse_expression(item.params["claim"], ("x",))
    return None if _slopes_match(f, g) == (answer == "true") else "gold truth value disagrees with the numeric derivative"


@proves("math.system_solvability")
def system_solvability(item: Item, answer: str) -> str | None:
    A = sympy.Matrix(item.params["matrix"])
    augmented = A.row_join(sympy.Matrix(item.params["rhs"]))
    rank, full = A.rank(), augmented.rank()
    kind = "none" if full > rank else ("one" if rank == A.cols else "infinite")
    return None if (kind == item.params["claim"]) == (answer == "true") else "gold truth value disagrees with the ranks"


@proves("math.construct_polynomial")
@proves("math.construct_extrema")
@proves("math.construct_through_points")
def construct_polynomial(item: Item, answer: str) -> str | None:
    """The witness meets every condition, checked by exact arithmetic before the grader's check."""
    args = item.grader_args
    poly = sympy.Poly(parse_expression(answer, ("x",)), X)
    coeffs = [Fraction(int(c)) for c in poly.all_coeffs()]
    if any(_horner(coeffs, Fraction(r)) != 0 for r in args["roots"]):
        return "witness misses a root"
    values = ([args["value_at"]] if "value_at" in args else []) + args.get("values_at", [])
    if poly.degree() != args["degree"] or any(_horner(coeffs, Fraction(at)) != want for at, want in values):
        return "witness breaks a condition"
    slope = [c * (len(coeffs) - 1 - i) for i, c in enumerate(coeffs[:-1])]
    if any(_horner(slope, Fraction(c)) != 0 for c in args.get("critical_points", [])):
        return "witness misses a critical point"
    return check_polynomial(poly.as_expr(), args)
