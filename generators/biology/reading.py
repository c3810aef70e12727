"""Knowledge (L1) and reading (L2) in biology: amino-acid codes; REBASE cut notation; FASTA
records wrapped over lines."""

from __future__ import annotations

import io
from typing import Literal

from Bio import SeqIO
from Bio.Data import IUPACData

from generators.biology._common import fmt
from generators.sources import biopython_data as bpd
from generators.sources import synthetic_sequences as syn
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.schema import Source

SYNTHETIC = Source(name=syn.NAME, version=syn.VERSION, licence=syn.LICENCE)
IUPAC = Source(name=bpd.NAME, version=bpd.VERSION, record_id="IUPACData.protein_letters", licence=bpd.LICENCE)

# The one-letter codes a student cannot guess from the three-letter code's first letter.
_OPAQUE = {"R", "N", "D", "Q", "E", "K", "F", "W", "Y"}
_EXTENDED = {"U": "Sec", "O": "Pyl", "B": "Asx", "Z": "Glx", "J": "Xle", "X": "Xaa"}


def _codes(which: str) -> dict[str, str]:
    """One-letter code -> three-letter code for the preset's pool."""
    standard = {one: three for one, three in IUPACData.protein_letters_1to3.items()}
    if which == "transparent":
        return {k: v for k, v in standard.items() if k not in _OPAQUE}
    if which == "standard":
        return standard
    return {**standard, **_EXTENDED}


class CodeKnobs(Knobs):
    pool: Literal["transparent", "standard", "extended"] = "standard"


