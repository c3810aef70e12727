"""Composed problems (issue #14: hard reaches past textbook size by composing steps, as DyVal
composes DAGs). The examiner's objections: a line that nothing uses can be skipped, a hard item
that is a chain of easy lines is no harder than its longest line, a printed line that is not what
was computed makes the key wrong, and a final remainder is guessable."""

from __future__ import annotations

import re

from mintbench.items.registry import build_item
from validators.proofs import prove_item

GID = "math.composed_steps"


def lines(item) -> list[str]:
    return item.question.split("\n\n")[0].split("\n")[1:]


def test_every_line_but_the_last_is_used_by_a_later_one():
    for difficulty in ("easy", "medium", "hard"):
        for index in range(150):
            nodes = build_item(GID, 3, index, difficulty=difficulty, fmt="open").params["nodes"]
            used = {a for n in nodes for a in n["args"]}
            assert {n["name"] for n in nodes[:-1]} <= used, nodes


def test_hard_items_branch_and_join_and_are_longer():
    joins = branches = 0
    for index in range(150):
        nodes = build_item(GID, 3, index, difficulty="hard", fmt="open").params["nodes"]
        assert len(nodes) - 1 == 8
        joins += any(len(n["args"]) == 2 for n in nodes)
        # a branch: a step whose parent is not the step just before it
        branches += any(n["args"] and n["args"][0] != nodes[i - 1]["name"] for i, n in enumerate(nodes) if i > 1)
    assert joins >= 100 and branches >= 30
    assert len(lines(build_item(GID, 3, 0, difficulty="easy", fmt="open"))) == 3


def test_the_asked_value_is_never_a_remainder_or_a_totient():
    for index in range(300):
        item = build_item(GID, 4, index, difficulty="hard", fmt="open")
        assert item.params["nodes"][-1]["op"] not in ("modpow", "totient")


def test_the_proof_solves_the_printed_lines_and_catches_a_misprint():
    for lang in ("en", "zh"):
        for index in range(40):
            item = build_item(GID, 5, index, difficulty="hard", lang=lang, fmt="open")
            assert prove_item(item) is None, item.question
    item = build_item(GID, 5, 0, difficulty="hard", fmt="open")
    start = lines(item)[0]
    value = int(start.split(" = ")[1])
    misprinted = item.model_copy(update={"question": item.question.replace(start, f"A = {value + 1}", 1)})
    assert prove_item(misprinted) is not None


def test_values_stay_bounded_and_the_text_is_printed_as_an_examiner_would():
    for index in range(200):
        item = build_item(GID, 6, index, difficulty="hard", fmt="open")
        assert abs(int(item.answer)) <= 5000
        body = item.question.split("\n\n")[0]
        assert not re.search(r"\+ -|\b1\*|\b0\*|\*\*1\b", body), body
