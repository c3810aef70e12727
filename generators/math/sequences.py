"""Recurrences and ODE initial value problems with closed forms chosen first."""

from __future__ import annotations

import math

from typing import Literal

import sympy

from generators.math._common import X, distinct_ints, fmt, linear_form, nonzero, show
from mintbench.items.registry import Draft, Generator, Knobs, register

N = sympy.Symbol("n")


class RecurrenceKnobs(Knobs):
    max_root: int = 3
    max_coeff: int = 4


@register
class Recurrence(Generator):
    id = "math.recurrence"
    version = "3"  # 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "sequences", "L3"
    answer_type = "sequence_formula"
    Config = RecurrenceKnobs
    presets = {"easy": {"max_root": 2, "max_coeff": 3}, "medium": {}, "hard": {"max_root": 5, "max_coeff": 6}}
    _q = {
        "en": "The sequence a(n) satisfies a(n) = {rule} for n >= 2, with a(0) = {a0} and a(1) = {a1}. Give a closed form for a(n).",
        "zh": "数列 a(n) 满足 a(n) = {rule}（n >= 2），且 a(0) = {a0}，a(1) = {a1}。求 a(n) 的通项公式。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['roots']) * math.log2(2 + p['config']['max_root'] + p['config']['max_coeff'])

    def draft(self, rng, cfg, lang, fmt_):
        # Characteristic roots r1 != r2 first, then coefficients and initial terms.
        # No zero root: its term 0**n is right only under an unstated 0**0 = 1.
        r1, r2 = distinct_ints(rng, 2, -cfg.max_root, cfg.max_root, exclude=(0,))
        A, B = nonzero(rng, -cfg.max_coeff, cfg.max_coeff), nonzero(rng, -cfg.max_coeff, cfg.max_coeff)
        c1, c2 = r1 + r2, -r1 * r2
        a0, a1 = A + B, A * r1 + B * r2
        closed = A * sympy.Integer(r1) ** N + B * sympy.Integer(r2) ** N
        return Draft(
            question=self._q[lang].format(rule=linear_form([(c1, "a(n-1)"), (c2, "a(n-2)")]), a0=a0, a1=a1),
            answer=show(closed),
            answer_type="sequence_formula",
            answer_format=fmt("expr_n", lang),
            params={"roots": [r1, r2]},
            grader_args={"coeffs": [c1, c2], "initial": [a0, a1]},
        )


class ODEKnobs(Knobs):
    order: Literal[1, 2] = 2
    max_root: int = 3
    max_coeff: int = 4


@register
class LinearODE(Generator):
    id = "math.ode_ivp"
    version = "3"  # 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "math", "differential_equations", "L3"
    answer_type = "ode_solution"
    Config = ODEKnobs
    presets = {"easy": {"order": 1}, "medium": {"order": 2}, "hard": {"order": 2, "max_root": 4, "max_coeff": 6}}
    _q = {
        "en": "Solve the initial value problem {ode}, {ics}. Give y(x).",
        "zh": "求解初值问题 {ode}，{ics}。给出 y(x)。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return p['config']['order'] ** 2 * math.log2(2 + p['config']['max_coeff'] + p['config']['max_root'])

    def draft(self, rng, cfg, lang, fmt_):
        if cfg.order == 1:
            # y' + k*y = k*c has solution c + A*exp(-k*x).
            k, c, A = nonzero(rng, -cfg.max_root, cfg.max_root), rng.randint(-cfg.max_coeff, cfg.max_coeff), nonzero(rng, -cfg.max_coeff, cfg.max_coeff)
            y = c + A * sympy.exp(-k * X)
            coeffs, rhs = [k, 1], k * c
            ode = linear_form([(1, "y'"), (k, "y")]) + f" = {k * c}"
        else:
            r1, r2 = distinct_ints(rng, 2, -cfg.max_root, cfg.max_root)
            A, B = nonzero(rng, -cfg.max_coeff, cfg.max_coeff), nonzero(rng, -cfg.max_coeff, cfg.max_coeff)
            y = A * sympy.exp(r1 * X) + B * sympy.exp(r2 * X)
            coeffs, rhs = [r1 * r2, -(r1 + r2), 1], 0
            ode = linear_form([(1, "y''"), (-(r1 + r2), "y'"), (r1 * r2, "y")]) + " = 0"
        initial = [[k_, 0, int(sympy.diff(y, X, k_).subs(X, 0))] for k_ in range(cfg.order)]
        names = ["y(0)", "y'(0)"]
        ics = ", ".join(f"{names[o]} = {v}" for o, _, v in initial)
        return Draft(
            question=self._q[lang].format(ode=ode, ics=ics),
            answer=show(y),
            answer_type="ode_solution",
            answer_format=fmt("expr_x", lang),
            params={"order": cfg.order},
            grader_args={"coeffs": coeffs, "rhs": str(rhs), "initial": initial},
        )
