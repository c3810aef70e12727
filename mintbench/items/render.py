"""How a question prints its mathematics: `plain` (SymPy syntax, `x**2 + 3*x`, the default and
what the graders' answer formats show) or `latex` (`\\(x^{2} + 3 x\\)`, as an examiner prints it).

A generator that offers LaTeX keeps a second template, `_q_latex`, with its math spans inside
`\\(...\\)`, and passes each expression as a `Math` value holding both spellings. The mode is a
context variable set by `build_item` around the draft, so the random stream, the answer and the
plain text are the same whichever mode a set is built in: rendering never draws.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

RENDERS = ("plain", "latex")
_mode: contextvars.ContextVar[str] = contextvars.ContextVar("mintbench_render", default="plain")


@dataclass(frozen=True)
class Math:
    """An expression's two spellings. The LaTeX one may be given as a function that prints it:
    SymPy's LaTeX printer costs more than drawing a cheap item, and a plain set never reads it."""

    plain: str
    tex_of: str | Callable[[], str]

    @property
    def tex(self) -> str:
        return self.tex_of() if callable(self.tex_of) else self.tex_of


class Printed(str):
    """A question printed in LaTeX that remembers its plain printing: freshness checks compare
    problems, not printings (mintbench.releases.freshness)."""

    plain: str

    def __new__(cls, text: str, plain: str):
        self = super().__new__(cls, text)
        self.plain = plain
        return self


def current() -> str:
    return _mode.get()


@contextlib.contextmanager
def rendering(mode: str):
    token = _mode.set(mode)
    try:
        yield
    finally:
        _mode.reset(token)


def latex_of(expr: Any) -> str:
    """LaTeX for a SymPy object, a Fraction or a number, terms from the highest power down. The
    natural logarithm prints as \\ln and inverse functions as \\arcsin: SymPy's \\log reads as
    base 10 to a LaTeX reader (and to many students), and \\operatorname{asin} is no notation."""
    import sympy

    if isinstance(expr, Fraction):
        expr = sympy.Rational(expr.numerator, expr.denominator)
    if isinstance(expr, sympy.MatrixBase):
        return sympy.latex(expr, mat_delim="(", mat_str="matrix")
    return sympy.latex(sympy.sympify(expr), order="lex", ln_notation=True, inv_trig_style="full")


def ask(plain: dict[str, str], latex: dict[str, str] | None, lang: str, **values: Any) -> str:
    """The question in the current mode: the `plain` template with each value's plain
    spelling, or the `latex` one with its LaTeX, when the generator has one."""
    text = plain[lang].format(**{k: v.plain if isinstance(v, Math) else v for k, v in values.items()})
    if current() == "latex" and latex is not None:
        return Printed(latex[lang].format(**{k: v.tex if isinstance(v, Math) else v for k, v in values.items()}), text)
    return text


def option_latex(text: str) -> str:
    """A multiple-choice option written in SymPy syntax, as inline LaTeX."""
    import sympy

    return f"\\({latex_of(sympy.sympify(text, rational=True))}\\)"
