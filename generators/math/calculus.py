"""Derivatives, antiderivatives, limits and definite integrals, built backwards."""

from __future__ import annotations

import math

import random
from fractions import Fraction
from typing import Callable

import sympy

from generators.math._common import X, fmt, frac_str, log_domain, m, nonzero, ops, poly_m, show
from mintbench.items.distractors import DrawAgain, slip_square
from mintbench.items.registry import Draft, Generator, Knobs, register


def _term(rng: random.Random, max_coeff: int, chain: bool) -> tuple[sympy.Expr, sympy.Expr, Callable[[int], sympy.Expr]]:
    """(term, its derivative, slip): slip(+1) and slip(-1) are the derivatives a student writes
    who applies the term's inner factor once too often or forgets it (the chain factor, the power
    brought down). Both directions are equally plausible, so a
    slipped option is no more and no less than the key in the factor it carries."""
    c = nonzero(rng, -max_coeff, max_coeff)
    kind = rng.choice(["power", "sin", "cos", "exp", "log", "product"] + (["chain"] if chain else []))
    a = rng.randint(2, 4)
    if kind == "power":
        k = rng.randint(2, 6)
        return c * X**k, c * k * X ** (k - 1), lambda d: c * k * X ** (k - 1 + d)
    if kind == "sin":
        return c * sympy.sin(a * X), c * a * sympy.cos(a * X), lambda d: c * a ** (1 + d) * sympy.cos(a * X)
    if kind == "cos":
        return c * sympy.cos(a * X), -c * a * sympy.sin(a * X), lambda d: -c * a ** (1 + d) * sympy.sin(a * X)
    if kind == "exp":
        return c * sympy.exp(a * X), c * a * sympy.exp(a * X), lambda d: c * a ** (1 + d) * sympy.exp(a * X)
    if kind == "log":
        return c * sympy.log(a * X), c / X, lambda d: c * sympy.Integer(a) ** d / X
    if kind == "product":
        k = rng.randint(1, 3)
        f = c * X**k * sympy.exp(X)
        halves = (c * k * X ** (k - 1) * sympy.exp(X), c * X**k * sympy.exp(X))
        return f, halves[0] + halves[1], lambda d: c * k * X ** (k - 1 + d) * sympy.exp(X) + halves[1]
    inner = X**2 + rng.randint(1, 5)
    return c * sympy.sin(inner), c * 2 * X * sympy.cos(inner), lambda d: c * (2 * X) ** (1 + d) * sympy.cos(inner)


class DerivativeKnobs(Knobs):
    n_terms: int = 2
    max_coeff: int = 6
    chain_rule: bool = True


@register
class Derivative(Generator):
    id = "math.derivative"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "calculus", "L3"
    formats = ("open", "mcq")
    answer_type = "expression"
    Config = DerivativeKnobs
    presets = {
        "easy": {"n_terms": 1, "max_coeff": 5, "chain_rule": False},
        "medium": {"n_terms": 2, "max_coeff": 6, "chain_rule": True},
        "hard": {"n_terms": 3, "max_coeff": 9, "chain_rule": True},
    }
    _q = {"en": "Differentiate f(x) = {f} with respect to x.", "zh": "求函数 f(x) = {f} 关于 x 的导数。"}
    _q_latex = {"en": "Differentiate \\(f(x) = {f}\\) with respect to \\(x\\).", "zh": "求函数 \\(f(x) = {f}\\) 关于 \\(x\\) 的导数。"}

    @staticmethod
    def work(p: dict) -> float:
        return ops(p['f'])

    def draft(self, rng, cfg, lang, fmt_):
        terms = [_term(rng, cfg.max_coeff, cfg.chain_rule) for _ in range(cfg.n_terms)]
        f = sum(t[0] for t in terms)
        df = sum(t[1] for t in terms)
        # A square of two slips (mintbench.items.distractors): one term's sign, and one term's
        # inner factor applied twice or forgotten. Built from single slips around the key, the
        # key was the centre of its options (0.64 picked from the options alone).
        i, j = rng.randrange(len(terms)), rng.randrange(len(terms))

        def sign(parts, _d):
            return [-p if m == i else p for m, p in enumerate(parts)]

        def factor(parts, d):
            kept = 1 if parts[j] == terms[j][1] else -1  # a sign slipped first stays slipped
            return [kept * terms[j][2](d) if m == j else p for m, p in enumerate(parts)]

        square = slip_square(rng, [t[1] for t in terms], sign, factor)
        distractors = [show(sum(parts)) for parts in square] if square else []
        if fmt_ == "mcq" and len({show(df), *distractors}) < 4:
            raise DrawAgain(self.id)
        return Draft(
            question=self.ask(lang, f=m(f)),
            answer=show(df),
            answer_type="expression",
            answer_format=fmt("expr_x", lang),
            params={"f": show(f)},
            grader_args={"vars": ["x"]},
            distractors=distractors,
        )


