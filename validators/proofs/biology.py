"""Independent proofs for the biology generators: own codon tables, own scans and dynamic
programming, or a different Biopython entry point than the generator used."""

from __future__ import annotations

import re
from itertools import product

from Bio.Data import CodonTable, IUPACData
from Bio.Seq import translate
from Bio.SeqUtils import IsoelectricPoint as IEP
from Bio.SeqUtils import MeltingTemp, gc_fraction

from mintbench.items.schema import Item
from validators.collections import parse_elements
from validators.proofs import keyed_step_problem, proves
from validators.sequences import check_coding_sequence, check_primer_pair, normalise_sequence, parse_effect

_PAIR = {"A": "T", "T": "A", "G": "C", "C": "G"}


def rc(seq: str) -> str:
    return "".join(_PAIR[b] for b in reversed(seq))


def codon_map(table_id: int) -> dict[str, str]:
    table = CodonTable.unambiguous_dna_by_id[table_id]
    return {**table.forward_table, **{s: "*" for s in table.stop_codons}}


def own_translate(seq: str, table_id: int = 1, to_stop: bool = True) -> str:
    code, out = codon_map(table_id), []
    for i in range(0, len(seq) - 2, 3):
        aa = code[seq[i : i + 3]]
        if aa == "*" and to_stop:
            break
        out.append(aa)
    return "".join(out)


@proves("biology.codon_to_amino")
def codon_to_amino(item: Item, answer: str) -> str | None:
    p = item.params
    return None if translate(p["codon"], table=p["table"]) == answer else "gold differs from Seq.translate"


@proves("biology.amino_to_codons")
def amino_to_codons(item: Item, answer: str) -> str | None:
    p = item.params
    every = ("".join(c) for c in product("ACGT", repeat=3))
    codons = {c for c in every if translate(c, table=p["table"]) == p["amino_acid"]}
    return None if codons == {c.strip() for c in answer.split(",")} else "gold differs from translating all 64 codons"


@proves("biology.reverse_complement")
def reverse_complement(item: Item, answer: str) -> str | None:
    return None if rc(answer) == item.params["sequence"] else "gold does not complement back"


@proves("biology.translate")
def translate_cds(item: Item, answer: str) -> str | None:
    p = item.params
    return None if own_translate(p["sequence"], p["table"]) == answer else "gold differs from codon-by-codon translation"


def scan_orfs(seq: str) -> int:
    stops = {"TAA", "TAG", "TGA"}
    best = 0
    for strand in (seq, rc(seq)):
        for m in re.finditer("(?=ATG)", strand):
            for j in range(m.start(), len(strand) - 2, 3):
                if strand[j : j + 3] in stops:
                    best = max(best, j + 3 - m.start())
                    break
    return best


@proves("biology.longest_orf")
def longest_orf(item: Item, answer: str) -> str | None:
    return None if scan_orfs(item.params["sequence"]) == int(answer) else "gold differs from the ATG scan"


@proves("biology.point_mutation")
def point_mutation(item: Item, answer: str) -> str | None:
    p = item.params
    seq, pos = p["sequence"], p["position"] - 1
    mutant = seq[:pos] + p["new_base"] + seq[pos + 1:]
    before, after = own_translate(seq, to_stop=False), own_translate(mutant, to_stop=False)
    k = pos // 3
    expected = ("silent", "") if before[k] == after[k] else (("nonsense", "") if after[k] == "*" else ("missense", after[k]))
    return None if parse_effect(answer) == expected else "gold misclassifies the mutation"


@proves("biology.gc_content")
def gc_content(item: Item, answer: str) -> str | None:
    value = 100 * gc_fraction(item.params["sequence"], ambiguous="remove")
    return None if abs(value - float(answer)) <= 0.05 + 1e-9 else "gold differs from gc_fraction"


