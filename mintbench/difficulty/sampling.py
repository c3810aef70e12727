"""Adaptive sampling: the sequential stopping rule, per-sample seeds and reshuffled
options, and the statistics reported per (item, model). Pure functions, no I/O."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from string import ascii_uppercase

from mintbench.items import prompts
from mintbench.difficulty.config import FilterSettings
from mintbench.items.rng import derive_seed, rng_for
from mintbench.items.schema import Item


@dataclass
class Tally:
    correct: int = 0
    wrong: int = 0
    unparsed: int = 0
    errors: int = 0
    # Normalised non-gold answers, kept in memory only, to spot models agreeing on one.
    wrong_answers: Counter = field(default_factory=Counter)

    @property
    def samples(self) -> int:
        return self.correct + self.wrong + self.unparsed

    @property
    def failures(self) -> int:
        # An unparsed answer is a failure to answer: it counts against the model.
        return self.wrong + self.unparsed


MAX_ERRORS_PER_ITEM = 3


def stop_reason(t: Tally, s: FilterSettings) -> str | None:
    """Why sampling stops now, or None to draw another sample."""
    if t.errors >= MAX_ERRORS_PER_ITEM:
        return "errors"
    if s.mode == "fixed":
        return "fixed_k" if t.samples >= s.fixed_k else None
    if abs(t.correct - t.failures) >= s.margin:
        return "margin"
    if t.samples >= s.cap:
        return "cap"
    return None


def solved(t: Tally) -> bool:
    return t.correct > t.failures


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def sample_seed(item_id: str, model: str, sample: int) -> int:
    # OpenAI-compatible servers take a 31-bit seed.
    return derive_seed("sample", item_id, model, sample) & 0x7FFFFFFF


def variant(item: Item, seed: int) -> tuple[str, Item]:
    """The prompt for one sample and the item to grade it against.

    Multiple-choice options are reshuffled per sample, so a model that always answers
    'A' cannot pass by position; the key letter moves with the options.
    """
    if not item.choices:
        return item.question, item
    old_block = prompts.render_options(item.lang, item.choices)
    order = list(range(len(item.choices)))
    rng_for("shuffle", seed).shuffle(order)
    choices = [item.choices[i] for i in order]
    answer = ascii_uppercase[order.index(ascii_uppercase.index(item.answer))]
    question = item.question.replace(old_block, prompts.render_options(item.lang, choices), 1)
    return question, item.model_copy(update={"choices": choices, "answer": answer, "question": question})


def normalise(answer: str) -> str:
    return " ".join(answer.lower().split())
