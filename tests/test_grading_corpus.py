"""The grader against a labelled corpus (tests/grading_corpus.py) and hostile fuzz, for every
answer type: every honest rewrite of the gold is credited, no near miss, hedge or echo is, and
no response raises. `make bench` (bench/grading_bench.py) runs the same corpus at full size and
prints the rates per answer type; these tests hold the same line on a smaller draw."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grading_corpus import FORMS, corpus, fuzz, hedges, items, labelled_for
from mintbench.items.schema import Item
from validators.grade import GRADERS, grade_response
from validators.sandbox import Sandbox

ITEMS = items(per_generator=2, seed=1)
BY_TYPE: dict[str, list[Item]] = {}
for _item in ITEMS:
    BY_TYPE.setdefault(_item.answer_type, []).append(_item)


def test_the_corpus_covers_every_answer_type_and_label():
    entries = corpus(per_generator=2, seed=1)
    assert set(BY_TYPE) == set(GRADERS) == set(FORMS)
    labels = Counter((e.item.answer_type, e.label) for e in entries)
    for answer_type in GRADERS:
        assert labels[(answer_type, "rewrite")] >= 2 and labels[(answer_type, "near_miss")] >= 1, answer_type
        assert labels[(answer_type, "hedge")] >= 1, answer_type
    assert sum(n for (_, label), n in labels.items() if label == "echo") >= 10


@pytest.mark.parametrize("answer_type", sorted(GRADERS))
def test_every_rewrite_is_credited_and_nothing_else(answer_type):
    wrong_verdicts = []
    for item in BY_TYPE[answer_type]:
        for entry in labelled_for(item):
            verdict = grade_response(item, entry.response)
            if (verdict.status == "correct") != entry.expect_correct:
                wrong_verdicts.append((item.generator, entry.label, entry.response[:120], verdict.status, verdict.reason))
    assert not wrong_verdicts, wrong_verdicts[:5]


def test_hostile_responses_get_a_verdict_never_an_exception():
    """Through the sandbox, as the CLI, filter, exports and service grade: every response gets a
    verdict within the budget, and none comes from a grader exception."""
    responses = fuzz(ITEMS, 600, seed=3)
    sandbox = Sandbox(budget_s=1.0)
    try:
        verdicts = sandbox.grade_many(responses)
    finally:
        sandbox.close()
    assert len(verdicts) == len(responses)
    crashes = [(i.answer_type, r[:80], v.reason) for (i, r), v in zip(responses, verdicts) if "could not read" in v.reason]
    assert not crashes, crashes[:5]


# -- property tests: any text, any item of a type --------------------------------------------------

_item_of_any_type = st.sampled_from(ITEMS)
_hostile_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.text(alphabet="0123456789+-*/^(){}[]\\,.=xe ABCDor<>/", max_size=400)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=_item_of_any_type, text=_hostile_text)
def test_any_text_gets_a_verdict_and_no_exception(item, text):
    for response in (f"<answer>{text}</answer>", text, f"<answer>{item.answer} {text}</answer>"):
        verdict = grade_response(item, response)
        assert verdict.status in ("correct", "wrong", "unparsed")
        assert "could not read" not in verdict.reason, (item.answer_type, response[:120])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=_item_of_any_type, data=st.data())
def test_any_rewrite_is_credited_and_any_hedge_is_not(item, data):
    rewrites, near = FORMS[item.answer_type](item)
    rewrite = data.draw(st.sampled_from(rewrites))
    assert grade_response(item, f"<answer>{rewrite}</answer>").status == "correct", (item.generator, rewrite)
    hedge = data.draw(st.sampled_from(hedges(item, [n for n in near if n != item.answer] or ["0"])))
    assert grade_response(item, f"<answer>{hedge}</answer>").status != "correct", (item.generator, hedge)
    # Surrounding prose outside the tag never changes the verdict.
    prose = data.draw(st.text(alphabet="abcdefghij .,:\n", max_size=200))
    assert grade_response(item, f"{prose}<answer>{rewrite}</answer>").status == "correct"
