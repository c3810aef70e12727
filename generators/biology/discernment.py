"""Discernment (L4) in biology: is a sequence a complete open reading frame; is a claimed
reverse complement right. Half the claims hold, by construction; the rest carry one slip a
careless reader makes."""

from __future__ import annotations

from Bio.Seq import reverse_complement

from generators.biology._common import grouped
from generators.sources import synthetic_sequences as syn
from mintbench.items.prompts import boolean_format
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.schema import Source

SYNTHETIC = Source(name=syn.NAME, version=syn.VERSION, licence=syn.LICENCE)


class OrfCheckKnobs(Knobs):
    codons: int = 15


def _break_orf(rng, orf: str) -> str:
    """One flaw: no start codon, an in-frame stop before the end, no stop at the end, or a
    length that is not a multiple of three (one base inserted)."""
    flaw = rng.choice(["start", "early_stop", "no_stop", "frame"])
    if flaw == "start":
        return rng.choice(["ATA", "GTG", "ACG", "AAG"]) + orf[3:]  # none a start codon of the standard table
    if flaw == "early_stop":
        k = rng.randrange(1, len(orf) // 3 - 1)
        return orf[: 3 * k] + rng.choice(syn.STOP_CODONS) + orf[3 * k + 3 :]
    if flaw == "no_stop":
        return orf[:-3] + rng.choice(["TAC", "CAA", "TGG", "TTA"])
    k = rng.randrange(3, len(orf) - 3)
    return orf[:k] + rng.choice("ACGT") + orf[k:]


@register
class OrfCheck(Generator):
    id = "biology.orf_check"
    version = "1"
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
        seq = orf if complete else _break_orf(rng, orf)
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
    """The reverse complement as a careless reader writes it: only reversed, only complemented,
    or with one base paired wrongly."""
    right = reverse_complement(seq)
    kind = rng.choice(["reverse", "complement", "mispair"])
    if kind == "reverse":
        return seq[::-1]
    if kind == "complement":
        return right[::-1]
    k = rng.randrange(len(right))
    return right[:k] + syn.TRANSITION[right[k]] + right[k + 1 :]


@register
class StrandClaim(Generator):
    id = "biology.strand_claim"
    version = "1"
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
        if not true and claim == reverse_complement(seq):  # a palindrome: its reversal is its reverse complement
            raise ValueError("the slip left the reverse complement unchanged")
        return Draft(
            question=self._q[lang].format(s=grouped(seq), c=grouped(claim)),
            answer="true" if true else "false",
            answer_type="boolean",
            answer_format=boolean_format(lang),
            params={"sequence": seq, "claim": claim},
            boxed=False,
        )
