"""Integer polynomials printed without SymPy (generators/math/_common.py) must be SymPy's bytes:
a question or gold that changed by one character under an unchanged version would name two
different items. The factored printer is compared over every preset's whole draw space, so no
draw of `math.factor` at easy, medium or hard can print differently; knob settings outside the
presets are compared on random draws, and where SymPy prints its own way (a lone binomial,
bare or distributed) the printer declines and the generator prints with SymPy."""

from __future__ import annotations

import itertools
import random

import pytest
import sympy

from generators.math._common import X, factored_str, poly_expr, poly_m, poly_str, show, times_x_minus
from mintbench.items.registry import get
from mintbench.items.render import latex_of

LEADS = (1, 2, 3, -1)  # math.factor's leading coefficients


def _sympy_product(lead: int, roots: list[int], quadratic: int | None) -> sympy.Expr:
    return lead * sympy.Mul(*[X - r for r in roots], *([X**2 + quadratic] if quadratic else []))


def test_expanded_polynomials_print_as_sympy_prints_them():
    rng = random.Random(27)
    cases = [[0], [0, 0, 0], [1], [-1], [1, 0], [-1, 0, 0], [0, 1, -1], [5, 0, 0, -1], [-12, 1, -1, 1]]
    for _ in range(3000):
        degree = rng.randint(0, 7)
        cases.append([rng.choice([0, 1, -1, rng.randint(-30, 30), rng.randint(-10**6, 10**6)]) for _ in range(degree + 1)])
    for coeffs in cases:
        assert poly_str(coeffs) == show(poly_expr(coeffs)), coeffs


def test_the_latex_spelling_is_the_expanded_products():
    rng = random.Random(28)
    for _ in range(300):
        roots = [rng.randint(-8, 8) for _ in range(rng.randint(1, 4))]
        quadratic = rng.choice([None, rng.randint(1, 7)])
        lead = rng.choice(LEADS)
        coeffs = [lead] if quadratic is None else [lead, 0, lead * quadratic]
        for r in roots:
            coeffs = times_x_minus(coeffs, r)
        expanded = sympy.expand(_sympy_product(lead, roots, quadratic))
        assert poly_m(coeffs).plain == show(expanded)
        assert poly_m(coeffs).tex == latex_of(expanded)


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_every_factor_draw_of_a_preset_prints_as_sympy_prints_it(difficulty):
    cfg = get("math.factor").config(difficulty)
    span = range(-cfg.max_root, cfg.max_root + 1)
    free = cfg.n_factors - 1 if cfg.repeated else cfg.n_factors
    quadratics = range(1, 8) if cfg.quadratic_factor else [None]
    compared = 0
    for drawn in itertools.product(span, repeat=free):
        roots = list(drawn) + ([drawn[0]] if cfg.repeated else [])
        if not (cfg.quadratic_factor or (any(roots) and (len(set(roots)) > 1 or cfg.n_factors < 2))):
            continue  # the generator draws again (a monomial, or a power of one binomial)
        for quadratic, lead in itertools.product(quadratics, LEADS):
            product = _sympy_product(lead, roots, quadratic)
            assert factored_str(lead, roots, quadratic) == show(product), (lead, roots, quadratic)
            compared += 1
    redrawn = len(span) if not cfg.quadratic_factor else 0  # one distinct root
    assert compared == (len(span) ** free - redrawn) * len(quadratics) * len(LEADS)


def test_other_knob_settings_print_as_sympy_or_decline():
    rng = random.Random(29)
    declined = 0
    for _ in range(1500):
        roots = [rng.randint(-15, 15) for _ in range(rng.randint(1, 5))]
        quadratic = rng.choice([None, rng.randint(1, 30)])
        lead = rng.choice([1, -1, rng.randint(-9, 9)])
        printed = factored_str(lead, roots, quadratic)
        if printed is None:
            declined += 1
            continue
        assert printed == show(_sympy_product(lead, roots, quadratic)), (lead, roots, quadratic)
    # It declines only a lone binomial or a zero lead: about a fifth of these draws.
    assert declined < 450


def test_one_binomial_alone_is_left_to_sympy():
    """SymPy prints a lone binomial bare or distributed, never as a product."""
    assert [show(_sympy_product(lead, [3], None)) for lead in (1, 2, -1)] == ["x - 3", "2*x - 6", "-x + 3"]
    assert all(factored_str(lead, [3], None) is None for lead in (1, 2, -1))
    assert factored_str(1, [], 4) is None
    assert factored_str(2, [0], None) == show(_sympy_product(2, [0], None)) == "2*x"
