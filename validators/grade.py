"""One grader per answer type, used everywhere (CLI, difficulty filter, grading service)."""

from __future__ import annotations

import re
from typing import Callable

from mintbench.items.schema import Item, Tolerance
from validators import chemistry, choice, collections, constraints, interval, numeric, sequences, symbolic
from validators.extract import extract_answer
from validators.reading import read_approximation, read_for, tolerance_applies
from validators.parsing import BARE_RATIONAL
from validators.result import Grade, Unparsable, unparsed, wrong
from validators.units import WrongUnit, split_unit

Comparer = Callable[[str, str, dict, Tolerance], Grade]

GRADERS: dict[str, Comparer] = {
    "integer": numeric.grade_integer,
    "rational": numeric.grade_rational,
    "number": numeric.grade_number,
    "choice": choice.grade_choice,
    "boolean": choice.grade_boolean,
    "expression": symbolic.grade_expression,
    "antiderivative": symbolic.grade_antiderivative,
    "factored": symbolic.grade_factored,
    "partial_fractions": symbolic.grade_partial_fractions,
    "sequence_formula": symbolic.grade_sequence_formula,
    "ode_solution": symbolic.grade_ode_solution,
    "set": collections.grade_set,
    "multiset": collections.grade_multiset,
    "tuple": collections.grade_tuple,
    "interval": interval.grade_interval,
    "polynomial_constraints": constraints.grade_polynomial_constraints,
    "linear_combination": constraints.grade_linear_combination,
    "sequence": sequences.grade_sequence,
    "string_set": sequences.grade_string_set,
    "mutation_effect": sequences.grade_mutation_effect,
    "primer_pair": sequences.grade_primer_pair,
    "coding_sequence": sequences.grade_coding_sequence,
    "structure": chemistry.grade_structure,
    "formula": chemistry.grade_formula,
    "molecule_design": chemistry.grade_design,
    "coefficients": chemistry.grade_coefficients,
}


# One final answer: candidates joined by a word are a hedge in every answer type ("320 or 321",
# "missense C or A", "true or false"); no name, formula or expression uses these words alone.
_HEDGE_WORD = re.compile(r"(?:^|\s)(?:or|either|maybe|perhaps|或|或者)(?:\s|$)", re.I)
# Option letters only, joined by connectives or spaces: "C or A", "C and D", "A B C D", "A/B".
# Split, not one regex: nested optional spaces made a pattern backtrack exponentially.
_LETTER_JOINTS = re.compile(r"[\s,/&()和或]+")
_NUMERIC = {"integer", "rational", "number"}
# A result, not the question restated: no unevaluated derivative, integral, limit, sum, product
# or determinant, in LaTeX or in plain syntax.
_UNEVALUATED = re.compile(
    r"\\(?:det|int|iint|iiint|oint|lim|sum|prod|partial)(?![a-zA-Z])|\\[dt]?frac\s*\{\s*d\s*\}|\\[dt]?frac\s*\{\s*d\s*[a-z]?\s*\}\s*\{\s*d"
    r"|\b(?:diff|integrate|Integral|Derivative|limit|Limit|Sum|det)\s*\("
    r"|d/dx|\\begin\s*\{\s*[vV]?matrix\s*\}|\\left\s*\|\s*\\begin|\|\s*\\begin\s*\{"
)


def _value_part(answer_type: str, text: str) -> str:
    """The part after a label: what follows the last '=' (collections name their values one by
    one, 'x = 1, y = 2', and are read whole)."""
    if answer_type in ("set", "multiset", "tuple", "linear_combination", "polynomial_constraints"):
        return text
    return text.rsplit("=", 1)[-1]


def _letters_only(text: str) -> bool:
    tokens = [t for t in _LETTER_JOINTS.split(text) if t and t.lower() not in ("or", "and")]
    return len(tokens) >= 2 and all(len(t) == 1 and t.upper() in "ABCDEFGHIJ" for t in tokens)