class AntiderivativeKnobs(Knobs):
    n_terms: int = 2
    max_coeff: int = 6


@register
class Antiderivative(Generator):
    id = "math.antiderivative"
    version = "4"  # 4: the domain stated where the antiderivative takes a logarithm (issue #26); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "calculus", "L3"
    answer_type = "antiderivative"
    Config = AntiderivativeKnobs
    presets = {"easy": {"n_terms": 1, "max_coeff": 4}, "medium": {"n_terms": 2}, "hard": {"n_terms": 3, "max_coeff": 9}}
    _q = {"en": "Find an antiderivative of g(x) = {g}{on}.", "zh": "求 g(x) = {g}{on} 的一个原函数。"}
    _q_latex = {"en": "Find an antiderivative of \\(g(x) = {g}\\){on}.", "zh": "求 \\(g(x) = {g}\\){on} 的一个原函数。"}

    @staticmethod
    def work(p: dict) -> float:
        return ops(p['integrand'])

    def draft(self, rng, cfg, lang, fmt_):
        # Pick F first, then ask for it from F': integration is never needed.
        F = sum(_term(rng, cfg.max_coeff, chain=True)[0] for _ in range(cfg.n_terms))
        g = sympy.diff(F, X)
        return Draft(
            question=self.ask(lang, g=m(g), on=log_domain(F, lang)),
            answer=show(F),
            answer_type="antiderivative",
            answer_format=fmt("antiderivative", lang),
            params={"integrand": show(g)},
            grader_args={"vars": ["x"]},
        )


class LimitKnobs(Knobs):
    degree: int = 2
    max_root: int = 5


