"""How likely public draws are to reproduce a released question, per generator version and
difficulty: measured by bench/question_space.py (birthday estimate over 1,000 public draws) and
kept in question_space.json beside this file, which `publish` reads to mark knowledge-recall
items in CARD.md (issue #26)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("question_space.json")
ATTEMPTS = 300  # public draws an examiner made per generator
THRESHOLD = 1e-3  # above it, a generator's items are recall, not fresh by construction


@lru_cache(maxsize=1)
def _cached() -> dict[str, dict[str, float]]:
    return json.loads(TABLE.read_text()) if TABLE.exists() else {}


def load_table() -> dict[str, dict[str, float]]:
    return dict(_cached())


def chances(generator: str, version: str) -> dict[str, float]:
    """Per difficulty; empty when the version was never measured."""
    return dict(_cached().get(f"{generator}@{version}", {}))


def reproduce_chance(generator: str, version: str) -> float | None:
    """The largest chance over difficulties (a release does not say which it drew at), or None
    when the version was never measured."""
    row = _cached().get(f"{generator}@{version}")
    return max(row.values()) if row else None


def recall_generators(generator_versions: dict[str, str]) -> dict[str, float]:
    """The generators of a release whose questions public draws reproduce above THRESHOLD."""
    out = {}
    for gen, version in generator_versions.items():
        p = reproduce_chance(gen, version)
        if p is not None and p > THRESHOLD:
            out[gen] = p
    return dict(sorted(out.items()))
