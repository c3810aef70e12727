"""Gold proofs: every gold answer is re-established by a route independent of its generator.

`prove_item` returns None when the item is proven, else a short, answer-free reason.
An item whose proof fails is dropped and counted, never shipped.
"""

from __future__ import annotations

import importlib
import re
from string import ascii_uppercase
from typing import Callable

from mintbench.items.schema import Item
from validators.grade import grade_answer, grade_response, gold_response

Proof = Callable[[Item, str], "str | None"]
_PROOFS: dict[str, Proof] = {}
_DOMAIN_PROOFS = {"math": "validators.proofs.math", "chemistry": "validators.proofs.chemistry", "biology": "validators.proofs.biology"}


def proves(generator_id: str):
    def register(fn: Proof) -> Proof:
        _PROOFS[generator_id] = fn
        return fn

    return register


def _proof_for(item: Item) -> Proof | None:
    proof = _PROOFS.get(item.generator)
    if proof is not None:
        return proof
    module = _DOMAIN_PROOFS.get(item.domain)
    if module:
        importlib.import_module(module)
    return _PROOFS.get(item.generator)


def _check_choices(item: Item) -> str | None:
    """Converted multiple choice: the keyed option is the gold, and no other option is."""
    letter = item.answer
    if letter not in ascii_uppercase[: len(item.choices)]:
        return "answer letter outside the options"
    open_answer = item.params["open_answer"]
    answer_type, args = item.params["open_answer_type"], item.params.get("open_grader_args", {})
    keyed = item.choices[ascii_uppercase.index(letter)]
    # The keyed option is the proven answer as printed: the same text, or (under --render latex,
    # where options are typeset) graded equal to it. String equality alone dropped every LaTeX
    # multiple-choice derivative (0 of 20 proven), silently, from mixed sets.
    if keyed != open_answer and grade_answer(answer_type, keyed, open_answer, args, item.tolerance).status != "correct":
        return "keyed option is not the proven answer"
    for i, option in enumerate(item.choices):
        if ascii_uppercase[i] == letter:
            continue
        verdict = grade_answer(answer_type, option, open_answer, args, item.tolerance)
        if verdict.status == "correct":
            return f"option {ascii_uppercase[i]} is also correct"
    return None


def keyed_step_problem(item: Item, answer: str, first_wrong: int) -> str | None:
    """Spot-the-wrong-step items: the keyed option must name step `first_wrong` (0-based)."""
    keyed = ascii_uppercase.index(answer) if answer in ascii_uppercase else len(item.choices)
    named = re.findall(r"\d+", item.choices[keyed]) if keyed < len(item.choices) else []
    return None if named == [str(first_wrong + 1)] else "keyed step is not the first wrong one"


def prove_item(item: Item) -> str | None:
    proof = _proof_for(item)
    if proof is None:
        return f"no proof registered for {item.generator}"
    try:
        if "open_answer" in item.params:
            problem = _check_choices(item) or proof(item, item.params["open_answer"])
        else:
            problem = proof(item, item.answer)
    except Exception as exc:  # a crashing proof is a failed proof, never a pass
        return f"proof raised {type(exc).__name__}"
    if problem:
        return problem
    if grade_response(item, gold_response(item)).status != "correct":
        return "the grader rejects the gold answer"
    return None