@register
class Limit(Generator):
    id = "math.limit"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "calculus", "L3"
    mcq_options = "siblings"  # limits cluster near 0: a slipped option lay further out than the key (0.35)
    formats = ("open", "mcq")
    answer_type = "rational"
    Config = LimitKnobs
    # Easy is degree 2, not 1: a degree-1 limit is c*(x - a)/(d*(x - a)), read off without work.
    presets = {"easy": {"degree": 2, "max_root": 3}, "medium": {"degree": 3, "max_root": 5}, "hard": {"degree": 4, "max_root": 7}}
    _q = {
        "en": "Evaluate the limit as x -> {a} of ({p}) / ({q}).",
        "zh": "求当 x -> {a} 时 ({p}) / ({q}) 的极限。",
    }
    _q_latex = {
        "en": "Evaluate \\(\\displaystyle\\lim_{{x \\to {a}}} \\frac{{{p}}}{{{q}}}\\).",
        "zh": "求极限 \\(\\displaystyle\\lim_{{x \\to {a}}} \\frac{{{p}}}{{{q}}}\\)。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return ops(p['numerator']) + ops(p['denominator'])

    def draft(self, rng, cfg, lang, fmt_):
        # Numerator and denominator share the factor (x - a): a removable 0/0.
        a = rng.randint(-cfg.max_root, cfg.max_root)
        while True:
            p_roots = [rng.randint(-cfg.max_root, cfg.max_root) for _ in range(cfg.degree - 1)]
            q_roots = [rng.randint(-cfg.max_root, cfg.max_root) for _ in range(cfg.degree - 1)]
            if a not in q_roots and a not in p_roots and not set(p_roots) & set(q_roots):
                break
        lp, lq = nonzero(rng, -4, 4), nonzero(rng, -4, 4)
        p = lp * (X - a) * sympy.Mul(*[X - r for r in p_roots])
        q = lq * (X - a) * sympy.Mul(*[X - r for r in q_roots])
        value = Fraction(lp, lq)
        for r in p_roots:
            value *= a - r
        for r in q_roots:
            value /= a - r
        wrongs = [-value, value + 1, value - 1, Fraction(lp, lq)]
        if value != 0:
            wrongs.append(1 / value)
        return Draft(
            question=self.ask(lang, a=a, p=m(sympy.expand(p)), q=m(sympy.expand(q))),
            answer=frac_str(value),
            answer_type="rational",
            answer_format=fmt("exact_number", lang),
            params={"point": a, "numerator": show(sympy.expand(p)), "denominator": show(sympy.expand(q))},
            distractors=[frac_str(w) for w in wrongs],
        )


class DefiniteIntegralKnobs(Knobs):
    degree: int = 2
    max_coeff: int = 5
    max_bound: int = 3


@register
class DefiniteIntegral(Generator):
    id = "math.definite_integral"
    version = "5"  # 5: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 4: sibling options (issue #26, item 3); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "calculus", "L3"
    formats = ("open", "mcq")
    answer_type = "rational"
    # A slip square around the key fell to option relations and residues (0.31, and 0.49 to an
    # examiner's rule): other integrals' values share the key's distribution.
    mcq_options = "siblings"
    Config = DefiniteIntegralKnobs
    presets = {"easy": {"degree": 1, "max_coeff": 4}, "medium": {"degree": 2}, "hard": {"degree": 4, "max_coeff": 9, "max_bound": 4}}
    _q = {
        "en": "Compute the definite integral of {p} with respect to x from x = {a} to x = {b}.",
        "zh": "计算 {p} 对 x 从 x = {a} 到 x = {b} 的定积分。",
    }
    _q_latex = {
        "en": "Compute \\(\\displaystyle\\int_{{{a}}}^{{{b}}} \\left({p}\\right) \\, dx\\).",
        "zh": "计算定积分 \\(\\displaystyle\\int_{{{a}}}^{{{b}}} \\left({p}\\right) \\, dx\\)。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['coeffs']) * math.log2(2 + max(abs(p['lower']), abs(p['upper']))) * math.log2(2 + max(map(abs, p['coeffs'])))

    def draft(self, rng, cfg, lang, fmt_):
        coeffs = [nonzero(rng, -cfg.max_coeff, cfg.max_coeff)] + [
            rng.randint(-cfg.max_coeff, cfg.max_coeff) for _ in range(cfg.degree)
        ]
        a = rng.randint(-cfg.max_bound, cfg.max_bound - 1)
        b = rng.randint(a + 1, cfg.max_bound)
        n = len(coeffs) - 1

        def prim(t: int, scale: bool = True) -> Fraction:
            return sum(Fraction(c, (n - i + 1) if scale else 1) * Fraction(t) ** (n - i + 1) for i, c in enumerate(coeffs))

        value = prim(b) - prim(a)
        wrongs = [prim(a) - prim(b), prim(b), prim(b, False) - prim(a, False), value + 1, value - 1, 2 * value + 1, value + 2, -prim(a)]
        return Draft(
            question=self.ask(lang, p=poly_m(coeffs), a=a, b=b),
            answer=frac_str(value),
            answer_type="rational",
            answer_format=fmt("exact_number", lang),
            params={"coeffs": coeffs, "lower": a, "upper": b},
            distractors=[frac_str(w) for w in wrongs],
        )
