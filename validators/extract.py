"""Find the final answer in a model response.

Rules (see the catalog's grading pitfalls): take the last `<answer>…</answer>`, else the
last `\\boxed{…}`; reasoning inside a closed `<think>…</think>` is ignored, and anything
after an unclosed `<think>` is reasoning, never an answer.
"""

from __future__ import annotations

MAX_RESPONSE_CHARS = 100_000  # longer responses are unparsed, never cut: a cut could drop the last tag
_MATH_DELIMS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))


def strip_reasoning(text: str) -> str:
    """The text outside reasoning, found in one pass over the text (no backtracking regex:
    a response of many unclosed tags must cost linear time)."""
    lower = text.lower()
    kept, pos = [], 0
    while True:
        start = lower.find("<think>", pos)
        if start < 0:
            kept.append(text[pos:])
            break
        end = lower.find("</think>", start + 7)
        kept.append(text[pos:start])
        if end < 0:  # an unclosed block: everything after it is reasoning, never an answer
            break
        pos = end + 8
    text = " ".join(kept)
    # A stray closing tag means the chat template opened the block: all before it is thought.
    close = text.lower().rfind("</think>")
    return text[close + 8:] if close >= 0 else text


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


def last_tagged(text: str) -> str | None:
    """The content of the last closed <answer>...</answer>: the last closing tag and the last
    opening tag before it."""
    lower = text.lower()
    end = lower.rfind("</answer>")
    if end < 0:
        return None
    start = lower.rfind("<answer>", 0, end)
    return None if start < 0 else text[start + 8 : end]


def extract_answer(response: str) -> str | None:
    """The final answer text, or None when the response holds no tagged answer (or is longer
    than MAX_RESPONSE_CHARS)."""
    if not isinstance(response, str) or not response.strip() or len(response) > MAX_RESPONSE_CHARS:
        return None
    text = strip_reasoning(response)
    tagged = last_tagged(text)
    if tagged is not None:
        answer = _unwrap(tagged)
    else:
        boxed = last_boxed(text)
        if boxed is None:
            return None
        answer = boxed.strip()
    return answer or None
