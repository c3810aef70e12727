"""Knowing the standard tables (L1): derivatives and antiderivatives a student is expected to
recall, not derive. Hard draws from the whole table (hyperbolic, inverse and reciprocal
functions, other bases), easy from the functions every course starts with."""

from __future__ import annotations

from typing import Literal

import sympy

from generators.math._common import X, fmt, log_domain, m, show
from mintbench.items.registry import Draft, Generator, Knobs, register

# Tiers of the standard tables: what an easy, medium and hard question may ask about.
DERIVATIVE_TABLE: dict[str, list[sympy.Expr]] = {
    "basic": [sympy.sin(X), sympy.cos(X), sympy.exp(X), sympy.log(X), sympy.sqrt(X)],
    "standard": [sympy.tan(X), sympy.asin(X), sympy.acos(X), sympy.atan(X)],
    "full": [sympy.sinh(X), sympy.cosh(X), sympy.tanh(X), sympy.asinh(X), sympy.atanh(X), sympy.sec(X), sympy.csc(X), sympy.cot(X), sympy.acot(X)],
}
# The integrand as a table prints it ({x} is x or k*x, {p} is x or (k*x)) and the antiderivative it lists. SymPy
# would print 1/sqrt(-x**2 + 1) and sin(x)**(-2), and integrate sec**2 to sin/cos.
INTEGRAL_TABLE: dict[str, list[tuple[str, sympy.Expr]]] = {
    "basic": [("cos({x})", sympy.sin(X)), ("sin({x})", -sympy.cos(X)), ("exp({x})", sympy.exp(X)), ("1/{p}", sympy.log(X))],
    "standard": [
        ("1/(1 + {p}**2)", sympy.atan(X)), ("1/sqrt(1 - {p}**2)", sympy.asin(X)),
        ("1/cos({x})**2", sympy.tan(X)), ("tan({x})", -sympy.log(sympy.cos(X))),
    ],
    "full": [
        ("cosh({x})", sympy.sinh(X)), ("sinh({x})", sympy.cosh(X)), ("1/sqrt(1 + {p}**2)", sympy.asinh(X)),
        ("1/cosh({x})**2", sympy.tanh(X)), ("1/sin({x})**2", -sympy.cot(X)), ("1/(1 - {p}**2)", sympy.atanh(X)),
    ],
}
TIERS = {"basic": ("basic",), "standard": ("basic", "standard"), "full": ("basic", "standard", "full")}


class TableKnobs(Knobs):
    table: Literal["basic", "standard", "full"] = "standard"
    scaled: bool = True  # ask about c*f(k*x) or a**x, not only c*f(x)
    max_coefficient: int = 9  # c in -max..max, never 0: a table of a dozen entries is not a dozen questions


def _coefficient(rng, cfg) -> int:
    c = rng.randint(1, cfg.max_coefficient)
    return c if rng.random() < 0.5 else -c


def _entries(table: dict[str, list], tier: str) -> list:
    return [f for t in TIERS[tier] for f in table[t]]


@register
class StandardDerivative(Generator):
    id = "math.standard_derivative"
    version = "2"  # 2: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27)
    domain, topic, level = "math", "calculus_tables", "L1"
    formats = ("open", "mcq")
    mcq_options = "siblings"  # the derivatives of other entries of the same table
    answer_type = "expression"
    Config = TableKnobs
    presets = {"easy": {"table": "basic", "scaled": False, "max_coefficient": 5}, "medium": {}, "hard": {"table": "full"}}
    _q = {
        "en": "From the table of standard derivatives: what is the derivative of f(x) = {f} with respect to x?",
        "zh": "根据基本导数表：f(x) = {f} 关于 x 的导数是什么？",
    }
    _q_latex = {
        "en": "From the table of standard derivatives: what is the derivative of \\(f(x) = {f}\\) with respect to \\(x\\)?",
        "zh": "根据基本导数表：\\(f(x) = {f}\\) 关于 \\(x\\) 的导数是什么？",
    }

    @staticmethod
    def work(p: dict) -> float:
        # What a solver must have learnt: the entries of the table the preset draws from.
        return len(_entries(DERIVATIVE_TABLE, p["config"]["table"])) * (2 if p["config"]["scaled"] else 1)

    def draft(self, rng, cfg, lang, fmt_):
        entries = _entries(DERIVATIVE_TABLE, cfg.table)
        f, scale = entries[rng.randrange(len(entries))], 1
        if cfg.scaled:
            if rng.random() < 0.8:
                scale = rng.randint(2, 5)
                f = f.subs(X, scale * X)
            else:
                f = sympy.Integer(rng.randint(2, 9)) ** X
        f = _coefficient(rng, cfg) * f
        df = sympy.diff(f, X)
        return Draft(
            question=self.ask(lang, f=m(f)),
            answer=show(df),
            answer_type="expression",
            answer_format=fmt("expr_x", lang),
            params={"f": show(f), "scale": scale},
            grader_args={"vars": ["x"]},
        )


@register
class StandardIntegral(Generator):
    id = "math.standard_integral"
    version = "2"  # 2: the domain stated where the antiderivative takes a logarithm (issue #26: 13 items keyed log(k*x) with none)
    domain, topic, level = "math", "calculus_tables", "L1"
    answer_type = "antiderivative"
    Config = TableKnobs
    presets = {"easy": {"table": "basic", "scaled": False, "max_coefficient": 5}, "medium": {}, "hard": {"table": "full"}}
    _q = {
        "en": "From the table of standard integrals: give an antiderivative of g(x) = {g}{on}.",
        "zh": "根据基本积分表：写出 g(x) = {g}{on} 的一个原函数。",
    }
    _q_latex = {
        "en": "From the table of standard integrals: give an antiderivative of \\(g(x) = {g}\\){on}.",
        "zh": "根据基本积分表：写出 \\(g(x) = {g}\\){on} 的一个原函数。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(_entries(INTEGRAL_TABLE, p["config"]["table"])) * (2 if p["config"]["scaled"] else 1)

    def draft(self, rng, cfg, lang, fmt_):
        entries = _entries(INTEGRAL_TABLE, cfg.table)
        template, F = entries[rng.randrange(len(entries))]
        scale = rng.randint(2, 5) if cfg.scaled else 1
        g = template.format(x="x", p="x") if scale == 1 else template.format(x=f"{scale}*x", p=f"({scale}*x)")
        c = _coefficient(rng, cfg)
        if c != 1:  # printed as an examiner would: -sin(x), 3/x, never -1*sin(x)
            g = f"-{g}" if c == -1 else f"{c}/{g[2:]}" if g.startswith("1/") else f"{c}*{g}"
        F = c * F.subs(X, scale * X) / scale
        return Draft(
            question=self.ask(lang, g=m(sympy.parse_expr(g, evaluate=False), g), on=log_domain(F, lang)),
            answer=show(F),
            answer_type="antiderivative",
            answer_format=fmt("antiderivative", lang),
            params={"integrand": g, "scale": scale},
            grader_args={"vars": ["x"]},
        )
