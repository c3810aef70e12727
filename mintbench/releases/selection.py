"""Seeded, stratified selection of release items by quotas over domain x level x label."""

from __future__ import annotations

from collections import defaultdict

from generators.sources import genbank_date
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
    source: str = ""  # the knowledge source's name
    record_date: str = ""  # a live record's own date (ISO), else ""


LIVE_SOURCES = ("pubchem_live", "ncbi_live")


def record_date(source) -> str:
    """A live record's own date, ISO: PubChem's creation date, GenBank's LOCUS date (01-OCT-2026)."""
    if source.name not in LIVE_SOURCES or not source.version:
        return ""
    return genbank_date(source.version) or source.version[:10]


def candidate(pos: int, item) -> Candidate:
    return Candidate(
        pos, item.item_id, item.domain, item.level, item.format, item.difficulty_label or "unmeasured",
        (item.difficulty or {}).get("decision", "keep"), item.generator, item.generator_version,
        item.source.retrieved_at or item.created_at or "", item.source.name, record_date(item.source),
    )


def select(items: list[Candidate], per_domain: dict[str, int], seed: int, live: dict[str, int] | None = None) -> tuple[list[Candidate], dict]:
    """`per_domain[d]` items of domain d, spread evenly over its (level, label) strata; of them,
    at least `live[d]` cite a live record (picked first, the same way, from the live candidates).

    Items the difficulty filter dropped are never selected; floor anchors are. Strata are
    filled round-robin in sorted order, each from a seeded shuffle, so the same candidates
    and seed give the same release.
    """
    if live:
        first, report = _select([c for c in items if c.record_date], {d: n for d, n in live.items() if d in per_domain}, seed, "live ")
        taken = {c.pos for c in first}
        rest, more = _select([c for c in items if c.pos not in taken],
                             {d: q - sum(c.domain == d for c in first) for d, q in per_domain.items()}, seed, "")
        for domain, strata in more.items():
            merged = dict(report.get(domain, {}))
            for key, n in strata.items():
                merged[key] = merged.get(key, 0) + n
            report[domain] = merged
        return first + rest, report
    return _select(items, per_domain, seed, "")


def _select(items: list[Candidate], per_domain: dict[str, int], seed: int, what: str) -> tuple[list[Candidate], dict]:
    chosen: list[Candidate] = []
    report: dict = {}
    for domain, quota in sorted(per_domain.items()):
        strata: dict[tuple, list[Candidate]] = defaultdict(list)
        for item in items:
            if item.domain == domain and item.decision != "drop":
                strata[(item.level, item.label)].append(item)
        if sum(len(v) for v in strata.values()) < quota:
            have = sum(len(v) for v in strata.values())
            raise MintbenchError(f"only {have} eligible {what}{domain} candidates for a quota of {quota}; generate more (oversample)")
        queues = {}
        for key in sorted(strata):
            pool = sorted(strata[key], key=lambda i: i.item_id)
            rng_for("select", seed, *([what] if what else []), domain, *key).shuffle(pool)
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
