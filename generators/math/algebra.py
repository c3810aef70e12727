"""Roots, linear systems, inequalities, factoring and partial fractions, built backwards."""

from __future__ import annotations

import math

from fractions import Fraction

import sympy

from mintbench.items.distractors import DrawAgain, slip_square
from generators.math._common import (
    X, distinct_ints, expand_roots, factored_str, fmt, frac_str, m, nonzero, ops, poly_m, show, times_x_minus,
)
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.render import Math, latex_of

_TEX_RELATION = {"<": "<", "<=": "\\le", ">": ">", ">=": "\\ge"}


def _set_str(values) -> str:
    return "{" + ", ".join(frac_str(Fraction(v)) for v in sorted(values)) + "}"


class RootsKnobs(Knobs):
    degree: int = 3
    max_root: int = 6
    rational_roots: bool = False


@register
class PolynomialRoots(Generator):
    id = "math.polynomial_roots"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "algebra", "L3"
    formats = ("open", "mcq")
    answer_type = "set"
    Config = RootsKnobs
    presets = {
        "easy": {"degree": 2, "max_root": 5},
        "medium": {"degree": 3, "max_root": 6},
        "hard": {"degree": 4, "max_root": 8, "rational_roots": True},
    }
    _q = {"en": "Find all real roots of {p} = 0.", "zh": "求方程 {p} = 0 的所有实根。"}
    _q_latex = {"en": "Find all real roots of \\({p} = 0\\).", "zh": "求方程 \\({p} = 0\\) 的所有实根。"}

    @staticmethod
    def work(p: dict) -> float:
        return (len(p['coeffs']) - 1) * math.log2(2 + max(map(abs, p['coeffs'])))

    def draft(self, rng, cfg, lang, fmt_):
        roots = [Fraction(r) for r in distinct_ints(rng, cfg.degree, -cfg.max_root, cfg.max_root)]
        lead = 1
        if cfg.rational_roots:
            den = rng.choice([2, 3])
            roots[0] = Fraction(rng.choice([1, -1, 5, -5]), den) if den == 2 else Fraction(rng.choice([1, 2, -1, -2]), 3)
            lead = den
        coeffs = expand_roots(roots, lead)
        # Two sign slips that undo themselves (all roots read off with the wrong sign, as from
        # x - r against x + r; one root's sign wrong): the four options are the orbit of the two
        # slips, the same set whichever corner is the key, so no option is central or odd.
        flippable = [r for r in roots if r and -r not in roots]
        if not flippable:
            if fmt_ == "mcq":
                raise DrawAgain(self.id)
            flippable = roots[:1]
        one = rng.choice(flippable)
        negate_all = [-r for r in roots]
        negate_one = [-r if r == one else r for r in roots]
        wrongs = [_set_str(negate_all), _set_str(negate_one), _set_str([-r for r in negate_one])]
        return Draft(
            question=self.ask(lang, p=poly_m([int(c) for c in coeffs])),
            answer=_set_str(roots),
            answer_type="set",
            answer_format=fmt("root_set", lang),
            params={"coeffs": [int(c) for c in coeffs]},
            distractors=wrongs,
        )


class SystemKnobs(Knobs):
    size: int = 3
    max_coeff: int = 5
    max_solution: int = 6


