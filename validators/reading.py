"""What a careful human grader reads past before comparing an answer with the gold.

The written policy is the README's "Grading policy" table; each rule here is one row of it.
Models write `**True**`, `\\textbf{B}`, `\\approx 356.15`, `\\det(A) = -152` and
`x = -1 or x = 3 or x = 4`; a score that refuses them measures formatting, not science. What is
never read past: a second candidate, the question restated, a unit of another quantity, an
approximation where the exact value is asked.
"""

from __future__ import annotations

import re

from mintbench.items.schema import Tolerance
from validators.extract import _MATH_DELIMS
from validators.parsing import MAX_ANSWER_CHARS
from validators.sequences import _THREE_LETTER

# Styling around the whole answer: bold, italics, upright text, chemistry markup.
_STYLE_MACRO = re.compile(r"^\\(?:textbf|mathbf|boldsymbol|bm|textit|mathit|emph|text|textrm|mathrm|rm|mathsf|textsf|texttt|mathtt|ce)\s*\{")
_MARKDOWN = re.compile(r"^(\*\*|__|`)(.+)\1$", re.S)
_MARKDOWN_ITALIC = re.compile(r"^\*([^*]+)\*$", re.S)


def _closes_at_end(text: str, open_at: int) -> bool:
    """The brace opened at `open_at` closes at the last character."""
    depth = 0
    for i in range(open_at, len(text)):
        depth += text[i] == "{"
        depth -= text[i] == "}"
        if depth == 0:
            return i == len(text) - 1
    return False


def strip_wrappers(text: str) -> str:
    """Bold, italics, inline code, `\\text{}`, `\\mathrm{}`, `\\ce{}` and math delimiters around the whole
    answer, and one sentence-ending period, removed (repeatedly: `**$\\textbf{B}$.**`)."""
    previous = None
    while text != previous:
        previous = text
        text = text.strip()
        m = _MARKDOWN.match(text) or _MARKDOWN_ITALIC.match(text)
        if m:
            text = m.group(m.lastindex)
            continue
        m = _STYLE_MACRO.match(text)
        if m and _closes_at_end(text, m.end() - 1):
            text = text[m.end(): -1]
            continue
        for left, right in _MATH_DELIMS:
            if text.startswith(left) and text.endswith(right) and len(text) > len(left) + len(right):
                text = text[len(left): len(text) - len(right)]
                break
        else:
            if text.endswith((".", "。")) and not text.endswith("..") and len(text) > 1:
                text = text[:-1]
    return text


# An approximation sign, leading ('≈ 356 K') or between a label and its value ('T \\approx 356').
_APPROX_LEAD = re.compile(r"^(?:\\approx|≈|\\simeq|≃|\\sim(?![a-z])|~|approximately|approx\.?|about|roughly|ca\.|约|大约)\s*", re.I)
_APPROX_MID = re.compile(r"\\approx|≈|\\simeq|≃")


def read_approximation(text: str) -> tuple[str, bool]:
    """The text with an approximation sign read as a value ('≈ 356' -> '356', 'T ≈ 356' ->
    'T = 356'), and whether there was one."""
    stripped = _APPROX_LEAD.sub("", text, count=1)
    if stripped != text:
        return stripped, True
    if _APPROX_MID.search(text):
        return _APPROX_MID.sub("=", text), True
    return text, False


def tolerance_applies(answer_type: str, tol: Tolerance) -> bool:
    return answer_type == "number" or (answer_type == "rational" and bool(tol.abs or tol.rel))


# -- per answer type: a complete answer written as prose or with a label ---------------------------

_NAME = r"[A-Za-z](?:_\{?\w+\}?)?"
_NAMED = re.compile(rf"^\s*{_NAME}\s*=\s*([^=]+)$")
_ROOT_JOINT = re.compile(r"\s*(?:,|;|\bor\b|\band\b|或|和)\s*", re.I)
_MEMBER = re.compile(rf"^\s*{_NAME}\s*(?:\\in|∈)\s*")
# '(x, y, z) = (3, 3, 3)': a tuple of names, then its values.
_TUPLE_LABEL = re.compile(rf"^\s*[(\[]?\s*{_NAME}(?:\s*,\s*{_NAME})+\s*[)\]]?\s*=\s*(.+)$", re.S)


def read_set(text: str, args: dict) -> str:
    """'x \\in \\{-1, 3\\}' and 'x = -1 or x = 3' are the set {-1, 3}: a complete list of
    roots in prose is no hedge (a hedge between sets, '{1, 2} or {1, 3}', still is)."""
    text = _MEMBER.sub("", text, count=1)
    if "=" not in text:
        return text
    parts = [p for p in _ROOT_JOINT.split(text) if p.strip()]
    named = [_NAMED.match(p) for p in parts]
    # Every value named ('x = 1 or x = 3'), or the first named and the rest plain ('x = 1, 3').
    if len(parts) > 1 and named[0] and all(n or "=" not in p for n, p in zip(named, parts)):
        return "{" + ", ".join(n.group(1).strip() if n else p.strip() for n, p in zip(named, parts)) + "}"
    return text


def read_tuple(text: str, args: dict) -> str:
    """'(x, y, z) = (3, 3, 3)' is the tuple; 'x = 3, y = 3 and z = 3' lists it by name."""
    m = _TUPLE_LABEL.match(text)
    if m:
        return m.group(1)
    return re.sub(r"\s+(?:and|和)\s+(?=[A-Za-z]\s*=)", ", ", text)


_BOTH_CODES = re.compile(r"^\s*(?:([A-Z])\s*\(\s*([A-Z][a-z]{2})\s*\)|([A-Z][a-z]{2})\s*\(\s*([A-Z])\s*\))\s*$")


def read_residue(text: str, args: dict) -> str:
    """'D (Asp)' and 'Trp (W)': one residue in both codes is that residue's one-letter code;
    two codes that disagree stay as written (and are graded wrong)."""
    m = _BOTH_CODES.match(text) if args.get("alphabet") == "protein" else None
    if not m:
        return text
    one, three = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    return one if _THREE_LETTER.get(three.upper()) == one else text


_CONFIGURATION = re.compile(r"^\s*\(?\s*([RSrs])\s*\)?\s*[-‐]?\s*(?:configuration|config\.?|构型|型)?\s*$")


def read_label_token(text: str, args: dict) -> str:
    """'S configuration', '(S)', 'S-configuration': the CIP label."""
    m = _CONFIGURATION.match(text)
    return m.group(1).upper() if m else text


_TRUTH_SENTENCE = re.compile(
    r"^(?:(?:it|this|that|the\s+(?:statement|claim|assertion))(?:\s+above)?\s+is\s+)(true|false|correct|incorrect)$", re.I
)


def read_boolean(text: str, args: dict) -> str:
    """'It is true', 'The statement is false': the truth value."""
    m = _TRUTH_SENTENCE.match(text.strip())
    return m.group(1) if m else text


READERS = {
    "set": read_set,
    "multiset": read_set,
    "tuple": read_tuple,
    "linear_combination": read_tuple,
    "boolean": read_boolean,
    "sequence": read_residue,
    "string_set": read_label_token,
}


def read_for(answer_type: str, text: str, args: dict) -> str:
    if len(text) > MAX_ANSWER_CHARS:
        # Refused as too long by every parser anyway; unwrapping layer by layer is quadratic,
        # and 3,000 nested \\text{ in 21,000 characters cost 2.5 s.
        return text
    text = strip_wrappers(text)
    reader = READERS.get(answer_type)
    return reader(text, args) if reader else text
