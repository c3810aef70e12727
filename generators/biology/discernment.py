"""Discernment (L4) in biology: is a sequence a complete open reading frame; is a claimed
reverse complement right. Half the claims hold, by construction; the rest carry one slip a
careless reader makes."""

from __future__ import annotations

from Bio.Seq import reverse_complement

from generators.biology._common import grouped
from generators.sources import synthetic_sequences as syn
from mintbench.items.distractors import DrawAgain
from mintbench.items.prompts import boolean_format
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.schema import Source

SYNTHETIC = Source(name=syn.NAME, version=syn.VERSION, licence=syn.LICENCE)


class OrfCheckKnobs(Knobs):
    codons: int = 15


# Two sense codons whose junction reads a stop codon out of frame (CTT|AAA holds TAA at offset 2,
# ATA|AGC holds TAA at offset 1): a true ORF carries one such decoy, so that "it contains a stop
# triplet somewhere" is no sign of a false claim, and only reading in frame tells.
_DECOYS = (("CTT", "AAA"), ("GAT", "AGC"), ("ACT", "GAC"), ("ATA", "AGC"), ("CTG", "ACC"), ("GTA", "GCA"))
# The share of false claims whose flaw shows at the ends or in the length (no ATG, no final stop,
# a base inserted): kept small, because those are read without the work.
_SURFACE_FLAWS = 0.1


def _with_decoy(rng, orf: str) -> str:
    """The ORF with one out-of-frame stop planted inside it (never touching the start or stop)."""
    codons = [orf[i : i + 3] for i in range(0, len(orf), 3)]
    k = rng.randrange(1, len(codons) - 2)
    codons[k], codons[k + 1] = rng.choice(_DECOYS)
    return "".join(codons)


def _break_orf(rng, orf: str) -> str:
    """One flaw, nearly always the one that needs the reading: an in-frame stop inside the frame,
    away from both ends. Rarely a flaw at the surface: no start codon, no stop at the end, or a
    length that is not a multiple of three."""
    if rng.random() >= _SURFACE_FLAWS:
        codons = len(orf) // 3
        k = rng.randrange(1, codons - 1) if codons < 6 else rng.randrange(codons // 5 + 1, codons - codons // 5 - 1)
        return orf[: 3 * k] + rng.choice(syn.STOP_CODONS) + orf[3 * k + 3 :]
    flaw = rng.choice(["start", "no_stop", "frame"])
    if flaw == "start":
        return rng.choice(["ATA", "GTG", "ACG", "AAG"]) + orf[3:]  # none a start codon of the standard table
    if flaw == "no_stop":
        return orf[:-3] + rng.choice(["TAC", "CAA", "TGG", "TTA"])
    k = rng.randrange(3, len(orf) - 3)
    return orf[:k] + rng.choice("ACGT") + orf[k:]


@register
class OrfCheck(Generator):
    id = "biology.orf_check"
    version = "2"  # 2: false claims are in-frame stops inside the frame, true ones carry an out-of-frame stop (issue #26: the ends and the length decided 86 %)
    domain, topic, level = "biology", "orfs", "L4"
    formats = ("true_false",)
    answer_type = "boolean"
    Config = OrfCheckKnobs
    presets = {"easy": {"codons": 6}, "medium": {}, "hard": {"codons": 40}}
    source = SYNTHETIC
    _q = {
        "en": "True or false: 5'-{s}-3' is, read from its first base under the standard genetic code, one complete open reading frame: it starts with ATG, its length is a multiple of 3, it ends with a stop codon and has no earlier in-frame stop codon.",
        "zh": "判断正误：5'-{s}-3' 从第一个碱基起按标准遗传密码读取，是一个完整的开放阅读框：以 ATG 起始，长度为 3 的倍数，以终止密码子结尾，且之前没有同框终止密码子。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p["sequence"])

    def draft(self, rng, cfg, lang, fmt_):
        orf = syn.cds(rng, cfg.codons, stop=rng.choice(syn.STOP_CODONS))
        complete = rng.random() < 0.5
        seq = _with_decoy(rng, orf) if complete else _break_orf(rng, orf)
        return Draft(
            question=self._q[lang].format(s=grouped(seq)),
            answer="true" if complete else "false",
            answer_type="boolean",
            answer_format=boolean_format(lang),
            params={"sequence": seq},
            boxed=False,
        )


class StrandClaimKnobs(Knobs):
    length: int = 30


def _slip(rng, seq: str) -> str:
    """The reverse complement with a careless reader's slip inside it, never at the ends and
    never changing which bases it holds: two neighbouring bases written in the wrong order, or a
    short run read forwards instead of backwards. The end bases and the base counts of a slipped
    claim are those of the right one (they decided 81-84 % of the claims when slips reached the
    ends or changed a base); only reading base by base tells."""
    right = reverse_complement(seq)
    lo = max(2, len(right) // 5)  # slips touch only bases lo .. len - lo - 1
    end = len(right) - lo
    for _ in range(64):
        if rng.random() < 0.5:
            k = rng.randrange(lo, end - 1)
            slipped = right[:k] + right[k + 1] + right[k] + right[k + 2 :]
        else:
            run = rng.randint(3, 4)
            k = rng.randrange(lo, end - run + 1)
            slipped = right[:k] + right[k : k + run][::-1] + right[k + run :]
        if slipped != right:
            return slipped
    raise DrawAgain("biology.strand_claim")  # a middle of one repeated base: no slip shows


@register
class StrandClaim(Generator):
    id = "biology.strand_claim"
    version = "2"  # 2: slips inside the claim that keep its ends and base counts (issue #26: the two end bases decided 81-84 %)
    domain, topic, level = "biology", "strands", "L4"
    formats = ("true_false",)
    answer_type = "boolean"
    Config = StrandClaimKnobs
    presets = {"easy": {"length": 12}, "medium": {}, "hard": {"length": 80}}
    source = SYNTHETIC
    _q = {
        "en": "True or false: the reverse complement of 5'-{s}-3' is 5'-{c}-3'.",
        "zh": "判断正误：5'-{s}-3' 的反向互补序列是 5'-{c}-3'。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p["sequence"])

    def draft(self, rng, cfg, lang, fmt_):
        seq = syn.dna(rng, cfg.length)
        true = rng.random() < 0.5
        claim = reverse_complement(seq) if true else _slip(rng, seq)
        return Draft(
            question=self._q[lang].format(s=grouped(seq), c=grouped(claim)),
            answer="true" if true else "false",
            answer_type="boolean",
            answer_format=boolean_format(lang),
            params={"sequence": seq, "claim": claim},
            boxed=False,
        )
