"""Distractors that cannot be picked out from the option set alone.

Options built as single slips around the key (key ± 1, key negated, ...) make the key the centre
of its family: the option most like the others is the key (0.85 on linear systems, 0.99 on
formulas of named compounds). A *slip square* takes two independent slips, each in a direction
drawn from the item's rng, and offers both and the two together: the four options are the
corners of a square, every corner one slip from two others and two slips from the last, and the
key is a uniformly random corner. No option is central, extreme or odd by construction.
"""

from __future__ import annotations

import random
from typing import Callable, TypeVar

T = TypeVar("T")
Slip = Callable[[T, int], T | None]  # (value, direction +1/-1) -> slipped value, or None if impossible


def slip_square(rng: random.Random, key: T, slip_a: Slip, slip_b: Slip) -> list[T]:
    """Three wrong values: slip a, slip b, and both. A direction that gives an impossible value
    (a negative count) is turned round."""

    def apply(slip: Slip, value: T, direction: int) -> tuple[T, int]:
        out = slip(value, direction)
        if out is None:
            direction = -direction
            out = slip(value, direction)
        if out is None:
            raise ValueError("no slip possible in either direction")
        return out, direction

    a, da = apply(slip_a, key, rng.choice((1, -1)))
    b, db = apply(slip_b, key, rng.choice((1, -1)))
    ab = slip_b(a, db)
    if ab is None:
        raise ValueError("the two slips do not combine")
    return [a, b, ab]


def numeric_square(rng: random.Random, key: str, mistakes: list[str], tolerance: float = 0.0) -> list[str] | None:
    """A slip square for a number: the sizes of two of the generator's own mistakes (|mistake - key|,
    two different sizes), each in a random direction, and both together. Written with the key's
    decimals. None when the mistakes do not give two sizes far enough apart."""
    from decimal import Decimal, InvalidOperation

    try:
        k = Decimal(key)
        deltas = sorted({abs(Decimal(m) - k) for m in mistakes} - {Decimal(0)})
    except InvalidOperation:
        return None
    # Negative options only where the generator's own mistakes go negative (a count cannot).
    non_negative = k >= 0 and all(Decimal(m) >= 0 for m in mistakes)
    tol = Decimal(str(tolerance))
    pairs = [(a, b) for a in deltas for b in deltas if a < b and b - a > tol and a > tol]
    if not pairs:
        return None
    a, b = pairs[rng.randrange(len(pairs))]
    if rng.random() < 0.5:
        a, b = b, a
    exponent = k.as_tuple().exponent

    def shift(size: Decimal):
        def slip(value: Decimal, direction: int) -> Decimal | None:
            out = value + direction * size
            return None if non_negative and out < 0 else out
        return slip

    try:
        values = slip_square(rng, k, shift(a), shift(b))
    except ValueError:
        return None
    return [str(v.quantize(Decimal(1).scaleb(exponent))) if exponent < 0 else str(int(v)) for v in values]
