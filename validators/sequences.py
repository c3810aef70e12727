"""Biological answers: sequences, codon sets, mutation effects, and designs (primer pairs,
recoded genes) graded by checking every stated constraint."""

from __future__ import annotations

import re

from Bio.Data import CodonTable
from Bio.Seq import reverse_complement, translate

from mintbench.items.schema import Tolerance
from validators.result import Grade, Unparsable, correct, wrong

_NOT_LETTERS = re.compile(r"[\s\-_,;.|'\"0-9]+")
_DNA = set("ACGT")


_THREE_LETTER = {
    "ALA": "A", "ARG": "R", "ASN": "N", "ASP": "D", "CYS": "C", "GLN": "Q", "GLU": "E", "GLY": "G", "HIS": "H", "ILE": "I",
    "LEU": "L", "LYS": "K", "MET": "M", "PHE": "F", "PRO": "P", "SER": "S", "THR": "T", "TRP": "W", "TYR": "Y", "VAL": "V",
    "SEC": "U", "PYL": "O", "TER": "*",
}
_THREE_LETTER_RUN = re.compile(r"^\s*(?:[A-Za-z]{3}[\s\-–]*)+$")


def _from_three_letter(text: str) -> str | None:
    """'Thr' -> 'T', 'Met-Asp-Arg' -> 'MDR'; None unless every token is a three-letter code written
    as such (capitalised or upper case: 'ACT' as DNA-like upper case stays a one-letter sequence)."""
    if not _THREE_LETTER_RUN.match(text):
        return None
    tokens = re.findall(r"[A-Za-z]{3,4}", text)
    if not tokens or not all(t[0].isupper() and t[1:].islower() and t.upper() in _THREE_LETTER for t in tokens):
        return None
    return "".join(_THREE_LETTER[t.upper()] for t in tokens)


def normalise_sequence(text: str, alphabet: str = "dna") -> str:
    """Case, spaces, digits and punctuation are ignored; letters must fit the alphabet.
    A leading strand label ('5'-...-3'') is tolerated; proteins may use three-letter codes ('Met-Asp')."""
    if alphabet == "protein":
        three = _from_three_letter(text.strip().rstrip("."))
        if three is not None:
            return three
    cleaned = re.sub(r"^(5'|5′)|(3'|3′)$", "", text.strip())
    seq = _NOT_LETTERS.sub("", cleaned).upper()
    if not seq:
        raise Unparsable("empty sequence")
    if alphabet == "dna" and set(seq) - _DNA:
        raise Unparsable("not a DNA sequence (A, C, G, T only)")
    if alphabet == "protein" and seq != "*" and not seq.replace("*", "").isalpha():
        raise Unparsable("not a protein sequence")
    return seq


