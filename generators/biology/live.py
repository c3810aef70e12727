"""Sequences from live GenBank records (a snapshot written by the monthly refresh or by
`mintbench sources fetch-ncbi`): coding sequences and their protein products, so translation
and protein items can be about genes published last month."""

from __future__ import annotations

import io
from functools import lru_cache

from Bio import SeqIO
from Bio.Seq import translate

from generators.sources import ncbi_live
from mintbench.items.schema import Source

_STANDARD = set("ACDEFGHIKLMNPQRSTVWY")


@lru_cache(maxsize=4)
def coding_sequences(path: str) -> tuple[tuple[str, int, Source], ...]:
    """(coding DNA, genetic code, provenance) of every single-part CDS with a clean reading frame."""
    out = []
    for record in ncbi_live.load_snapshot(path):
        rec = SeqIO.read(io.StringIO(record.data["genbank"]), "genbank")
        for feature in rec.features:
            if feature.type != "CDS" or len(feature.location.parts) != 1:
                continue
            dna = str(feature.extract(rec.seq)).upper()
            table = int(feature.qualifiers.get("transl_table", ["11"])[0])
            if len(dna) % 3 or len(dna) < 30 or set(dna) - set("ACGT"):
                continue
            out.append((dna, table, record.provenance()))
    if not out:
        raise ValueError(f"snapshot {path!r} holds no usable coding sequence")
    return tuple(out)


def live_cds(rng, path: str, codons: int) -> tuple[str, int, Source]:
    """The first `codons` codons of a live gene, then TAA (a stop in every NCBI table)."""
    dna, table, source = rng.choice(coding_sequences(path))
    body = dna[: 3 * codons]
    return body[: len(body) - len(body) % 3] + "TAA", table, source


def live_peptide(rng, path: str, length: int) -> tuple[str, Source]:
    """The N-terminal `length` residues of a live gene's product (standard residues only)."""
    pool = [(translate(dna, table=table, to_stop=True), source) for dna, table, source in coding_sequences(path)]
    pool = [(p[:length], s) for p, s in pool if len(p) >= min(length, 8) and set(p[:length]) <= _STANDARD]
    if not pool:
        raise ValueError(f"snapshot {path!r} holds no protein product of {length} standard residues")
    return rng.choice(pool)
