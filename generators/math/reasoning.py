"""Spot the wrong step (L4) and construct an object with given properties (L5)."""

from __future__ import annotations

import math

from fractions import Fraction

import sympy

from generators.math._common import X, distinct_ints, fmt, linear_form, nonzero, show
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.prompts import choice_format

# An equation L*x + K = R*x + S, stored as (L, K, R, S).
Equation = tuple[Fraction, Fraction, Fraction, Fraction]


def solve_linear(eq: Equation) -> Fraction | None:
    L, K, R, S = eq
    return None if L == R else (S - K) / (L - R)


def _show_side(coef: Fraction, const: Fraction) -> str:
    return show(sympy.Rational(coef.numerator, coef.denominator) * X + sympy.Rational(const.numerator, const.denominator))


def show_equation(eq: Equation) -> str:
    L, K, R, S = eq
    return f"{_show_side(L, K)} = {_show_side(R, S)}"


# Each step is a correct move and a plausible slip of the same move.
def _collect(eq: Equation, slip: bool) -> Equation:
    L, K, R, S = eq
    return (L + R if slip else L - R, K, Fraction(0), S)


def _isolate(eq: Equation, slip: bool) -> Equation:
    L, K, R, S = eq
    return (L, Fraction(0), R, S + K if slip else S - K)


def _divide(eq: Equation, slip: bool) -> Equation:
    L, K, R, S = eq
    return (Fraction(1), Fraction(0), Fraction(0), L / S if slip and S else (-S / L if slip else S / L))


class WrongStepKnobs(Knobs):
    max_coeff: int = 6
    max_solution: int = 8


@register
class WrongStep(Generator):
    id = "math.wrong_step"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "error_spotting", "L4"
    formats = ("mcq",)
    answer_type = "choice"
    Config = WrongStepKnobs
    presets = {"easy": {"max_coeff": 4, "max_solution": 6}, "medium": {}, "hard": {"max_coeff": 12, "max_solution": 15}}
    _q = {
        "en": "A student solves {eq} for x as follows.\n{steps}\nWhich step is the first one that contains an error?",
        "zh": "一名学生按如下步骤解关于 x 的方程 {eq}：\n{steps}\n第一个出错的是哪一步？",
    }
    _step = {"en": "Step {i}: {text}", "zh": "第 {i} 步：{text}"}
    _option = {"en": "Step {i}", "zh": "第 {i} 步"}

    @staticmethod
    def work(p: dict) -> float:
        return 4 * math.log2(2 + max(map(abs, p['equation'])))

    def draft(self, rng, cfg, lang, fmt_):
        m = cfg.max_coeff
        while True:
            a, c = nonzero(rng, -m, m), nonzero(rng, -m, m)
            if a != c and a + c != 0:
                break
        p, b = nonzero(rng, -m, m), rng.randint(-m, m)
        x0 = rng.randint(-cfg.max_solution, cfg.max_solution)
        d = (a - c) * x0 + a * p + b
        bracket = f"(x + {p})".replace("+ -", "- ")
        original = linear_form([(a, bracket)], b) + " = " + linear_form([(c, "x")], d)
        bad = rng.randint(1, 4)
        F = Fraction
        # Step 1 expands the bracket; its slip forgets to multiply the constant.
        steps: list[Equation] = [(F(a), F(p + b if bad == 1 else a * p + b), F(c), F(d))]
        for i, move in enumerate((_collect, _isolate, _divide), start=2):
            steps.append(move(steps[-1], slip=(i == bad)))
        if solve_linear(steps[bad - 1]) == x0:  # a slip that happens to keep the answer
            steps[bad - 1] = (steps[bad - 1][0], steps[bad - 1][1], steps[bad - 1][2], steps[bad - 1][3] + 1)
            for i in range(bad, 4):
                steps[i] = (_collect, _isolate, _divide)[i - 1](steps[i - 1], slip=False)
        body = "\n".join(self._step[lang].format(i=i + 1, text=show_equation(s)) for i, s in enumerate(steps))
        options = [self._option[lang].format(i=i) for i in range(1, 5)]
        return Draft(
            question=self._q[lang].format(eq=original, steps=body),
            answer="ABCD"[bad - 1],
            answer_type="choice",
            answer_format=choice_format(lang),
            params={
                "choices": options,
                "equation": [a, p, b, c, d],
                "steps": [[str(v) for v in s] for s in steps],
            },
            grader_args={"n_choices": 4},
        )


class ConstructKnobs(Knobs):
    degree: int = 3
    max_root: int = 5


@register
class ConstructPolynomial(Generator):
    id = "math.construct_polynomial"
    version = "3"  # 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "design", "L5"
    answer_type = "polynomial_constraints"
    Config = ConstructKnobs
    presets = {"easy": {"degree": 3, "max_root": 4}, "medium": {"degree": 3}, "hard": {"degree": 4, "max_root": 7}}
    _q = {
        "en": "Give a polynomial p(x) with integer coefficients and degree exactly {d} such that {conds}. Many answers are possible; any that meets every condition is accepted.",
        "zh": "写出一个整系数、次数恰好为 {d} 的多项式 p(x)，使得 {conds}。答案不唯一，满足全部条件即可。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return p['config']['degree'] * math.log2(2 + p['config']['max_root'])

    def draft(self, rng, cfg, lang, fmt_):
        r1, r2, v = distinct_ints(rng, 3, -cfg.max_root, cfg.max_root)
        # A witness exists by construction: (x - r1)(x - r2) q(x) for some q of degree d - 2.
        q = nonzero(rng, -3, 3) * X ** (cfg.degree - 2) + rng.randint(-4, 4)
        if q.subs(X, v) == 0:
            q = q + 1
        witness = sympy.expand((X - r1) * (X - r2) * q)
        w = int(witness.subs(X, v))
        conds = f"p({r1}) = 0, p({r2}) = 0, p({v}) = {w}"
        return Draft(
            question=self._q[lang].format(d=cfg.degree, conds=conds if lang == "en" else conds.replace(",", "，")),
            answer=show(witness),
            answer_type="polynomial_constraints",
            answer_format=fmt("polynomial", lang),
            params={},
            grader_args={"degree": cfg.degree, "roots": [r1, r2], "value_at": [v, w]},
        )
