"""Per-item random streams.

Every item draws from its own `random.Random`, seeded from a hash of who asks and for
which (seed, index): items never share state, never touch the global generator, and item
`i` can be rebuilt alone.

Two kinds of stream:
- public (`rng_for`): from a small integer seed, for reproducible practice sets. Anyone with
  the code and the seed can rebuild every item, answers included, so such sets are never sealed.
- keyed (`keyed_rng`): from a secret of at least 128 bits, by HMAC-SHA256. The whole 256-bit
  MAC seeds the generator, so no smaller space of streams exists to enumerate: without the
  secret, regenerating a sealed set's items means guessing the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import re

MIN_SECRET_HEX = 32  # 128 bits
SECRET_RE = re.compile(r"^[0-9a-f]+$")


def derive_seed(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def rng_for(*parts: object) -> random.Random:
    return random.Random(derive_seed(*parts))


def check_secret(secret: str) -> str:
    """A secret is lowercase hex of at least 128 bits; anything else is refused by name."""
    if not isinstance(secret, str) or len(secret) < MIN_SECRET_HEX or not SECRET_RE.match(secret):
        raise ValueError(f"a secret must be at least {MIN_SECRET_HEX} lowercase hex digits (128 bits)")
    return secret


def keyed_digest(secret: str, *parts: object) -> bytes:
    message = "\x1f".join(str(p) for p in parts).encode()
    return hmac.new(bytes.fromhex(check_secret(secret)), message, hashlib.sha256).digest()


def keyed_rng(secret: str, *parts: object) -> random.Random:
    return random.Random(int.from_bytes(keyed_digest(secret, *parts), "big"))


def item_word(secret: str | None, *parts: object) -> int:
    """64 bits for one small per-item decision (its format, its multiple-choice corner): keyed
    when a secret is given, public otherwise. A whole `random.Random` costs 5 us to seed, and one
    seeded from the printed state of another (what the corner once used) 60-100 us, more than the
    rest of a modular-inverse item."""
    if secret:
        return int.from_bytes(keyed_digest(secret, *parts)[:8], "big")
    return derive_seed(*parts)
