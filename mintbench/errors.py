"""Errors a user can fix. The CLI prints them on one line and exits with code 2."""


class MintbenchError(Exception):
    """Bad input: the message names the bad key or value and what is allowed."""


def allowed(name: str, value: object, choices) -> MintbenchError:
    listed = ", ".join(str(c) for c in choices)
    return MintbenchError(f"unknown {name} {value!r}; allowed: {listed}")
