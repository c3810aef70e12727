"""Fixed test secrets: sealed sets whose items stay the same from run to run of the tests.
A real secret comes from `mintbench.create.build.new_secret` (256 bits from the OS)."""

import hashlib


def secret(n: int) -> str:
    return hashlib.sha256(f"mintbench test secret {n}".encode()).hexdigest()
