"""Genetic codes, strands, translation, ORFs, mutations and GC content."""

from __future__ import annotations

from typing import Literal

from Bio.Seq import reverse_complement, translate

from generators.biology._common import fmt, grouped
from generators.biology.live import live_cds
from generators.sources import biopython_data as bpd
from generators.sources import synthetic_sequences as syn
from mintbench.items.distractors import DrawAgain, slip_square
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.schema import Source, Tolerance

SYNTHETIC = Source(name=syn.NAME, version=syn.VERSION, licence=syn.LICENCE)
_TABLE_CHOICES = {"standard": [1], "common": [1, 2, 4, 5, 11], "all": None}


def _pool(which: str) -> list:
    ids = _TABLE_CHOICES[which]
    # Tables where a codon is both a stop and an amino acid (27, 28, 31) have no single answer.
    return [r for r in bpd.genetic_codes() if (ids is None or r.data["id"] in ids) and not set(r.data["stops"]) & set(r.data["forward"])]


def _table(rng, which: str):
    return rng.choice(_pool(which))


class CodeKnobs(Knobs):
    tables: Literal["standard", "common", "all"] = "common"


@register
class CodonToAmino(Generator):
    id = "biology.codon_to_amino"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "genetic_code", "L1"
    formats = ("open", "mcq")
    answer_type = "sequence"
    Config = CodeKnobs
    presets = {"easy": {"tables": "standard"}, "medium": {"tables": "common"}, "hard": {"tables": "all"}}
    _q = {
        "en": "Under NCBI genetic code {tid} ({name}), which amino acid does the DNA codon {codon} encode?",
        "zh": "在 NCBI 遗传密码表 {tid}（{name}）下，DNA 密码子 {codon} 编码哪种氨基酸？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(_pool(p['config']['tables']))

    def draft(self, rng, cfg, lang, fmt_):
        rec = _table(rng, cfg.tables)
        forward, stops = rec.data["forward"], rec.data["stops"]
        standard = bpd.genetic_codes()[0].data["forward"]
        codons = sorted(forward) + sorted(stops)
        # Under a variant code, half the questions ask about a codon the variant reads differently
        # from the standard code: drawn from all 64, only 3 in 78 did, so "code N" rarely mattered.
        differing = [c for c in codons if forward.get(c, "*") != standard.get(c, "*")]
        codon = rng.choice(differing if differing and rng.random() < 0.5 else codons)
        aa = forward.get(codon, "*")
        # Options: the standard code's reading (the trap, where it differs) and the readings of
        # random codons of the same table, so that a wrong letter is as common as a key letter.
        wrongs = [] if standard.get(codon, "*") == aa else [standard.get(codon, "*")]
        for _ in range(200):
            if len(wrongs) >= 3:
                break
            other = forward.get(rng.choice(codons), "*")
            if other != aa and other not in wrongs:
                wrongs.append(other)
        return Draft(
            question=self._q[lang].format(tid=rec.data["id"], name=rec.data["name"], codon=codon),
            answer=aa,
            answer_type="sequence",
            answer_format=fmt("amino_letter", lang),
            params={"table": rec.data["id"], "codon": codon},
            grader_args={"alphabet": "protein"},
            distractors=wrongs,
            source=rec.provenance(),
        )


@register
class AminoToCodons(Generator):
    id = "biology.amino_to_codons"
    version = "2"  # 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "genetic_code", "L1"
    answer_type = "string_set"
    Config = CodeKnobs
    presets = CodonToAmino.presets
    _q = {
        "en": "Under NCBI genetic code {tid} ({name}), list every DNA codon that encodes {aa}.",
        "zh": "在 NCBI 遗传密码表 {tid}（{name}）下，列出编码 {aa} 的所有 DNA 密码子。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(_pool(p['config']['tables']))

    def draft(self, rng, cfg, lang, fmt_):
        rec = _table(rng, cfg.tables)
        forward = rec.data["forward"]
        aa = rng.choice(sorted(set(forward.values())))
        label = "stop (*)" if aa == "*" else f"{bpd.amino_acid_names()[aa]} ({aa})"
        codons = sorted(c for c, a in forward.items() if a == aa)
        return Draft(
            question=self._q[lang].format(tid=rec.data["id"], name=rec.data["name"], aa=label),
            answer=", ".join(codons),
            answer_type="string_set",
            answer_format=fmt("codon_set", lang),
            params={"table": rec.data["id"], "amino_acid": aa},
            source=rec.provenance(),
        )


class LengthKnobs(Knobs):
    length: int = 40


_LENGTH_PRESETS = {"easy": {"length": 20}, "medium": {"length": 40}, "hard": {"length": 90}}


@register
class ReverseComplement(Generator):
    id = "biology.reverse_complement"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "strands", "L3"
    formats = ("open", "mcq")
    answer_type = "sequence"
    Config = LengthKnobs
    presets = _LENGTH_PRESETS
    source = SYNTHETIC
    _q = {
        "en": "Give the reverse complement of the DNA sequence 5'-{s}-3'.",
        "zh": "写出 DNA 序列 5'-{s}-3' 的反向互补序列。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['sequence'])

    def draft(self, rng, cfg, lang, fmt_):
        seq = syn.dna(rng, cfg.length)
        answer = reverse_complement(seq)
        # Two bases mis-paired (a purine for a purine: A for G, C for T), offered as a square
        # (mintbench.items.distractors): every option is the length of the key and differs from it
        # where a careless pairing would. The unreversed and uncomplemented strands beside one
        # mutant made the key the centre of its options (0.39), and the strand as given is ruled
        # out by reading the question.
        p, q = rng.sample(range(len(answer)), 2)
        def mispair(k: int):
            return lambda text, _d: text[:k] + syn.TRANSITION[text[k]] + text[k + 1:]

        wrongs = slip_square(rng, answer, mispair(p), mispair(q))
        return Draft(
            question=self._q[lang].format(s=grouped(seq)),
            answer=answer,
            answer_type="sequence",
            answer_format=fmt("dna", lang),
            params={"sequence": seq},
            distractors=wrongs,  # written as the key is: grouping only the distractors gave the key away
        )


def _misread(rng, seq: str, table: int, position: int) -> str | None:
    """The residue a solver writes at codon `position` after misreading one of its bases: an
    amino acid (never a stop, never the same residue), or None if no base change gives one."""
    codon = seq[3 * position: 3 * position + 3]
    right = translate(codon, table=table)
    reads = sorted({translate(codon[:k] + b + codon[k + 1:], table=table) for k in range(3) for b in "ACGT"} - {right, "*"})
    return rng.choice(reads) if reads else None


def _misread_square(rng, seq: str, table: int, protein: str) -> list[str] | None:
    """Two codons misread (positions after the start codon), alone and together."""
    if len(protein) < 3:
        return None
    p, q = rng.sample(range(1, len(protein)), 2)
    wrong_p, wrong_q = _misread(rng, seq, table, p), _misread(rng, seq, table, q)
    if wrong_p is None or wrong_q is None:
        return None
    put = lambda text, k, aa: text[:k] + aa + text[k + 1:]  # noqa: E731
    return [put(protein, p, wrong_p), put(protein, q, wrong_q), put(put(protein, p, wrong_p), q, wrong_q)]


class TranslateKnobs(Knobs):
    codons: int = 15
    tables: Literal["standard", "common", "all"] = "standard"
    # A GenBank snapshot: translate the start of a live gene, under the code its record states.
    snapshot: str | None = None


@register
class Translate(Generator):
    id = "biology.translate"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "translation", "L3"
    formats = ("open", "mcq")
    answer_type = "sequence"
    Config = TranslateKnobs
    presets = {"easy": {"codons": 8}, "medium": {"codons": 15, "tables": "common"}, "hard": {"codons": 40, "tables": "all"}}
    source = SYNTHETIC
    _q = {
        "en": "Translate the coding sequence 5'-{s}-3' from its first base with NCBI genetic code {tid} ({name}), stopping at the first stop codon (not included).",
        "zh": "用 NCBI 遗传密码表 {tid}（{name}）从第一个碱基开始翻译编码序列 5'-{s}-3'，遇到第一个终止密码子停止（终止符不写）。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['sequence']) / 3

    def draft(self, rng, cfg, lang, fmt_):
        source = None
        if cfg.snapshot:
            seq, table, source = live_cds(rng, cfg.snapshot, cfg.codons)
            rec = next(r for r in bpd.genetic_codes() if r.data["id"] == table)
        else:
            rec = _table(rng, cfg.tables)
            seq = syn.cds(rng, cfg.codons, stop="TAA")  # TAA stops in every NCBI table
        answer = translate(seq, table=rec.data["id"], to_stop=True)
        # Two codons misread by one base each, offered as a square (mintbench.items.distractors):
        # the frame-shifted, minus-strand and truncated readings made the key the centre of its
        # options (0.68 picked from the options alone).
        square = _misread_square(rng, seq, rec.data["id"], answer)
        if square is None and fmt_ == "mcq":
            raise DrawAgain(self.id)
        wrongs = square or []
        return Draft(
            question=self._q[lang].format(s=grouped(seq), tid=rec.data["id"], name=rec.data["name"]),
            answer=answer,
            answer_type="sequence",
            answer_format=fmt("protein", lang),
            params={"sequence": seq, "table": rec.data["id"]},
            grader_args={"alphabet": "protein"},
            distractors=wrongs,
            source=source,
        )


class OrfKnobs(Knobs):
    length: int = 120
    orf_codons: int = 20


@register
class LongestOrf(Generator):
    id = "biology.longest_orf"
    version = "5"  # 5: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 4: sibling options (issue #26, item 3: residues); 3: options that need the work, screened sources, stated conventions (issue #14); 2: the stated unit is accepted after the number; one-answer rule stated
    domain, topic, level = "biology", "orfs", "L3"
    formats = ("open", "mcq")
    answer_type = "integer"
    # An ORF's length in bases is a whole number of codons, and a slip of 1 is not: the multiple
    # of 3 held the key 0.34 of the time. Other sequences' ORF lengths are whole codons too.
    mcq_options = "siblings"
    Config = OrfKnobs
    presets = {"easy": {"length": 60, "orf_codons": 10}, "medium": {}, "hard": {"length": 300, "orf_codons": 45}}
    source = SYNTHETIC
    _q = {
        "en": "Consider the linear DNA 5'-{s}-3'. An ORF starts with ATG and ends at the first in-frame stop codon (TAA, TAG or TGA) under the standard code; search all six reading frames (both strands). How many nucleotides long is the longest ORF, counting the start and stop codons?",
        "zh": "考虑线性 DNA 5'-{s}-3'。开放阅读框（ORF）以 ATG 起始，止于第一个同框终止密码子（TAA、TAG 或 TGA，标准密码表）；在两条链的全部六个阅读框中查找。最长 ORF 有多少个核苷酸（包括起始和终止密码子）？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return 6 * len(p['sequence'])

    def draft(self, rng, cfg, lang, fmt_):
        orf = syn.cds(rng, cfg.orf_codons, stop=rng.choice(syn.STOP_CODONS))
        flank = syn.dna(rng, max(0, cfg.length - len(orf)))
        cut = rng.randrange(len(flank) + 1)
        seq = flank[:cut] + orf + flank[cut:]
        if rng.random() < 0.5:
            seq = reverse_complement(seq)  # the answer may sit on the minus strand
        answer = longest_orf_length(seq)
        top_only = longest_orf_length(seq, strands=(seq,))
        # Every slip a whole number of codons: an option that is not a multiple of 3 is ruled out
        # without finding any ORF (the codon count, answer // 3, was offered before).
        wrongs = [answer - 3, answer + 3, answer - 6, answer + 6] + ([top_only] if top_only != answer else [])
        return Draft(
            question=self._q[lang].format(s=grouped(seq)),
            answer=str(answer),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            grader_args={"unit": "nt"},
            params={"sequence": seq},
            distractors=[str(w) for w in wrongs if w > 0],
        )


def longest_orf_length(seq: str, strands: tuple[str, ...] | None = None) -> int:
    """Translation-based scan: every ATG in every frame, to its first stop."""
    best = 0
    for strand in strands or (seq, reverse_complement(seq)):
        for frame in range(3):
            chunk = strand[frame:]
            chunk = chunk[: len(chunk) // 3 * 3]
            protein = translate(chunk, table=1)
            for i, aa in enumerate(protein):
                if aa == "M" and chunk[3 * i : 3 * i + 3] == "ATG":
                    stop = protein.find("*", i)
                    if stop >= 0:
                        best = max(best, 3 * (stop - i + 1))
    return best


class MutationKnobs(Knobs):
    codons: int = 12


@register
class PointMutation(Generator):
    id = "biology.point_mutation"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "mutations", "L3"
    formats = ("open", "mcq")
    answer_type = "mutation_effect"
    Config = MutationKnobs
    presets = {"easy": {"codons": 6}, "medium": {"codons": 12}, "hard": {"codons": 30}}
    source = SYNTHETIC
    _q = {
        "en": "The coding sequence 5'-{s}-3' (read from its first base, standard code) gets the point mutation {pos}{old}>{new} (position {pos}, counting the first base as 1). What is the effect on the protein?",
        "zh": "编码序列 5'-{s}-3'（从第一个碱基读起，标准密码表）发生点突变 {pos}{old}>{new}（第 {pos} 位，第一个碱基记为 1）。该突变对蛋白质有什么影响？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['sequence'])

    def draft(self, rng, cfg, lang, fmt_):
        seq = syn.cds(rng, cfg.codons, stop="TAA")
        # Multiple choice offers silent, nonsense and two missense effects. Its key is silent or
        # nonsense a quarter of the time each and missense half the time, so that every option is
        # the key a quarter of the time (random mutations are mostly missense: 0.33 by guessing).
        want = rng.choices(["silent", "nonsense", "missense"], weights=[1, 1, 2])[0] if fmt_ == "mcq" else None
        for _ in range(2000):
            pos = rng.randrange(3, len(seq) - 3)  # never the start or stop codon
            new = rng.choice([b for b in "ACGT" if b != seq[pos]])
            mutant = seq[:pos] + new + seq[pos + 1:]
            codon = pos // 3
            before = translate(seq[3 * codon : 3 * codon + 3])
            after = translate(mutant[3 * codon : 3 * codon + 3])
            answer = "silent" if before == after else ("nonsense" if after == "*" else f"missense {after}")
            if want is None or answer.split()[0] == want:
                break
        else:
            raise DrawAgain(self.id)
        # The second missense option: the residue before the mutation, or, where that is the key
        # or no missense at all, another one-base change of the same codon.
        triplet = seq[3 * codon : 3 * codon + 3]
        neighbours = sorted({translate(triplet[:k] + b + triplet[k + 1:]) for k in range(3) for b in "ACGT"} - {"*", before, after})
        missense = [f"missense {after}"] if after not in ("*", before) else []
        missense += [f"missense {before}"] if before != after else []
        missense += [f"missense {x}" for x in rng.sample(neighbours, min(len(neighbours), 2 - len(missense)))]
        options = {"silent", "nonsense", *missense}
        return Draft(
            question=self._q[lang].format(s=grouped(seq), pos=pos + 1, old=seq[pos], new=new),
            answer=answer,
            answer_type="mutation_effect",
            answer_format=fmt("mutation", lang),
            params={"sequence": seq, "position": pos + 1, "new_base": new},
            distractors=sorted(options - {answer}),
        )


class GcKnobs(Knobs):
    length: int = 60
    gc_bias: float = 0.5


@register
class GcContent(Generator):
    id = "biology.gc_content"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: the stated unit is accepted after the number; one-answer rule stated
    domain, topic, level = "biology", "composition", "L3"
    formats = ("open", "mcq")
    answer_type = "number"
    Config = GcKnobs
    presets = {"easy": {"length": 20}, "medium": {"length": 60, "gc_bias": 0.45}, "hard": {"length": 150, "gc_bias": 0.62}}
    source = SYNTHETIC
    _q = {
        "en": "What is the GC content of 5'-{s}-3' in percent (G + C over all bases; the sequence has no ambiguous bases)?",
        "zh": "序列 5'-{s}-3' 的 GC 含量是多少（以百分数表示，G + C 占全部碱基的比例；序列中没有简并碱基）？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['sequence'])

    def draft(self, rng, cfg, lang, fmt_):
        seq = syn.dna(rng, cfg.length, gc=cfg.gc_bias)
        gc = 100.0 * sum(seq.count(b) for b in "GC") / len(seq)
        at = 100.0 - gc
        # Bases miscounted (one, two or three G/C too many or too few) and AT read for GC.
        wrongs = [at] + [gc + 100.0 * k / len(seq) for k in (1, 2, 3)]
        return Draft(
            question=self._q[lang].format(s=grouped(seq)),
            answer=f"{gc:.1f}",
            answer_type="number",
            answer_format=fmt("percent", lang),
            grader_args={"unit": "%"},
            params={"sequence": seq},
            tolerance=Tolerance(abs=0.1, rel=0.0),
            distractors=[f"{w:.1f}" for w in wrongs if abs(w - gc) > 0.5],
        )
