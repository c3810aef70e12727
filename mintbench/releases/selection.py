"""Seeded, stratified selection of release items by quotas over domain x level x label."""

from __future__ import annotations

from collections import defaultdict

from mintbench.errors import MintbenchError
from mintbench.items.rng import rng_for
from typing import NamedTuple



class Candidate(NamedTuple):
    """What selection and the manifest need of a candidate item: a few short strings, so a
    large pool is held as these rather than as whole items."""

    pos: int  # position in the candidate pool
    item_id: str
    domain: str
    level: str
    format: str
    label: str  # difficulty label, or "unmeasured"
    decision: str  # the difficulty filter's keep/drop/anchor
    generator: str
    generator_version: str
    date: str  # the source's retrieval date, else created_at


def candidate(pos: int, item) -> Candidate:
    return Candidate(
        pos, item.item_id, item.domain, item.level, item.format, item.difficulty_label or "unmeasured",
        (item.difficulty or {}).get("decision", "keep"), item.generator, item.generator_version,
        item.source.retrieved_at or item.created_at or "",
    )


def select(items: list[Candidate], per_domain: dict[str, int], seed: int) -> tuple[list[Candidate], dict]:
    """Up to `per_domain[d]` items of domain d, spread evenly over its (level, label) strata.

    Items the difficulty filter dropped are never selected; floor anchors are. Strata are
    filled round-robin in sorted order, each from a seeded shuffle, so the same candidates
    and seed give the same release.
    """
    chosen: list[Candidate] = []
    report: dict = {}
    for domain, quota in sorted(per_domain.items()):
        strata: dict[tuple, list[Candidate]] = defaultdict(list)
        for item in items:
            if item.domain == domain and item.decision != "drop":
                strata[(item.level, item.label)].append(item)
        if sum(len(v) for v in strata.values()) < quota:
            have = sum(len(v) for v in strata.values())
            raise MintbenchError(f"only {have} eligible {domain} candidates for a quota of {quota}; generate more (oversample)")
        queues = {}
        for key in sorted(strata):
            pool = sorted(strata[key], key=lambda i: i.item_id)
            rng_for("select", seed, domain, *key).shuffle(pool)
            queues[key] = pool
        taken: dict[tuple, int] = defaultdict(int)
        picked = 0
        while picked < quota:
            for key, pool in queues.items():
                if picked < quota and pool:
                    chosen.append(pool.pop())
                    taken[key] += 1
                    picked += 1
        report[domain] = {f"{lvl}/{label}": n for (lvl, label), n in sorted(taken.items())}
    return chosen, report
