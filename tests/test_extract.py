import pytest

from validators.extract import extract_answer


@pytest.mark.parametrize(
    "response, expected",
    [
        ("<answer>42</answer>", "42"),
        ("first <answer>1</answer> then <answer>2</answer>", "2"),
        ("so \\boxed{x^2} is it", "x^2"),
        ("\\boxed{\\frac{1}{2}}", "\\frac{1}{2}"),
        ("<think>maybe <answer>3</answer></think> final <answer>4</answer>", "4"),
        ("<answer>$\\boxed{7}$</answer>", "7"),
        ("reasoning</think><answer>5</answer>", "5"),
    ],
)
def test_extracts_last_tagged_answer(response, expected):
    assert extract_answer(response) == expected


@pytest.mark.parametrize(
    "response",
    [
        "",
        "   ",
        "The answer is 42.",
        "<think>I think <answer>42</answer> but let me check",  # unclosed reasoning is not an answer
        "<answer>   </answer>",
        "\\boxed{unclosed",
    ],
)
def test_no_answer_is_none(response):
    assert extract_answer(response) is None