def digest(seq: str, enzymes: list[dict], circular: bool) -> list[int]:
    text = seq + seq[:7] if circular else seq
    cuts = set()
    for e in enzymes:
        for m in re.finditer(f"(?={e['site']})", text):
            if m.start() < len(seq):
                cuts.add((m.start() + e["cut"]) % len(seq))
    cuts = sorted(cuts)
    if not cuts:
        return [len(seq)]
    if circular:
        return [b - a for a, b in zip(cuts, cuts[1:] + [cuts[0] + len(seq)])]
    edges = [0, *cuts, len(seq)]
    return [b - a for a, b in zip(edges, edges[1:]) if b > a]


@proves("biology.restriction_fragments")
def restriction_fragments(item: Item, answer: str) -> str | None:
    p = item.params
    gold = sorted(int(e) for e in parse_elements(answer))
    own = sorted(digest(p["sequence"], p["enzymes"], p["circular"]))
    if sum(gold) != len(p["sequence"]):
        return "fragments do not add up to the molecule"
    return None if gold == own else "gold differs from the site scan"


@proves("biology.protein_mass")
def protein_mass(item: Item, answer: str) -> str | None:
    seq = item.params["protein"]
    water = 18.01528
    mass = sum(IUPACData.protein_weights[a] for a in seq) - (len(seq) - 1) * water
    return None if abs(mass - float(answer)) <= 0.5 else "gold differs from summed residue masses"


def own_pi(seq: str) -> float:
    """Bisection on the net charge with Bjellqvist pK values (terminal-specific where listed)."""
    n_pk = IEP.pKnterminal.get(seq[0], IEP.positive_pKs["Nterm"])
    c_pk = IEP.pKcterminal.get(seq[-1], IEP.negative_pKs["Cterm"])
    pos = [(n_pk, 1)] + [(IEP.positive_pKs[a], seq.count(a)) for a in "KRH"]
    neg = [(c_pk, 1)] + [(IEP.negative_pKs[a], seq.count(a)) for a in "DECY"]

    def charge(ph: float) -> float:
        plus = sum(n / (1 + 10 ** (ph - pk)) for pk, n in pos)
        minus = sum(n / (1 + 10 ** (pk - ph)) for pk, n in neg)
        return plus - minus

    lo, hi = 0.0, 14.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if charge(mid) > 0 else (lo, mid)
    return (lo + hi) / 2


@proves("biology.protein_pi")
def protein_pi(item: Item, answer: str) -> str | None:
    return None if abs(own_pi(item.params["protein"]) - float(answer)) <= 0.05 else "gold differs from the charge bisection"


@proves("biology.primer_tm")
def primer_tm(item: Item, answer: str) -> str | None:
    return None if abs(MeltingTemp.Tm_Wallace(item.params["primer"]) - float(answer)) <= 0.5 else "gold differs from Tm_Wallace"


@proves("biology.pcr_product")
def pcr_product(item: Item, answer: str) -> str | None:
    p = item.params
    t = p["template"]
    start, end = t.find(p["forward"]), t.find(rc(p["reverse"]))
    if start < 0 or end < 0 or t.count(p["forward"]) != 1:
        return "primers do not bind as built"
    return None if end + len(p["reverse"]) - start == int(answer) else "gold differs from the binding sites"


