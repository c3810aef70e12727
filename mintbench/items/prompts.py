"""The shared parts of every question: option lists and the answer-format instruction.

Every question tells the model exactly how to answer, in the item's language, so that a
wrong answer means a wrong answer and not a parsing accident.
"""

from __future__ import annotations

import random
from string import ascii_uppercase

_INSTRUCTION = {
    "en": "Think as needed, then give only the final answer inside <answer></answer> tags{boxed}. Answer format: {fmt}. Give one answer: several candidates (joined by or, slashes, several letters) count as wrong.",
    "zh": "可以先思考，然后只把最终答案放在 <answer></answer> 标签内{boxed}。答案格式：{fmt}。只给一个答案：给出多个候选答案（用“或”、斜杠或多个字母连接）按错误计。",
}
_BOXED = {"en": " (\\boxed{...} is also accepted)", "zh": "（也接受 \\boxed{...}）"}
_CHOICE_FORMAT = {
    "en": "the letter of the one correct option",
    "zh": "唯一正确选项的字母",
}
_BOOLEAN_FORMAT = {"en": "true or false", "zh": "true 或 false"}
_OPTIONS_HEADER = {"en": "Options:", "zh": "选项："}


def instruction(lang: str, fmt: str, *, boxed: bool) -> str:
    return _INSTRUCTION[lang].format(boxed=_BOXED[lang] if boxed else "", fmt=fmt)


def choice_format(lang: str) -> str:
    return _CHOICE_FORMAT[lang]


def boolean_format(lang: str) -> str:
    return _BOOLEAN_FORMAT[lang]


def render_options(lang: str, choices: list[str]) -> str:
    lines = [f"{ascii_uppercase[i]}. {c}" for i, c in enumerate(choices)]
    return "\n".join([_OPTIONS_HEADER[lang], *lines])


def assemble_mcq(
    rng: random.Random, correct: str, distractors: list[str], n_options: int = 4
) -> tuple[list[str], str]:
    """Pick distinct distractors, shuffle with the item's rng, return (choices, letter)."""
    seen = {correct}
    picked: list[str] = []
    for d in distractors:
        if d not in seen:
            seen.add(d)
            picked.append(d)
    if len(picked) < n_options - 1:
        raise ValueError(f"only {len(picked)} distinct distractors, need {n_options - 1}")
    picked = rng.sample(picked, n_options - 1)
    choices = [correct, *picked]
    rng.shuffle(choices)
    return choices, ascii_uppercase[choices.index(correct)]
