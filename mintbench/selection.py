"""Seeded, stratified selection of release items by quotas over domain x level x label."""

from __future__ import annotations

from collections import defaultdict

from mintbench.errors import MintbenchError
from mintbench.rng import rng_for
from mintbench.schema import Item


def select(items: list[Item], per_domain: dict[str, int], seed: int) -> tuple[list[Item], dict]:
    """Up to `per_domain[d]` items of domain d, spread evenly over its (level, label) strata.

    Items the difficulty filter dropped are never selected; floor anchors are. Strata are
    filled round-robin in sorted order, each from a seeded shuffle, so the same candidates
    and seed give the same release.
    """
    chosen: list[Item] = []
    report: dict = {}
    for domain, quota in sorted(per_domain.items()):
        strata: dict[tuple, list[Item]] = defaultdict(list)
        for item in items:
            decision = (item.difficulty or {}).get("decision", "keep")
            if item.domain == domain and decision != "drop":
                strata[(item.level, item.difficulty_label or "unmeasured")].append(item)
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