def grade_sequence(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    alphabet = args.get("alphabet", "dna")
    if args.get("one_letter") and _from_three_letter(text.strip().rstrip(".")) is not None:
        # 'Gln' for "the one-letter code of Gln?" restates the question (28 of 30 such items credited).
        return wrong("a three-letter code where the one-letter code is asked")
    given = normalise_sequence(text, alphabet)
    if given == gold:
        return correct()
    if alphabet == "dna" and given == reverse_complement(gold):
        return wrong("the other strand")
    return wrong("different sequence")


def grade_string_set(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """Unordered set of tokens (codons, enzyme names), case-insensitive."""
    # Commas separate items when present, so 'primary amine' may keep its space; a trailing period is no token.
    seps = r"[,;{}\[\]()]+" if "," in text or ";" in text else r"[\s,;{}\[\]()]+"
    tokens = {re.sub(r"\s+", "_", t.strip().rstrip(".").strip()).upper() for t in re.split(seps, text) if t.strip().rstrip(".").strip()}
    if not tokens:
        raise Unparsable("no items")
    target = {t.upper() for t in re.split(r"[\s,;{}]+", gold) if t}
    whole = re.sub(r"\s+", "_", text.strip().rstrip(".").strip()).upper()
    return correct() if target in (tokens, {whole}) else wrong("different set")


_EFFECT = re.compile(r"^\s*(silent|synonymous|nonsense|missense)\b[\s:,(]*(?:mutation\b[\s:,]*)?(?:(?:to|→)\s*)?([A-Za-z*]*)", re.I)
_ZH_EFFECT = {"同义": "silent", "沉默": "silent", "无义": "nonsense", "错义": "missense"}


def parse_effect(text: str) -> tuple[str, str]:
    for zh, en in _ZH_EFFECT.items():
        text = text.replace(zh + "突变", en).replace(zh, en)
    m = _EFFECT.match(text)
    if not m:
        raise Unparsable("expected silent, nonsense or missense")
    kind = {"synonymous": "silent"}.get(m.group(1).lower(), m.group(1).lower())
    residue = m.group(2)
    if len(residue) == 3 and residue[0].isupper() and residue[1:].islower() and residue.upper() in _THREE_LETTER:
        residue = _THREE_LETTER[residue.upper()]  # 'missense Leu'
    if len(residue) > 1:
        raise SeveralResidues("names several residues, not one")  # 'missense ACDEF…' lists every residue
    return kind, residue.upper()


class SeveralResidues(ValueError):
    """A mutation answer that lists more than one new residue: a hedge."""


def grade_mutation_effect(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    try:
        kind, residue = parse_effect(text)
    except SeveralResidues as exc:
        return wrong(str(exc))
    gold_kind, gold_residue = parse_effect(gold)
    if kind != gold_kind:
        return wrong("different class of mutation")
    if kind == "missense" and residue != gold_residue:
        return wrong("right class, different new residue")
    return correct()


def wallace_tm(primer: str) -> float:
    """Tm = 2 °C per A/T + 4 °C per G/C (the Wallace rule, for short oligos)."""
    return 2.0 * sum(primer.count(b) for b in "AT") + 4.0 * sum(primer.count(b) for b in "GC")


def check_primer_pair(forward: str, reverse: str, args: dict) -> str | None:
    """None when the pair meets every constraint in args, else the first unmet one."""
    template = args["template"]
    lo_len, hi_len = args["length"]
    for name, p in (("forward", forward), ("reverse", reverse)):
        if not lo_len <= len(p) <= hi_len:
            return f"{name} primer length outside {lo_len}-{hi_len}"
        tm = wallace_tm(p)
        if not args["tm"][0] <= tm <= args["tm"][1]:
            return f"{name} primer Tm outside the window"
    starts = [m.start() for m in re.finditer(f"(?={forward})", template)]
    rc = reverse_complement(reverse)
    ends = [m.start() + len(rc) for m in re.finditer(f"(?={rc})", template)]
    if len(starts) != 1:
        return "forward primer does not bind the top strand exactly once"
    if len(ends) != 1:
        return "reverse primer does not bind the bottom strand exactly once"
    size = ends[0] - starts[0]
    if not args["product"][0] <= size <= args["product"][1]:
        return "product size outside the window"
    if args.get("max_tm_difference") is not None and abs(wallace_tm(forward) - wallace_tm(reverse)) > args["max_tm_difference"]:
        return "primer Tm values too far apart"
    return None


def _two_sequences(text: str) -> tuple[str, str]:
    parts = [p for p in re.split(r"[,;\n]+|\s+(?:and|和)\s+", text) if p.strip()]
    parts = [re.sub(r"^\s*(forward|reverse|fwd|rev|f|r|正向|反向)\s*[:=]?", "", p, flags=re.I) for p in parts]
    if len(parts) != 2:
        raise Unparsable("expected two primers: forward, reverse")
    return normalise_sequence(parts[0]), normalise_sequence(parts[1])


def grade_primer_pair(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    forward, reverse = _two_sequences(text)
    problem = check_primer_pair(forward, reverse, args)
    return correct("meets every constraint") if problem is None else wrong(problem)


def check_coding_sequence(dna: str, args: dict) -> str | None:
    table = CodonTable.unambiguous_dna_by_id[args.get("table", 1)]
    if len(dna) % 3:
        return "length is not a multiple of 3"
    protein = translate(dna, table=table.id)
    if protein.rstrip("*") != args["protein"]:
        return "does not translate back to the protein"
    if "*" in protein:
        return "contains a stop codon, which the question rules out"
    for site in args.get("avoid", []):
        if site in dna or reverse_complement(site) in dna:
            return "a forbidden site is present"
    if "gc_percent" in args:
        lo, hi = args["gc_percent"]
        if not lo <= 100 * sum(b in "GC" for b in dna) / len(dna) <= hi:
            return f"GC content outside {lo}-{hi} %"
    return None


def grade_coding_sequence(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    problem = check_coding_sequence(normalise_sequence(text), args)
    return correct("meets every constraint") if problem is None else wrong(problem)