@register
class LinearSystem(Generator):
    id = "math.linear_system"
    version = "5"  # 5: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 4: every equation holds at least two unknowns (issue #26); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "algebra", "L3"
    formats = ("open", "mcq")
    answer_type = "tuple"
    Config = SystemKnobs
    presets = {"easy": {"size": 2, "max_coeff": 4}, "medium": {"size": 3}, "hard": {"size": 4, "max_coeff": 7, "max_solution": 9}}
    # The tuple's order is in the question itself: a multiple-choice item has no answer format
    # to carry it, and an option could be the key read in another order.
    _q = {"en": "Solve the system of equations for ({names}):\n{eqs}", "zh": "解下列方程组，按 ({names}) 的顺序给出解：\n{eqs}"}
    _names = ["x", "y", "z", "w"]

    @staticmethod
    def work(p: dict) -> float:
        return len(p['matrix']) ** 3 * math.log2(2 + max(abs(v) for r in p['matrix'] for v in r))

    def draft(self, rng, cfg, lang, fmt_):
        n = cfg.size
        names = sorted(self._names[:n])  # the order SymPy prints them in
        syms = sympy.symbols(names)
        while True:
            A = [[rng.randint(-cfg.max_coeff, cfg.max_coeff) for _ in range(n)] for _ in range(n)]
            # An equation in one unknown hands that unknown over without solving anything.
            if all(sum(1 for a in row if a) >= min(2, n) for row in A) and sympy.Matrix(A).det() != 0:
                break
        sol = [rng.randint(-cfg.max_solution, cfg.max_solution) for _ in range(n)]
        b = [sum(a * s for a, s in zip(row, sol)) for row in A]
        eqs = "\n".join(
            f"{show(sum(a * v for a, v in zip(row, syms)))} = {bi}" for row, bi in zip(A, b)
        )
        tup = lambda vals: "(" + ", ".join(str(v) for v in vals) + ")"  # noqa: E731
        # Two arithmetic slips, in two different unknowns, offered as a square (see mintbench.items.distractors):
        # negated and reversed solutions made the key the centre of its options.
        i, j = rng.sample(range(n), 2)

        def slip(k: int):
            return lambda vals, d: [v + d if m == k else v for m, v in enumerate(vals)]

        wrongs = [tup(w) for w in slip_square(rng, sol, slip(i), slip(j))]  # unbounded: never None
        return Draft(
            question=self._q[lang].format(eqs=eqs, names=", ".join(names)),
            answer=tup(sol),
            answer_type="tuple",
            answer_format=fmt("tuple", lang, names=", ".join(names), example=", ".join(["1"] * n)),
            params={"matrix": A, "rhs": b},
            grader_args={"vars": names},
            distractors=wrongs,
        )


class InequalityKnobs(Knobs):
    max_root: int = 6
    allow_negative_lead: bool = True


def _interval_str(r1: Fraction, r2: Fraction, inside: bool, closed: bool) -> str:
    lo, hi = frac_str(r1), frac_str(r2)
    if inside:
        return f"[{lo}, {hi}]" if closed else f"({lo}, {hi})"
    left, right = ("]", "[") if closed else (")", "(")
    return f"(-oo, {lo}{left} U {right}{hi}, oo)"


@register
class QuadraticInequality(Generator):
    id = "math.quadratic_inequality"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "algebra", "L3"
    formats = ("open", "mcq")
    answer_type = "interval"
    Config = InequalityKnobs
    presets = {
        "easy": {"max_root": 5, "allow_negative_lead": False},
        "medium": {"max_root": 6},
        "hard": {"max_root": 9},
    }
    _q = {"en": "Solve the inequality {p} {op} 0 over the real numbers.", "zh": "在实数范围内解不等式 {p} {op} 0。"}
    _q_latex = {"en": "Solve the inequality \\({p} {op} 0\\) over the real numbers.", "zh": "在实数范围内解不等式 \\({p} {op} 0\\)。"}

    @staticmethod
    def work(p: dict) -> float:
        return math.log2(2 + sum(map(abs, p['coeffs']))) + (p['coeffs'][0] < 0)

    def draft(self, rng, cfg, lang, fmt_):
        r1, r2 = sorted(Fraction(r) for r in distinct_ints(rng, 2, -cfg.max_root, cfg.max_root))
        lead = rng.choice([1, 2, 3] + ([-1, -2] if cfg.allow_negative_lead else []))
        op = rng.choice(["<", "<=", ">", ">="])
        coeffs = [int(c) for c in expand_roots([r1, r2], lead)]
        # lead * (x - r1)(x - r2) is negative strictly between the roots when lead > 0.
        wants_negative = op in ("<", "<=")
        inside = wants_negative == (lead > 0)
        closed = op in ("<=", ">=")
        answer = _interval_str(r1, r2, inside, closed)
        # Both slips undo themselves (inside/outside the roots, ends included or not): the four
        # options are every combination, the same set whichever is the key.
        wrongs = [
            _interval_str(r1, r2, not inside, closed),
            _interval_str(r1, r2, inside, not closed),
            _interval_str(r1, r2, not inside, not closed),
        ]
        return Draft(
            question=self.ask(lang, p=poly_m(coeffs), op=Math(op, _TEX_RELATION[op])),
            answer=answer,
            answer_type="interval",
            answer_format=fmt("interval", lang),
            params={"coeffs": coeffs, "op": op},
            distractors=wrongs,
        )


