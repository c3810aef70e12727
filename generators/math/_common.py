"""Shared pieces of the math generators: answer-format phrases and small draws."""

from __future__ import annotations

import random
from fractions import Fraction

import sympy

from mintbench.items.render import Math, latex_of

X = sympy.Symbol("x")

FORMATS = {
    "expr_x": {
        "en": "a single expression in x, in plain syntax like 3*x**2 - sin(2*x) or in LaTeX",
        "zh": "一个关于 x 的表达式，可写成 3*x**2 - sin(2*x) 这样的纯文本或 LaTeX",
    },
    "antiderivative": {
        "en": "one antiderivative F(x) as an expression in x (plain syntax or LaTeX); the constant of integration may be omitted",
        "zh": "一个原函数 F(x)，写成关于 x 的表达式（纯文本或 LaTeX），积分常数可省略",
    },
    "exact_number": {
        "en": "an exact number: an integer or a reduced fraction like -7/3 (decimals are accepted when exact)",
        "zh": "精确数值：整数或最简分数，如 -7/3（精确的小数也可）",
    },
    "exact_constant": {
        "en": "an exact value such as sqrt(3)/2, -1 or 1/2 (plain syntax or LaTeX)",
        "zh": "精确值，如 sqrt(3)/2、-1 或 1/2（纯文本或 LaTeX）",
    },
    "integer": {"en": "a single integer", "zh": "一个整数"},
    "root_set": {
        "en": "the set of all distinct real roots, like {-2, 1/3, 5}",
        "zh": "所有不同实根组成的集合，如 {-2, 1/3, 5}",
    },
    "multiset": {
        "en": "all values listed with multiplicity, like {2, 2, -1}",
        "zh": "按重数列出所有值，如 {2, 2, -1}",
    },
    "tuple": {
        "en": "the values in the order {names}, like ({example})",
        "zh": "按 {names} 的顺序给出数值，如 ({example})",
    },
    "interval": {
        "en": "interval notation with oo for infinity and U for union, like (-oo, -1] U (2, oo)",
        "zh": "区间记号，用 oo 表示无穷、U 表示并集，如 (-oo, -1] U (2, oo)",
    },
    "factored": {
        "en": "the fully factored form over the integers, like 2*(x - 1)*(x + 3)**2",
        "zh": "在整数范围内完全因式分解的形式，如 2*(x - 1)*(x + 3)**2",
    },
    "partial_fractions": {
        "en": "a sum of partial fractions like 2/(x - 1) - 3/(x + 2)",
        "zh": "部分分式之和，如 2/(x - 1) - 3/(x + 2)",
    },
    "expr_n": {
        "en": "a closed-form expression in n, like 3*2**n - (-1)**n",
        "zh": "关于 n 的通项公式，如 3*2**n - (-1)**n",
    },
    "polynomial": {
        "en": "one polynomial in x, like x**3 - 2*x + 4",
        "zh": "一个关于 x 的多项式，如 x**3 - 2*x + 4",
    },
    "int_pair": {"en": "two integers (x, y), like (3, -5)", "zh": "两个整数 (x, y)，如 (3, -5)"},
    "elements": {"en": "the set of its elements, like {-3, 0, 4}", "zh": "由其全部元素组成的集合，如 {-3, 0, 4}"},
}


def fmt(key: str, lang: str, **kw) -> str:
    text = FORMATS[key][lang]
    return text.format(**kw) if kw else text


def nonzero(rng: random.Random, lo: int, hi: int) -> int:
    while True:
        v = rng.randint(lo, hi)
        if v != 0:
            return v


def distinct_ints(rng: random.Random, k: int, lo: int, hi: int, exclude: tuple[int, ...] = ()) -> list[int]:
    return rng.sample([v for v in range(lo, hi + 1) if v not in exclude] if exclude else range(lo, hi + 1), k)


def show(expr: sympy.Expr) -> str:
    # order="lex": polynomials from the highest power down, as an examiner prints them
    # (order="none", twice as fast, printed 180 - x**5 - 97*x**3 - 96*x + 17*x**4).
    return sympy.sstr(expr, order="lex")


def m(expr: sympy.Basic, plain: str | None = None) -> Math:
    """Both spellings of an expression for a question (mintbench.items.render); `plain` when the
    generator prints it its own way."""
    return Math(plain if plain is not None else show(expr), lambda: latex_of(expr))


def log_domain(F: sympy.Expr, lang: str) -> str:
    """Where an antiderivative takes a logarithm (log(3*x) for 1/x, log(cos(2*x)) for tan(2*x)),
    where it is asked: an examiner states that a logarithm needs a positive argument."""
    conditions = []
    for arg in sorted({a.args[0] for a in F.atoms(sympy.log)}, key=str):
        coeff = arg / X
        positive = "x > 0" if coeff.is_number and coeff > 0 else f"{show(arg)} > 0"
        if positive not in conditions:
            conditions.append(positive)
    if not conditions:
        return ""
    if conditions == ["x > 0"]:
        return " for x > 0" if lang == "en" else "（x > 0）"
    return f" on an interval where {' and '.join(conditions)}" if lang == "en" else f"（在 {' 且 '.join(conditions)} 的区间上）"


