"""Per-item random streams.

Every item draws from its own `random.Random`, seeded from a hash of who asks and for
which (seed, index): items never share state, never touch the global generator, and item
`i` can be rebuilt alone.
"""

from __future__ import annotations

import hashlib
import random


def derive_seed(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def rng_for(*parts: object) -> random.Random:
    return random.Random(derive_seed(*parts))
