"""Design (L5): polynomials built to a specification, graded by checking every condition
(validators/constraints.py). Many answers are right; the generator holds one witness, built
first, so that an answer always exists."""

from __future__ import annotations

import math

import sympy

from generators.math._common import X, distinct_ints, fmt, nonzero, show
from mintbench.items.registry import Draft, Generator, Knobs, register


class ExtremaKnobs(Knobs):
    degree: int = 3
    max_point: int = 4


@register
class ConstructExtrema(Generator):
    id = "math.construct_extrema"
    version = "1"
    domain, topic, level = "math", "design", "L5"
    answer_type = "polynomial_constraints"
    Config = ExtremaKnobs
    presets = {"easy": {"degree": 3, "max_point": 3}, "medium": {}, "hard": {"degree": 4, "max_point": 5}}
    _q = {
        "en": "Give a polynomial p(x) with integer coefficients and degree exactly {d} whose critical points (where p'(x) = 0) are exactly x = {points}, and with p(0) = {c}. Many answers are possible; any that meets every condition is accepted.",
        "zh": "写出一个整系数、次数恰好为 {d} 的多项式 p(x)，其临界点（p'(x) = 0 的点）恰为 x = {points}，且 p(0) = {c}。答案不唯一，满足全部条件即可。",
    }

    @staticmethod
    def work(p: dict) -> float:
        # Integrating a product of degree - 1 factors and clearing denominators.
        return p["config"]["degree"] ** 2 * math.log2(2 + p["config"]["max_point"])

    def draft(self, rng, cfg, lang, fmt_):
        d = cfg.degree
        points = sorted(distinct_ints(rng, d - 1, -cfg.max_point, cfg.max_point))
        # p' = k * lcm(1..d) * prod(x - c): its integral has integer coefficients.
        k = nonzero(rng, -2, 2) * math.lcm(*range(1, d + 1))
        slope = k * sympy.Mul(*[X - c for c in points])
        c = nonzero(rng, -9, 9)  # p(0) = 0 would let 2*p pass as well: the value pins the scale
        witness = sympy.expand(sympy.integrate(sympy.expand(slope), X) + c)
        head, last = [str(p) for p in points[:-1]], str(points[-1])
        joined = (", ".join(head) + " and " + last) if lang == "en" else ("、".join(head) + " 和 " + last)
        return Draft(
            question=self._q[lang].format(d=d, points=joined, c=c),
            answer=show(witness),
            answer_type="polynomial_constraints",
            answer_format=fmt("polynomial", lang),
            params={},
            grader_args={"degree": d, "roots": [], "critical_points": points, "values_at": [[0, c]]},
        )


class ThroughKnobs(Knobs):
    points: int = 3
    max_x: int = 4


@register
class ConstructThroughPoints(Generator):
    id = "math.construct_through_points"
    version = "1"
    domain, topic, level = "math", "design", "L5"
    answer_type = "polynomial_constraints"
    Config = ThroughKnobs
    presets = {"easy": {"points": 2, "max_x": 3}, "medium": {}, "hard": {"points": 4, "max_x": 6}}
    _q = {
        "en": "Give a polynomial p(x) with integer coefficients and degree exactly {d} such that {conds}. Many answers are possible; any that meets every condition is accepted.",
        "zh": "写出一个整系数、次数恰好为 {d} 的多项式 p(x)，使得 {conds}。答案不唯一，满足全部条件即可。",
    }

    @staticmethod
    def work(p: dict) -> float:
        # Interpolating n points, plus one free degree to keep the coefficients whole.
        n = p["config"]["points"]
        return n**2 * math.log2(2 + p["config"]["max_x"])

    def draft(self, rng, cfg, lang, fmt_):
        # Degree n for n points: the Lagrange interpolant (degree n - 1, often with fractions)
        # is not an answer, and a free multiple of prod(x - x_i) must be chosen to fix both.
        n = cfg.points
        xs = sorted(distinct_ints(rng, n, -cfg.max_x, cfg.max_x))
        witness = sympy.expand(nonzero(rng, -3, 3) * X**n + sum(rng.randint(-5, 5) * X**i for i in range(n)))
        values = [[x, int(witness.subs(X, x))] for x in xs]
        conds = {"en": ", ", "zh": "，"}[lang].join(f"p({x}) = {v}" for x, v in values)
        return Draft(
            question=self._q[lang].format(d=n, conds=conds),
            answer=show(witness),
            answer_type="polynomial_constraints",
            answer_format=fmt("polynomial", lang),
            params={},
            grader_args={"degree": n, "roots": [], "values_at": values},
        )