def frac_str(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def poly_expr(coeffs: list[int]) -> sympy.Expr:
    """The polynomial with these coefficients, from the highest power down."""
    degree = len(coeffs) - 1
    return sum(sympy.Integer(c) * X ** (degree - i) for i, c in enumerate(coeffs))


def _power(k: int) -> str:
    return "x" if k == 1 else f"x**{k}"


def _term(c: int, k: int) -> str:
    """|c| * x**k without its sign, as SymPy prints a term."""
    c = abs(c)
    if k == 0:
        return str(c)
    return _power(k) if c == 1 else f"{c}*{_power(k)}"


def poly_str(coeffs: list[int]) -> str:
    """Integer coefficients from the highest power down, printed byte for byte as `show` prints
    `poly_expr(coeffs)` (tests/test_polytext.py compares them), without building the expression:
    SymPy's printer cost more than the rest of a factoring item."""
    degree = len(coeffs) - 1
    parts: list[str] = []
    for i, c in enumerate(coeffs):
        if c:
            sign = ("-" if c < 0 else "") if not parts else (" - " if c < 0 else " + ")
            parts.append(sign + _term(c, degree - i))
    return "".join(parts) or "0"


def poly_m(coeffs: list[int]) -> Math:
    """`m(poly_expr(coeffs))` for integer coefficients: the plain spelling without SymPy, the LaTeX
    one built only when a LaTeX set asks for it."""
    return Math(poly_str(coeffs), lambda: latex_of(poly_expr(coeffs)))


def factored_str(lead: int, roots: list[int], quadratic: int | None = None) -> str | None:
    """lead * prod(x - r) * (x**2 + quadratic), printed byte for byte as `show` prints SymPy's
    product: x's power first, then the binomials by their constant term ascending, each with its
    multiplicity, then the quadratic. None where the product is one binomial, which SymPy prints
    bare or distributed (x - 3, 2*x - 6, -x + 3), and the caller prints with SymPy.
    Compared with SymPy's printing over every preset's whole draw space (tests/test_polytext.py)."""
    counts: dict[int, int] = {}
    for r in roots:
        counts[r] = counts.get(r, 0) + 1
    factors = ([_power(counts.pop(0))] if 0 in counts else [])
    binomials = len(counts)
    for r in sorted(counts, reverse=True):  # x - 6 before x - 3 before x + 1
        text = f"(x {'-' if r > 0 else '+'} {abs(r)})"
        factors.append(text if counts[r] == 1 else f"{text}**{counts[r]}")
    if quadratic is not None:
        if quadratic <= 0:
            return None
        factors.append(f"(x**2 + {quadratic})")
        binomials += 1
    if lead == 0 or not factors or (binomials == 1 and len(factors) == 1):
        return None  # one binomial alone prints bare (x - 3) or distributed (2*x - 6, -x + 3)
    body = "*".join(factors)
    return body if lead == 1 else f"-{body}" if lead == -1 else f"{lead}*{body}"


def times_x_minus(coeffs: list[int], r: int) -> list[int]:
    """Integer coefficients (highest first) of p(x) * (x - r)."""
    return [a - r * b for a, b in zip(coeffs + [0], [0] + coeffs)]


def expand_roots(roots: list[Fraction | int], lead: int = 1) -> list[Fraction]:
    """Coefficients (highest first) of lead * prod (x - r)."""
    coeffs = [Fraction(lead)]
    for r in roots:
        shifted = coeffs + [Fraction(0)]
        for i in range(1, len(shifted)):
            shifted[i] -= Fraction(r) * coeffs[i - 1]
        coeffs = shifted
    return coeffs



def linear_form(terms: list[tuple[int, str]], constant: int | None = None) -> str:
    """Coefficients and terms as an examiner prints them: '3*a(n-1) - 2*a(n-2)', "y'' - y' + 2*y";
    no '+ -', no '1*' or '0*' (zero terms are left out; all zero prints '0')."""
    parts: list[str] = []
    for coef, term in terms + ([(constant, "")] if constant else []):
        if coef == 0:
            continue
        size = abs(coef)
        body = term if size == 1 and term else f"{size}*{term}" if term else str(size)
        if not parts:
            parts.append(body if coef > 0 else f"-{body}")
        else:
            parts.append(f"{'+' if coef > 0 else '-'} {body}")
    return " ".join(parts) or "0"


def ops(text: str) -> int:
    """Operations in an expression as printed (SymPy's count_ops): the size of what a solver
    differentiates, factors or simplifies."""
    return int(sympy.count_ops(sympy.sympify(text)))


def euclid_steps(a: int, b: int) -> int:
    """Division steps of the Euclidean algorithm on (a, b)."""
    a, b, steps = abs(a), abs(b), 0
    while b:
        a, b, steps = b, a % b, steps + 1
    return steps


def bareiss_det(rows: list[list[int]]) -> int:
    """The determinant of an integer matrix by fraction-free (Bareiss) elimination, in Python
    integers: every division is exact. SymPy's Matrix.det ran the same algorithm at 40 times
    the cost; the proofs check it by Gaussian elimination over fractions, a different route."""
    m = [list(r) for r in rows]
    n, sign, prev = len(m), 1, 1
    for k in range(n - 1):
        if m[k][k] == 0:
            swap = next((r for r in range(k + 1, n) if m[r][k] != 0), None)
            if swap is None:
                return 0
            m[k], m[swap] = m[swap], m[k]
            sign = -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                m[i][j] = (m[i][j] * m[k][k] - m[i][k] * m[k][j]) // prev
        prev = m[k][k]
    return sign * m[n - 1][n - 1] if n else 1
