"""Multiple-choice letters and true/false answers."""

from __future__ import annotations

import re
from string import ascii_uppercase

from mintbench.items.schema import Tolerance
from validators.result import Grade, Unparsable, correct, wrong

_LETTER = re.compile(r"^(?:option|choice|选项)?\s*[\(\[]?\s*([A-Za-z])\s*[\)\]]?\s*[.:：)]?(?:\s.*)?$", re.I | re.S)
_TRUE = {"true", "t", "yes", "correct", "对", "正确", "是", "真"}
_FALSE = {"false", "f", "no", "incorrect", "错", "错误", "否", "假", "不正确", "不对", "不成立"}


_STYLED_LETTER = re.compile(r"\*\*|__|`|\\(?:textbf|text|mathbf|mathrm|textrm)\s*\{\s*([A-Za-z])\s*\}")


def parse_letter(text: str, n_choices: int) -> str:
    # 'Option **B**', 'Option \\textbf{B}': styling inside the answer, not only around it.
    text = _STYLED_LETTER.sub(lambda m: m.group(1) or "", text)
    m = _LETTER.match(text.strip())
    if not m:
        raise Unparsable("no option letter")
    letter = m.group(1).upper()
    if letter not in ascii_uppercase[:n_choices]:
        raise Unparsable(f"option letter outside A-{ascii_uppercase[n_choices - 1]}")
    return letter


def grade_choice(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    n = int(args.get("n_choices", 4))
    return correct() if parse_letter(text, n) == gold else wrong("different option")


def parse_boolean(text: str) -> bool:
    word = re.sub(r"[\s.!。！\\{}]|text", "", text.strip().lower())
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise Unparsable("not true or false")


def grade_boolean(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    return correct() if parse_boolean(text) == (gold == "true") else wrong("opposite truth value")
