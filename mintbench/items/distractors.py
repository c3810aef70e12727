"""Distractors that cannot be picked out from the option set alone.

Options built as single slips around the key (key ± 1, key negated, ...) make the key the centre
of its family: the option most like the others is the key (0.85 on linear systems, 0.99 on
formulas of named compounds). A *slip square* takes two independent slips, each in a direction
drawn for the item, and offers both and the two together: the four options are the corners of a
square, every corner one slip from two others and two slips from the last, and the key is a
uniformly random corner. Slips that undo themselves (a sign) make the options the same set
whichever corner is the key. Where answers cluster so tightly that any slip leads away from the
likeliest values, the registry offers sibling options instead (registry.sibling_draft).
"""

from __future__ import annotations

import random
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Callable, TypeVar

T = TypeVar("T")
Slip = Callable[[T, int], T | None]  # (value, direction +1/-1) -> slipped value, or None if impossible
REDRAWS = 64


class DrawAgain(ValueError):
    """This draw cannot carry unbiased options (the key's drawn corner falls outside what the
    answer can be); build_item drafts again from the same stream. Raised for multiple choice only,
    so open items are never redrawn."""


def corner(rng: random.Random) -> tuple[int, int, bool]:
    """The directions of the two slips, and whether slip a is the larger (which, for the two
    mixed corners, decides whether the key ranks second or third). build_item draws them once
    per multiple-choice item, before the first draft, and keeps them through every redraw:
    redrawing until *some* corner fits would favour the corners that always fit (the key as the
    smallest count), and picking the sizes after the fact would favour the small slip towards a
    bound (the key as the second smallest)."""
    return getattr(rng, "corner", None) or (rng.choice((1, -1)), rng.choice((1, -1)), rng.random() < 0.5)


def slip_square(rng: random.Random, key: T, slip_a: Slip, slip_b: Slip) -> list[T] | None:
    """Three wrong values: slip a, slip b, and both, each slip in the item's drawn direction
    (`corner`), fixed before anything is known of the key's neighbourhood, so the key's corner,
    and its rank among the options, is uniform. None when a slip in its drawn direction is
    impossible (a negative count): turning the slip round instead would make the key the extreme
    option of every item near a bound (a ring count of 0 was the smallest option every time); the
    caller draws again."""
    da, db, _ = corner(rng)
    a, b = slip_a(key, da), slip_b(key, db)
    if a is None or b is None:
        return None
    ab = slip_b(a, db)
    return None if ab is None else [a, b, ab]


INTEGER = re.compile(r"-?[0-9]{1,50}")  # also registry._apart's


def _parse(text: str):
    """An int for '12' (equal to its Decimal in every comparison and sum below, and several
    times cheaper), a Decimal for '3.50'; a Fraction for '7/12'; None otherwise."""
    text = text.strip()
    if INTEGER.fullmatch(text):
        return int(text)
    try:
        return Fraction(text) if "/" in text else Decimal(text)
    except (InvalidOperation, ValueError, ZeroDivisionError):
        return None


def _radical(n: int) -> int:
    """The product of the distinct primes dividing n."""
    out, p = 1, 2
    while p * p <= n:
        if n % p == 0:
            out *= p
            while n % p == 0:
                n //= p
        p += 1
    return out * (n if n > 1 else 1)


def numeric_square(rng: random.Random, key: str, mistakes: list[str], tolerance: float = 0.0) -> list[str] | None:
    """A slip square for a number: the sizes of two of the generator's own mistakes (|mistake - key|,
    two different sizes) in the drawn directions, and both together. Written as the key is (its
    decimals, or a fraction in lowest terms with the key's denominator: a slip that reduced to a
    simpler fraction would leave the key the odd one out). None when no two sizes fit.
    Options stay inside the range the generator's own values keep to: non-negative where none of
    them is negative (a count), at most 1 where all lie in [0, 1] (a probability)."""
    k, values = _parse(key), [_parse(m) for m in mistakes]
    if k is None or any(v is None for v in values):
        return None
    exact = isinstance(k, Fraction) or any(isinstance(v, Fraction) for v in values)
    if exact:
        k, values = Fraction(str(k)), [Fraction(str(v)) for v in values]
    # A slip larger than the key itself (a sign error on 12, a Celsius reading of 553 K) lands
    # where few keys lie, and so marks the option nearest the typical key as the key.
    cap = max(abs(k), 3)
    deltas = sorted({abs(v - k) for v in values if abs(v - k) <= cap} - {0})
    low = 0 if k >= 0 and all(v >= 0 for v in values) else None
    high = 1 if low == 0 and k <= 1 and all(v <= 1 for v in values) else None
    tol = Fraction(str(tolerance)) if exact else (Decimal(str(tolerance)) if tolerance else 0)
    if exact:
        # Sizes that can keep the key's denominator q: whole steps of 1/q, and (a numerator
        # miscounted) steps of rad(q)/q, which never share a factor with q.
        q = k.denominator
        deltas = sorted({d for d in deltas if (d * q).denominator == 1} | {Fraction(t * _radical(q), q) for t in (1, 2, 3)})
    da, db, a_larger = corner(rng)

    def fits(value) -> bool:
        if (low is not None and value < low) or (high is not None and value > high):
            return False
        return not exact or value.denominator == k.denominator

    pairs = [
        (a, b) for a in deltas for b in deltas
        if (a > b) == a_larger and abs(b - a) > tol and min(a, b) > tol and all(fits(v) for v in (k + da * a, k + db * b, k + da * a + db * b))
    ]
    if not pairs:
        return None
    a, b = pairs[rng.randrange(len(pairs))]
    square = [k + da * a, k + db * b, k + da * a + db * b]
    if exact:
        return [str(v) for v in square]
    exponent = k.as_tuple().exponent if isinstance(k, Decimal) else 0
    return [str(v.quantize(Decimal(1).scaleb(exponent))) if exponent < 0 else str(int(v)) for v in square]
