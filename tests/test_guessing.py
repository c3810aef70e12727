"""Rung 0: answer-free baselines find the items whose key can be read off the options."""

from mintbench.difficulty.guessing import mcq_guesses, rung0, rung0_summary
from mintbench.items.schema import Item, Source


def _item(n, choices=(), answer="A", answer_type="choice", generator="math.x"):
    return Item(item_id=f"id{n}", generator=generator, generator_version="1", domain="math", topic="t", level="L3",
                format="mcq" if choices else "true_false", lang="en", question="q", choices=list(choices), answer=answer,
                answer_type=answer_type, seed=0, index=n, source=Source(name="synthetic"))


def test_a_key_at_the_centre_of_its_distractors_is_guessable():
    # Distractors built around the key (negated, +1, -1): the key is the centroid and the mean.
    centred = _item(1, ["x**2 + 3*x", "x**2 + 3*x + 1", "-x**2 - 3*x", "x**2 + 3*x - 1"], "A")
    assert mcq_guesses(centred)["centroid"] is True
    # A key that is the odd one out: no heuristic points at it.
    outlier = _item(3, ["12", "12.5", "13", "-470"], "D")
    assert not any(mcq_guesses(outlier).values())
    result = rung0([centred, outlier])
    assert result["id1"]["guessable"] and not result["id3"]["guessable"]


def test_true_false_keys_that_are_mostly_one_value_are_guessable_by_the_prior():
    skewed = [_item(n, answer="true" if n < 5 else "false", answer_type="boolean", generator="chem.tf") for n in range(6)]
    balanced = [_item(10 + n, answer="true" if n % 2 else "false", answer_type="boolean", generator="chem.other") for n in range(6)]
    result = rung0(skewed + balanced)
    assert [result[f"id{n}"]["guessable"] for n in range(6)] == [True] * 5 + [False]
    assert not any(result[f"id{10 + n}"]["guessable"] for n in range(6))
    summary = rung0_summary(skewed + balanced, result)
    assert summary["guessable"] == 5 and summary["true_false_items"] == 12 and summary["mcq_items"] == 0