class FactorKnobs(Knobs):
    n_factors: int = 3
    max_root: int = 6
    repeated: bool = False
    quadratic_factor: bool = False


@register
class Factor(Generator):
    id = "math.factor"
    version = "4"  # 4: at least two distinct factors (issue #26); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "algebra", "L3"
    answer_type = "factored"
    Config = FactorKnobs
    presets = {
        "easy": {"n_factors": 2, "max_root": 5},
        "medium": {"n_factors": 3, "repeated": True},
        "hard": {"n_factors": 3, "max_root": 8, "repeated": True, "quadratic_factor": True},
    }
    _q = {"en": "Factor completely over the integers: {p}", "zh": "在整数范围内对下式进行完全因式分解：{p}"}
    _q_latex = {"en": "Factor completely over the integers: \\({p}\\)", "zh": "在整数范围内对下式进行完全因式分解：\\({p}\\)"}

    @staticmethod
    def work(p: dict) -> float:
        return ops(p['polynomial'])

    def draft(self, rng, cfg, lang, fmt_):
        while True:
            roots = [rng.randint(-cfg.max_root, cfg.max_root) for _ in range(cfg.n_factors)]
            if cfg.repeated:
                roots[-1] = roots[0]
            # All roots 0 and nothing else is a monomial; one distinct root is a power of one binomial.
            if cfg.quadratic_factor or (any(roots) and (len(set(roots)) > 1 or cfg.n_factors < 2)):
                break
        # x**2 + c with c > 0 has no rational roots: irreducible over Q.
        quadratic = rng.randint(1, 7) if cfg.quadratic_factor else None
        lead = rng.choice([1, 1, 2, 3, -1])
        coeffs = [lead] if quadratic is None else [lead, 0, lead * quadratic]
        for r in roots:
            coeffs = times_x_minus(coeffs, r)
        answer = factored_str(lead, roots, quadratic)
        if answer is None:  # a knob setting of one binomial alone, which SymPy prints its own way
            answer = show(lead * sympy.Mul(*[X - r for r in roots], *([X**2 + quadratic] if quadratic else [])))
        polynomial = poly_m(coeffs)
        return Draft(
            question=self.ask(lang, p=polynomial),
            answer=answer,
            answer_type="factored",
            answer_format=fmt("factored", lang),
            params={"polynomial": polynomial.plain},
            grader_args={"vars": ["x"]},
        )


class PartialFractionKnobs(Knobs):
    n_terms: int = 2
    max_root: int = 5
    max_numerator: int = 5


@register
class PartialFractions(Generator):
    id = "math.partial_fractions"
    version = "3"  # 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "algebra", "L3"
    answer_type = "partial_fractions"
    Config = PartialFractionKnobs
    presets = {"easy": {"n_terms": 2, "max_root": 4}, "medium": {"n_terms": 3}, "hard": {"n_terms": 4, "max_root": 6, "max_numerator": 8}}
    _q = {"en": "Decompose into partial fractions: {f}", "zh": "将下式分解为部分分式：{f}"}
    _q_latex = {"en": "Decompose into partial fractions: \\(\\displaystyle {f}\\)", "zh": "将下式分解为部分分式：\\(\\displaystyle {f}\\)"}

    @staticmethod
    def work(p: dict) -> float:
        return ops(p['rational'])

    def draft(self, rng, cfg, lang, fmt_):
        roots = distinct_ints(rng, cfg.n_terms, -cfg.max_root, cfg.max_root)
        nums = [nonzero(rng, -cfg.max_numerator, cfg.max_numerator) for _ in roots]
        decomposition = sum(sympy.Integer(c) / (X - r) for c, r in zip(nums, roots))
        num, den = sympy.fraction(sympy.together(decomposition))
        rational = sympy.expand(num) / sympy.expand(den)
        return Draft(
            question=self.ask(lang, f=Math(f"({show(sympy.expand(num))})/({show(sympy.expand(den))})", lambda: f"\\frac{{{latex_of(sympy.expand(num))}}}{{{latex_of(sympy.expand(den))}}}")),
            answer=show(decomposition),
            answer_type="partial_fractions",
            answer_format=fmt("partial_fractions", lang),
            params={"numerator": show(sympy.expand(num)), "denominator": show(sympy.expand(den)), "rational": show(rational)},
            grader_args={"vars": ["x"]},
        )
