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


def _parse(text: str):
    """A Decimal for '12', '3.50'; a Fraction for '7/12'; None otherwise."""
    from decimal import Decimal, InvalidOperation
    from fractions import Fraction

    text = text.strip()
    try:
        return Fraction(text) if "/" in text else Decimal(text)
    except (InvalidOperation, ValueError, ZeroDivisionError):
        return None


def numeric_square(rng: random.Random, key: str, mistakes: list[str], tolerance: float = 0.0) -> list[str] | None:
    """A slip square for a number: the sizes of two of the generator's own mistakes (|mistake - key|,
    two different sizes), each in a random direction, and both together. Written as the key is
    (its decimals, or as a fraction). None when the mistakes do not give two sizes far enough apart.
    Options stay inside the range the generator's own values keep to: non-negative where none of
    them is negative (a count), at most 1 where all lie in [0, 1] (a probability)."""
    from decimal import Decimal
    from fractions import Fraction

    k, values = _parse(key), [_parse(m) for m in mistakes]
    if k is None or any(v is None for v in values):
        return None
    exact = isinstance(k, Fraction) or any(isinstance(v, Fraction) for v in values)
    if exact:
        k, values = Fraction(str(k)), [Fraction(str(v)) for v in values]
    deltas = sorted({abs(v - k) for v in values} - {0})
    low = 0 if k >= 0 and all(v >= 0 for v in values) else None
    high = 1 if low == 0 and k <= 1 and all(v <= 1 for v in values) else None
    tol = Fraction(str(tolerance)) if exact else Decimal(str(tolerance))
    pairs = [(a, b) for a in deltas for b in deltas if a < b and b - a > tol and a > tol]
    if not pairs:
        return None
    a, b = pairs[rng.randrange(len(pairs))]
    if rng.random() < 0.5:
        a, b = b, a

    def shift(size):
        def slip(value, direction: int):
            out = value + direction * size
            return None if (low is not None and out < low) or (high is not None and out > high) or (exact and out == 0 and k != 0 and high) else out
        return slip

    try:
        square = slip_square(rng, k, shift(a), shift(b))
    except ValueError:
        return None
    if exact:
        return [str(v) for v in square]
    exponent = k.as_tuple().exponent
    return [str(v.quantize(Decimal(1).scaleb(exponent))) if exponent < 0 else str(int(v)) for v in square]
