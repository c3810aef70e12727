"""The exact reader of factored answers (validators/factoring.py) is a shortcut, never a second
opinion: on every response it reads, it gives the symbolic route's verdict, and it hands over
whatever it cannot decide. The corpus is each factoring item's gold and the ways an answer goes
wrong or merely looks different: expanded, a common factor left inside, factors reordered or
negated twice, a reducible quadratic, a rational or cubic factor, a written degree over the cap,
a zero factor, a division by a constant."""

from __future__ import annotations

import random

import pytest

from mintbench.items.registry import build_item
from mintbench.items.schema import Tolerance
from validators import symbolic
from validators.factoring import read_factored
from validators.proofs import prove_item


def _variants(gold: str, expanded: str, rng: random.Random) -> list[str]:
    factors = gold.split("*(")
    return [
        gold, expanded, f"-(-({gold}))", f"({gold})*1", f"2*({gold})/2", f"({gold})*(x + 1)",
        f"(2*x + 2)*({gold})/(2*x + 2)", f"(x**2 - 1)*({gold})", f"(x**2 + 1)*({gold})", f"(x**3 + 2)*({gold})",
        f"(x/2 + 1)*({gold})", f"(2*x + 4)*({gold})", f"({gold}) + 0*x", f"(x - x)*({gold})", f"0*({gold})",
        f"(x**30 - x**30 + 1)*({gold})", f"({gold})**1", f"(({gold}))**2", f"3*({gold})", f"-({gold})",
        "*(".join([factors[0], *rng.sample(factors[1:], len(factors) - 1)]) if len(factors) > 2 else gold,
        f"({expanded})*(x - {rng.randint(-5, 5)})", f"(x - {rng.randint(-5, 5)})**{rng.randint(1, 3)}*({gold})",
        # a constant divided out exactly: a float on the way (1/49*49 is 0.9999999999999999) would
        # make a right answer wrong
        f"49*({gold})/49", f"({gold})/49*49",
    ]


def _slow(text: str, gold: str, monkeypatch) -> tuple[str, str]:
    with monkeypatch.context() as m:
        m.setattr(symbolic, "read_factored", lambda *a, **k: None)
        try:
            g = symbolic.grade_factored(text, gold, {"vars": ["x"]}, Tolerance())
        except Exception as exc:  # noqa: BLE001 - the verdict of an exception is what is compared
            return ("raised", type(exc).__name__)
    return (g.status, g.reason)


def _fast(text: str, gold: str) -> tuple[str, str]:
    try:
        g = symbolic.grade_factored(text, gold, {"vars": ["x"]}, Tolerance())
    except Exception as exc:  # noqa: BLE001
        return ("raised", type(exc).__name__)
    return (g.status, g.reason)


def test_the_exact_reader_gives_the_symbolic_verdict_on_every_answer_it_reads(monkeypatch):
    rng = random.Random(26)
    read = total = 0
    for index in range(90):
        item = build_item("math.factor", 7, index, difficulty=("easy", "medium", "hard")[index % 3])
        # the shortcut is taken for every gold, or it saves nothing (an expanded cubic is handed over)
        assert read_factored(item.answer) is not None
        for text in _variants(item.answer, item.params["polynomial"], rng):
            total += 1
            read += read_factored(text) is not None
            assert _fast(text, item.answer) == _slow(text, item.answer, monkeypatch), text
    assert 0.5 < read / total < 1  # and the corpus holds answers it hands over


@pytest.mark.parametrize("text, expected", [
    ("2*(x - 3)*(x + 1)**2", True),
    ("(x - 1)*(x**2 + 3)", True),
    ("(x - 1)*(x**2 - 4)", False),  # a reducible quadratic
    ("(2*x - 2)*(x + 1)", False),  # a common factor left inside
    ("-(x - 1)*(x + 2)", True),
])
def test_the_form_is_judged_exactly(text, expected):
    factored, _ = read_factored(text)
    assert factored is expected


@pytest.mark.parametrize("text", ["(x**3 + 2)*(x - 1)", "(x/2 + 1)*(x - 1)", "((x - 1)**2)**3", "2x*(x - 1)", "(x - 1)^2",
                                  "(x**30 - x**30 + 1)*(x - 1)", "(x - 1)/(x + 1)", "(x - x)*(x - 1)", "\\left(x - 1\\right)"])
def test_what_it_cannot_decide_is_handed_over(text):
    assert read_factored(text) is None


def test_the_proof_refuses_a_corrupted_gold_through_the_exact_reader():
    for index in range(60):
        item = build_item("math.factor", 11, index, difficulty=("easy", "medium", "hard")[index % 3])
        assert prove_item(item) is None
        expanded = item.params["polynomial"]
        assert prove_item(item.model_copy(update={"answer": expanded})) == "gold is not fully factored"
        assert prove_item(item.model_copy(update={"answer": f"({item.answer})*(x - 9)"})) == "gold does not expand to the polynomial"
