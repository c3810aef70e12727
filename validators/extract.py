"""Find the final answer in a model response.

Rules (see the catalog's grading pitfalls): take the last `<answer>…</answer>`, else the
last `\\boxed{…}`; reasoning inside a closed `<think>…</think>` is ignored, and anything
after an unclosed `<think>` is reasoning, never an answer.
"""

from __future__ import annotations

import re

MAX_RESPONSE_CHARS = 200_000

_CLOSED_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_OPEN_THINK = re.compile(r"<think>", re.I)
_CLOSE_THINK = re.compile(r"</think>", re.I)
_ANSWER = re.compile(r"<answer>(.*?)</answer>", re.S | re.I)
_MATH_DELIMS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))


def strip_reasoning(text: str) -> str:
    text = _CLOSED_THINK.sub(" ", text)
    # A stray closing tag means the chat template opened the block: all before it is thought.
    closes = list(_CLOSE_THINK.finditer(text))
    if closes:
        text = text[closes[-1].end():]
    opened = _OPEN_THINK.search(text)
    if opened:
        text = text[: opened.start()]
    return text


def last_boxed(text: str) -> str | None:
    """Content of the last \\boxed{...} (or \\fbox{...}), braces balanced."""
    start = max(text.rfind("\\boxed{"), text.rfind("\\fbox{"))
    if start < 0:
        return None
    i = text.index("{", start) + 1
    depth, j = 1, i
    while j < len(text):
        ch = text[j]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[i:j]
        j += 1
    return None


def _unwrap(answer: str) -> str:
    answer = answer.strip()
    inner = last_boxed(answer)
    if inner is not None:
        answer = inner.strip()
    for left, right in _MATH_DELIMS:
        if answer.startswith(left) and answer.endswith(right) and len(answer) > len(left) + len(right) - 1:
            answer = answer[len(left): len(answer) - len(right)].strip()
            break
    return answer


def extract_answer(response: str) -> str | None:
    """The final answer text, or None when the response holds no tagged answer."""
    if not isinstance(response, str) or not response.strip():
        return None
    text = strip_reasoning(response[:MAX_RESPONSE_CHARS])
    tagged = _ANSWER.findall(text)
    if tagged:
        answer = _unwrap(tagged[-1])
    else:
        boxed = last_boxed(text)
        if boxed is None:
            return None
        answer = boxed.strip()
    return answer or None