SEVERAL_CANDIDATES = "offers more than one candidate answer"
SEVERAL_OPTIONS = "names more than one option"
HEDGE_REASONS = (SEVERAL_CANDIDATES, SEVERAL_OPTIONS)  # the grading service counts these as no answer


def hedge(answer_type: str, text: str) -> str | None:
    """Why the answer offers more than one candidate, or None."""
    if _HEDGE_WORD.search(text):
        return SEVERAL_CANDIDATES
    if answer_type == "choice" and _letters_only(text):
        return SEVERAL_OPTIONS
    if answer_type == "mutation_effect" and "/" in text:
        return SEVERAL_CANDIDATES
    return None


def _sides_disagree(answer_type: str, text: str, gold: str, args: dict, tol: Tolerance) -> bool:
    """'322 = 321': an equation whose numeric sides differ states no single value."""
    if answer_type not in _NUMERIC or text.count("=") == 0:
        return False
    verdicts = set()
    for side in text.split("="):
        if not re.search(r"\d", side) or _UNEVALUATED.search(side):
            continue  # a label ('x', '\\det(A)') states no value, and parsing it cost 0.4 s
        try:
            verdicts.add(GRADERS[answer_type](side, gold, args, tol).status)
        except Unparsable:
            continue  # 'x' in 'x = 3': a name, not a value
    return len(verdicts) > 1


def grade_answer(answer_type: str, text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """Compare an extracted answer with the gold. Never raises on bad responses."""
    try:
        comparer = GRADERS[answer_type]
    except KeyError:
        raise ValueError(f"no grader for answer type {answer_type!r}") from None
    if answer_type in _NUMERIC and not args.get("unit") and BARE_RATIONAL.fullmatch(text):
        # Most golds and many answers: a bare integer or fraction has no wrapper, label, hedge, sign of
        # approximation or equation to read, so the steps below would hand it on unchanged.
        try:
            return comparer(text, gold, args, tol)
        except Unparsable as exc:
            return unparsed(str(exc))
    text = read_for(answer_type, text, args)
    text, approximate = read_approximation(text)
    if approximate and not tolerance_applies(answer_type, tol):
        return wrong("an approximation where the exact value is asked")
    why = hedge(answer_type, text)
    if why:
        return wrong(why)
    try:
        # Checked before parsing (never an answer, and slow to parse), on the value: a label
        # before it ('\\det(A) = -152', '\\frac{dy}{dx} = ...') names the asked quantity.
        if _UNEVALUATED.search(_value_part(answer_type, text)):
            return wrong("not a closed form: the question restated (a determinant, derivative, integral, limit or sum)")
        if answer_type in _NUMERIC:
            text = split_unit(text, args.get("unit"))
        if _sides_disagree(answer_type, text, gold, args, tol):
            return wrong("the sides of the equation differ")
        return comparer(text, gold, args, tol)
    except WrongUnit as exc:
        return wrong(str(exc))
    except Unparsable as exc:
        return unparsed(str(exc))
    except RecursionError:
        return unparsed("answer too deeply nested")


def grade_response(item: Item, response: str) -> Grade:
    """The verdict on one response. Never raises: whatever a response does to a parser, the
    verdict is `unparsed` with a short, answer-free reason (a crash must not fail a whole run,
    nor let a grading service answer differently)."""
    try:
        text = extract_answer(response)
        if text is None:
            return unparsed("no <answer> tag or \\boxed{}")
        args = {**item.grader_args, "n_choices": len(item.choices)} if item.choices else item.grader_args
        return grade_answer(item.answer_type, text, item.answer, args, item.tolerance)
    except (RecursionError, MemoryError):
        return unparsed("answer too large or too deeply nested")
    except Exception as exc:  # a grader bug on hostile input: the response gets no credit
        return unparsed(f"grader could not read the answer ({type(exc).__name__})")


def gold_response(item: Item) -> str:
    """The gold answer wrapped as a model would be asked to give it."""
    return f"<answer>{item.answer}</answer>"