def needleman_wunsch(a: str, b: str, match: int, mismatch: int, gap: int) -> int:
    prev = [j * gap for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        cur = [i * gap]
        for j in range(1, len(b) + 1):
            diag = prev[j - 1] + (match if a[i - 1] == b[j - 1] else mismatch)
            cur.append(max(diag, prev[j] + gap, cur[j - 1] + gap))
        prev = cur
    return prev[-1]


@proves("biology.alignment_score")
def alignment_score(item: Item, answer: str) -> str | None:
    p, s = item.params, item.params["scoring"]
    own = needleman_wunsch(p["a"], p["b"], s["match"], s["mismatch"], s["gap"])
    return None if own == int(answer) else "gold differs from the DP table"


@proves("biology.genbank_facts")
def genbank_facts(item: Item, answer: str) -> str | None:
    gb, p = item.params["genbank"], item.params
    # Read the flat file by its line format, not through SeqIO.
    cds = re.findall(r"^ {5}CDS {13}(complement\()?<?(\d+)\.\.>?(\d+)\)?\n((?: {21}.*\n)+)", gb, re.M)
    if p["kind"] == "minus_cds":
        value = sum(1 for c in cds if c[0])
    else:
        hit = next((c for c in cds if f'/gene="{p["gene"]}"' in c[3] or f'/locus_tag="{p["gene"]}"' in c[3]), None)
        if hit is None:
            return "gene not found in the record"
        if p["kind"] == "gene_start":
            value = int(hit[1])
        else:
            translation = re.search(r'/translation="([^"]+)"', hit[3].replace("\n", "").replace(" ", ""))
            value = len(translation.group(1)) if translation else -1
    return None if value == int(answer) else "gold differs from the flat-file reading"


@proves("biology.wrong_step")
def wrong_step(item: Item, answer: str) -> str | None:
    code = codon_map(1)
    first = next((i for i, (c, a) in enumerate(zip(item.params["codons"], item.params["shown"])) if code[c] != a), None)
    if first is None:
        return "no step is wrong"
    return keyed_step_problem(item, answer, first)


@proves("biology.primer_design")
def primer_design(item: Item, answer: str) -> str | None:
    forward, reverse = (normalise_sequence(s) for s in answer.split(","))
    args = item.grader_args
    if any(not args["tm"][0] <= MeltingTemp.Tm_Wallace(s) <= args["tm"][1] for s in (forward, reverse)):
        return "witness Tm outside the window"
    return check_primer_pair(forward, reverse, args)


@proves("biology.recode_avoiding_site")
def recode(item: Item, answer: str) -> str | None:
    if own_translate(answer, to_stop=False) != item.grader_args["protein"]:
        return "witness does not encode the protein"
    return check_coding_sequence(answer, item.grader_args)


@proves("biology.amino_acid_codes")
def amino_acid_codes(item: Item, answer: str) -> str | None:
    from Bio.SeqUtils import seq1

    # Biopython's reader of three-letter codes, a different table from the generator's.
    return None if seq1(item.params["three"], custom_map={"Xle": "J", "Xaa": "X", **_THREE}) == answer else "gold is not the code's letter"


_THREE = {"Sec": "U", "Pyl": "O", "Asx": "B", "Glx": "Z"}


@proves("biology.site_notation")
def site_notation(item: Item, answer: str) -> str | None:
    from Bio import Restriction

    enzyme = getattr(Restriction, item.params["enzyme"])
    return None if str(enzyme.ovhgseq) == answer else "gold differs from REBASE's overhang"


@proves("biology.fasta_reading")
def fasta_reading(item: Item, answer: str) -> str | None:
    from generators.biology.reading import fasta_length

    return None if fasta_length(item.params["fasta"], item.params["record"]) == int(answer) else "gold differs from the parsed record"


@proves("biology.orf_check")
def orf_check(item: Item, answer: str) -> str | None:
    from Bio.Seq import Seq

    try:
        Seq(item.params["sequence"]).translate(cds=True)  # Biopython's own complete-CDS check
        complete = True
    except Exception:  # noqa: BLE001 - TranslationError names the flaw
        complete = False
    return None if complete == (answer == "true") else "gold truth value disagrees with Biopython's CDS check"


@proves("biology.strand_claim")
def strand_claim(item: Item, answer: str) -> str | None:
    holds = rc(item.params["claim"]) == item.params["sequence"]
    return None if holds == (answer == "true") else "gold truth value is wrong"


@proves("biology.design_gc_coding")
def design_gc_coding(item: Item, answer: str) -> str | None:
    if own_translate(answer, to_stop=False) != item.grader_args["protein"]:
        return "witness does not encode the protein"
    return check_coding_sequence(answer, item.grader_args)
