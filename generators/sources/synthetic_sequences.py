"""`synthetic_sequences`: seeded DNA and protein sequences with realistic structure
(codons from a usage table, ORFs with start and stop, planted restriction and primer sites),
so every item is new and its answer exists by construction. Pure functions of the rng."""

from __future__ import annotations

import random

from Bio.Data import CodonTable
from Bio.Seq import reverse_complement

NAME = "synthetic_sequences"
VERSION = "1"
LICENCE = "CC0-1.0"
DNA = "ACGT"
AMINO = "ACDEFGHIKLMNPQRSTVWY"
STOP_CODONS = ("TAA", "TAG", "TGA")  # the standard code's, in the order seeded draws pick from
TRANSITION = {"A": "G", "G": "A", "C": "T", "T": "C"}  # a base misread as the other purine or pyrimidine

_STANDARD = CodonTable.unambiguous_dna_by_id[1]
SENSE_CODONS = sorted(_STANDARD.forward_table)
# Rough E. coli preferences: frequent codons drawn more often, as in real genes.
_PREFERRED = {"CTG", "GAA", "AAA", "GCG", "ATT", "GGC", "ACC", "CGT", "CAG", "GAT", "AAC", "TTT", "GTG", "CCG", "AGC", "TAT"}
_CODON_WEIGHTS = [3 if c in _PREFERRED else 1 for c in SENSE_CODONS]


def dna(rng: random.Random, n: int, gc: float = 0.5) -> str:
    weights = [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]
    return "".join(rng.choices(DNA, weights=weights, k=n))


def cds(rng: random.Random, n_codons: int, stop: str | None = "TAA") -> str:
    """ATG, then n_codons - 1 sense codons, then a stop codon."""
    body = rng.choices(SENSE_CODONS, weights=_CODON_WEIGHTS, k=n_codons - 1)
    return "ATG" + "".join(body) + (stop or "")


def protein(rng: random.Random, n: int) -> str:
    return "M" + "".join(rng.choices(AMINO, k=n - 1))


def occurrences(seq: str, site: str, circular: bool = False) -> list[int]:
    """Start positions of site on the top strand (across the origin when circular)."""
    text = seq + seq[: len(site) - 1] if circular else seq
    out, i = [], text.find(site)
    while 0 <= i < len(seq):
        out.append(i)
        i = text.find(site, i + 1)
    return out


def scrub(rng: random.Random, seq: str, sites: list[str], circular: bool = False) -> str:
    """Mutate bases until none of the sites (either strand) occurs: absence by construction."""
    seq = list(seq)
    for _ in range(10_000):
        text = "".join(seq)
        hits = [(i, s) for s in sites for target in {s, reverse_complement(s)} for i in occurrences(text, target, circular)]
        if not hits:
            return text
        i, s = hits[0]
        j = (i + rng.randrange(len(s))) % len(seq)
        seq[j] = rng.choice([b for b in DNA if b != seq[j]])
    raise RuntimeError("could not scrub sites")


def plant(seq: str, site: str, positions: list[int]) -> str:
    for p in positions:
        seq = seq[:p] + site + seq[p + len(site):]
    return seq