@register
class AminoAcidCodes(Generator):
    id = "biology.amino_acid_codes"
    version = "3"  # 3: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 2: the grader is told the one-letter code is asked, so the question's own three-letter code is no answer (issue #26)
    domain, topic, level = "biology", "amino_acids", "L1"
    formats = ("open", "mcq")
    mcq_options = "siblings"  # the codes of other amino acids in the same pool
    answer_type = "sequence"
    Config = CodeKnobs
    presets = {"easy": {"pool": "transparent"}, "medium": {}, "hard": {"pool": "extended"}}
    source = IUPAC
    _q = {
        "en": "What is the IUPAC one-letter code of the amino acid (or amino-acid symbol) whose three-letter code is {three}?",
        "zh": "三字母代码为 {three} 的氨基酸（或氨基酸符号）的 IUPAC 单字母代码是什么？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(_codes(p["config"]["pool"]))  # codes one must know

    def draft(self, rng, cfg, lang, fmt_):
        codes = _codes(cfg.pool)
        one = sorted(codes)[rng.randrange(len(codes))]
        return Draft(
            question=self._q[lang].format(three=codes[one]),
            answer=one,
            answer_type="sequence",
            answer_format=fmt("one_letter", lang),
            params={"three": codes[one]},
            grader_args={"alphabet": "protein", "one_letter": True},
        )


class SiteKnobs(Knobs):
    overhangs: Literal["five", "both"] = "both"
    notation: Literal["caret", "numeric"] = "caret"


def overhang(site: str, cut: int) -> str:
    """The single-stranded end a palindromic site cut at `cut` (top strand, 0-based after that
    many bases) leaves, read 5'->3' on the top strand; '' when blunt."""
    other = len(site) - cut  # the bottom strand's cut, mirrored onto the top
    return site[min(cut, other):max(cut, other)]


@register
class SiteNotation(Generator):
    id = "biology.site_notation"
    version = "2"  # 2: no cut at either end of the site, whose overhang is the whole site (issue #26: 14 such items)
    domain, topic, level = "biology", "restriction", "L2"
    answer_type = "sequence"
    Config = SiteKnobs
    presets = {"easy": {"overhangs": "five"}, "medium": {}, "hard": {"notation": "numeric"}}
    source = Source(name=bpd.NAME, version=bpd.VERSION, licence=bpd.LICENCE)
    _q = {
        "caret": {
            "en": "The restriction enzyme {name} has the palindromic recognition site {shown}, where ^ marks the cut in the top strand (the bottom strand is cut at the mirror position). Give the single-stranded overhang its cut leaves, as the bases on the top strand between the two cuts, 5' to 3'.",
            "zh": "限制性内切酶 {name} 的回文识别位点为 {shown}，^ 表示上链的切点（下链在对称位置切开）。给出切割后留下的单链突出端，即上链上两个切点之间的碱基，按 5' 到 3' 书写。",
        },
        "numeric": {
            "en": "The restriction enzyme {name} is written {shown}: its palindromic site, then the cut positions in the top and the bottom strand, each the number of top-strand bases from the site's first base to the cut. Give the single-stranded overhang its cut leaves, as the bases on the top strand between the two cuts, 5' to 3'.",
            "zh": "限制性内切酶 {name} 写作 {shown}：先写其回文识别位点，再写上链和下链的切点位置，均为从位点第一个碱基到切点之间的上链碱基数。给出切割后留下的单链突出端，即上链上两个切点之间的碱基，按 5' 到 3' 书写。",
        },
    }

    @staticmethod
    def work(p: dict) -> float:
        # Mirroring the cut (both kinds of end), and decoding positions instead of a caret.
        return len(p["site"]) * (1 + (p["config"]["overhangs"] == "both") + (p["config"]["notation"] == "numeric"))

    def draft(self, rng, cfg, lang, fmt_):
        records = [
            r for r in bpd.enzymes()[0]
            if r.data["palindromic"] and overhang(r.data["site"], r.data["cut"]) and 0 < r.data["cut"] < len(r.data["site"])
            and (cfg.overhangs == "both" or r.data["cut"] < len(r.data["site"]) / 2)
        ]
        rec = records[rng.randrange(len(records))]
        site, cut = rec.data["site"], rec.data["cut"]
        shown = f"5'-{site[:cut]}^{site[cut:]}-3'" if cfg.notation == "caret" else f"{site} ({cut}/{len(site) - cut})"
        return Draft(
            question=self._q[cfg.notation][lang].format(name=rec.data["name"], shown=shown),
            answer=overhang(site, cut),
            answer_type="sequence",
            answer_format=fmt("dna", lang),
            params={"enzyme": rec.data["name"], "site": site, "cut": cut},
            source=rec.provenance(),
        )


class FastaKnobs(Knobs):
    records: int = 4
    length: int = 150
    width: int = 60


@register
class FastaReading(Generator):
    id = "biology.fasta_reading"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: slips of a line and of a base only (issue #26, item 3: 0.31 to an answer-free classifier); 2: headers no longer say how many lines a record has (issue #26: N lines x width left one option in 13/75 items)
    domain, topic, level = "biology", "records", "L2"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = FastaKnobs
    presets = {"easy": {"records": 2, "length": 80}, "medium": {}, "hard": {"records": 6, "length": 400, "width": 70}}
    source = SYNTHETIC
    _q = {
        "en": "Here is a FASTA file:\n{fasta}\nHow many bases long is the sequence of the record with identifier {rid}?",
        "zh": "下面是一个 FASTA 文件：\n{fasta}\n标识符为 {rid} 的记录的序列有多少个碱基？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p["fasta"])  # characters to read

    def draft(self, rng, cfg, lang, fmt_):
        ids = rng.sample([f"seq{k}" for k in range(1, 10)], cfg.records)
        lengths = [rng.randint(cfg.length // 2, cfg.length) for _ in ids]
        chunks = []
        for rid, n in zip(ids, lengths):
            seq = syn.dna(rng, n)
            lines = [seq[i : i + cfg.width] for i in range(0, n, cfg.width)]
            chunks.append("\n".join([f">{rid} synthetic record", *lines]))
        fasta = "\n".join(chunks)
        pick = rng.randrange(len(ids))
        n = lengths[pick]
        # Slips: a line missed, a base miscounted. Not the last line counted as full: that option
        # was a whole number of lines, which a key rarely is, and so never the key (0.31); nor a
        # neighbouring record's length, whose sizes left the key the largest option too often
        # (0.30); nor options from other files, which counting the record's lines rules out.
        wrongs = [n - cfg.width if n > cfg.width else n + cfg.width, n + 1, n - 1]
        return Draft(
            question=self._q[lang].format(fasta=fasta, rid=ids[pick]),
            answer=str(n),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            grader_args={"unit": "nt"},
            params={"fasta": fasta, "record": ids[pick]},
            distractors=[str(w) for w in wrongs],
        )


def fasta_length(fasta: str, record: str) -> int:
    """Independent read: Biopython's FASTA parser."""
    return next(len(r.seq) for r in SeqIO.parse(io.StringIO(fasta), "fasta") if r.id == record)
