"""Discernment (L4): judging a claimed result rather than producing one. A claimed derivative
is right or carries one plausible slip; a linear system is claimed to have one, no or
infinitely many solutions. Half the claims are true, by construction."""

from __future__ import annotations

import math
from typing import Literal

import sympy

from generators.math._common import linear_form, m, nonzero, ops, show
from generators.math.calculus import _term
from mintbench.items.prompts import boolean_format
from mintbench.items.registry import Draft, Generator, Knobs, register


class ClaimKnobs(Knobs):
    n_terms: int = 2
    max_coeff: int = 6
    chain_rule: bool = True


@register
class DerivativeClaim(Generator):
    id = "math.derivative_claim"
    version = "1"
    domain, topic, level = "math", "error_spotting", "L4"
    formats = ("true_false",)
    answer_type = "boolean"
    Config = ClaimKnobs
    presets = {
        "easy": {"n_terms": 1, "max_coeff": 5, "chain_rule": False},
        "medium": {"n_terms": 2},
        "hard": {"n_terms": 3, "max_coeff": 9},
    }
    _q = {
        "en": "True or false: the derivative of f(x) = {f} with respect to x is {g}.",
        "zh": "判断正误：f(x) = {f} 关于 x 的导数是 {g}。",
    }
    _q_latex = {
        "en": "True or false: the derivative of \\(f(x) = {f}\\) with respect to \\(x\\) is \\({g}\\).",
        "zh": "判断正误：\\(f(x) = {f}\\) 关于 \\(x\\) 的导数是 \\({g}\\)。",
    }

    @staticmethod
    def work(p: dict) -> float:
        # Differentiating f and comparing: the operations of both expressions.
        return float(ops(p["f"]) + ops(p["claim"]))

    def draft(self, rng, cfg, lang, fmt_):
        terms = [_term(rng, cfg.max_coeff, cfg.chain_rule) for _ in range(cfg.n_terms)]
        f = sum(t[0] for t in terms)
        parts = [t[1] for t in terms]
        true = rng.random() < 0.5
        if not true:
            # One slip a student makes: a term's sign, or its inner factor forgotten or doubled.
            i = rng.randrange(len(parts))
            parts[i] = -parts[i] if rng.random() < 0.5 else terms[i][2](rng.choice((1, -1)))
        claim = show(sum(parts))
        if not true and claim == show(sum(t[1] for t in terms)):
            raise ValueError("the slip left the derivative unchanged")
        return Draft(
            question=self.ask(lang, f=m(f), g=m(sum(parts), claim)),
            answer="true" if true else "false",
            answer_type="boolean",
            answer_format=boolean_format(lang),
            params={"f": show(f), "claim": claim},
            boxed=False,
        )


class SolvabilityKnobs(Knobs):
    size: int = 3
    max_coeff: int = 5


KINDS = ("one", "none", "infinite")


@register
class SystemSolvability(Generator):
    id = "math.system_solvability"
    # 2: an unknown whose coefficients were all 0 vanished from the printed system, and the gold
    # was decided for the hidden one (issue #26); every unknown now appears and is named.
    version = "2"
    domain, topic, level = "math", "error_spotting", "L4"
    formats = ("true_false",)
    answer_type = "boolean"
    Config = SolvabilityKnobs
    presets = {"easy": {"size": 2, "max_coeff": 4}, "medium": {}, "hard": {"size": 4, "max_coeff": 6}}
    _claims = {
        "en": {"one": "has exactly one solution", "none": "has no solution", "infinite": "has infinitely many solutions"},
        "zh": {"one": "恰有一个解", "none": "无解", "infinite": "有无穷多个解"},
    }
    _q = {
        "en": "True or false: the linear system in the unknowns {unknowns}\n{eqs}\n{claim} (over the real numbers).",
        "zh": "判断正误：关于未知数 {unknowns_zh} 的线性方程组\n{eqs}\n（在实数范围内）{claim}。",
    }

    @staticmethod
    def work(p: dict) -> float:
        n = len(p["matrix"])
        return n**3 * math.log2(2 + max(abs(v) for r in p["matrix"] for v in r))

    def draft(self, rng, cfg, lang, fmt_):
        n, m = cfg.size, cfg.max_coeff
        claim = rng.choice(KINDS)
        true = rng.random() < 0.5
        kind = claim if true else rng.choice([k for k in KINDS if k != claim])
        for _ in range(200):
            A = [[rng.randint(-m, m) for _ in range(n)] for _ in range(n)]
            sol = [rng.randint(-5, 5) for _ in range(n)]
            if kind != "one":
                # The last row is an integer mix of two others: singular, and not visibly so.
                i, j = rng.sample(range(n - 1), 2) if n > 2 else (0, 0)
                a, b = nonzero(rng, -2, 2), (nonzero(rng, -2, 2) if n > 2 else 0)
                A[-1] = [a * A[i][k] + b * A[j][k] for k in range(n)]
            M = sympy.Matrix(A)
            if any(all(v == 0 for v in row) for row in A) or any(all(row[k] == 0 for row in A) for k in range(n)):
                continue  # an empty equation, or an unknown the printed system would not show
            if (M.det() != 0) != (kind == "one"):
                continue
            rhs = [sum(A[r][k] * sol[k] for k in range(n)) for r in range(n)]
            if kind == "none":
                rhs[-1] += nonzero(rng, -3, 3)
            break
        else:
            raise ValueError("no system of the wanted kind drawn")
        names = ["x", "y", "z", "w"][:n]
        eqs = "\n".join(f"{linear_form([(c, v) for c, v in zip(row, names)]) or '0'} = {r}" for row, r in zip(A, rhs))
        return Draft(
            question=self._q[lang].format(eqs=eqs, claim=self._claims[lang][claim], unknowns=", ".join(names[:-1]) + " and " + names[-1],
                                          unknowns_zh="、".join(names)),
            answer="true" if true else "false",
            answer_type="boolean",
            answer_format=boolean_format(lang),
            params={"matrix": A, "rhs": rhs, "claim": claim},
            boxed=False,
        )
