"""`biopython_data`: NCBI genetic codes, REBASE enzymes, ProtParam scales and IUPAC codes
shipped with Biopython: the embedded biology knowledge snapshot."""

from __future__ import annotations

from functools import cache
from typing import Iterator

import Bio
from Bio import Restriction
from Bio.Data import CodonTable, IUPACData

from generators.sources import LoadStats, Record

NAME = "biopython_data"
VERSION = f"biopython-{Bio.__version__}"
LICENCE = "Biopython License Agreement (data: NCBI public domain, REBASE)"
_UNAMBIGUOUS = set("ACGT")


def genetic_codes() -> list[Record]:
    out = []
    for table_id, table in sorted(CodonTable.unambiguous_dna_by_id.items()):
        out.append(Record(NAME, f"ncbi_genetic_code:{table_id}", VERSION, {
            "id": table_id, "name": table.names[0], "forward": dict(table.forward_table),
            "stops": list(table.stop_codons), "starts": list(table.start_codons),
        }, LICENCE))
    return out


@cache
def enzymes() -> tuple[list[Record], LoadStats]:
    """Commercially available Type II enzymes with an unambiguous site cut inside it.

    Enzymes with ambiguous sites, cuts outside their site or two cuts per site are skipped
    and counted: the questions state sites as plain strings.
    """
    stats = LoadStats()
    out = []
    for name in sorted(str(e) for e in Restriction.CommOnly):
        stats.read += 1
        enzyme = getattr(Restriction, name)
        site = str(enzyme.site)
        if set(site) - _UNAMBIGUOUS:
            stats.skip("ambiguous_site")
            continue
        if enzyme.cut_twice() or not (0 <= enzyme.fst5 <= len(site)):
            stats.skip("cut_outside_site")
            continue
        out.append(Record(NAME, f"rebase:{name}", VERSION, {
            "name": name, "site": site, "cut": enzyme.fst5, "palindromic": enzyme.is_palindromic(),
        }, LICENCE))
    return out, stats


def amino_acid_names() -> dict[str, str]:
    return dict(IUPACData.protein_letters_1to3)


def records() -> Iterator[Record]:
    yield from genetic_codes()
    yield from enzymes()[0]
