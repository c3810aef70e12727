"""Reading a GenBank record (L2), spotting a wrong step (L4), and designs (L5): primer pairs
and recoded genes graded by constraint checkers."""

from __future__ import annotations

import io
from functools import lru_cache

from Bio import SeqIO
from pydantic import Field
from Bio.Seq import Seq, reverse_complement, translate
from Bio.SeqFeature import FeatureLocation, SeqFeature
from Bio.SeqRecord import SeqRecord

from generators.biology._common import fmt, grouped
from generators.sources import biopython_data as bpd
from generators.sources import ncbi_live
from generators.sources import synthetic_sequences as syn
from mintbench.items.prompts import choice_format
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.schema import Source
from validators.sequences import check_coding_sequence, check_primer_pair, wallace_tm

SYNTHETIC = Source(name=syn.NAME, version=syn.VERSION, licence=syn.LICENCE)


def synthetic_record(rng, n_genes: int, accession: str) -> SeqRecord:
    """A GenBank record with genes on both strands, each with a CDS feature."""
    parts, features, pos = [], [], 0
    for k in range(n_genes):
        spacer = syn.dna(rng, rng.randint(20, 60))
        gene = syn.cds(rng, rng.randint(8, 25), stop="TAA")
        strand = rng.choice([1, -1])
        parts += [spacer, gene if strand == 1 else reverse_complement(gene)]
        start = pos + len(spacer)
        loc = FeatureLocation(start, start + len(gene), strand=strand)
        name = f"gen{k + 1}{'ABCDEFGH'[rng.randrange(8)]}"
        features.append(SeqFeature(loc, type="gene", qualifiers={"gene": [name]}))
        features.append(SeqFeature(loc, type="CDS", qualifiers={"gene": [name], "product": [f"hypothetical protein {name.upper()}"], "transl_table": ["11"], "translation": [translate(gene, table=11, to_stop=True)]}))
        pos = start + len(gene)
    seq = "".join(parts) + syn.dna(rng, 30)
    rec = SeqRecord(Seq(seq), id=accession, name=accession.split(".")[0], description="Synthetic construct, complete sequence", features=features)
    rec.annotations = {"molecule_type": "DNA", "topology": "linear", "data_file_division": "SYN", "date": "01-JAN-2026", "organism": "synthetic construct"}
    return rec


def genbank_text(rec: SeqRecord) -> str:
    buf = io.StringIO()
    SeqIO.write(rec, buf, "genbank")
    return buf.getvalue()


QUESTIONS = {
    "minus_cds": {"en": "How many CDS features lie on the minus (complement) strand?", "zh": "有多少个 CDS 特征位于负链（互补链）上？"},
    "protein_length": {"en": "How many amino acids long is the protein encoded by gene {gene} (stop not counted)?", "zh": "基因 {gene} 编码的蛋白质有多少个氨基酸（不计终止）？"},
    # Coordinates on the top strand, whichever strand the gene is on: for a complement gene the
    # lowest coordinate is where its coding sequence ends (12 of 60 items left this unsaid).
    "gene_start": {
        "en": "What is the lowest coordinate covered by the gene {gene} feature, numbered 1-based along the top strand as the record prints its location (for a gene on the complement strand, this is the end where its coding sequence stops)?",
        "zh": "基因 {gene} 特征覆盖的最小坐标是多少？按记录打印位置的方式沿上链从 1 开始编号（若该基因位于互补链，此处是其编码序列终止的一端）。",
    },
}


def record_question(rng, rec: SeqRecord, lang: str) -> tuple[str, int, dict]:
    """(question, integer answer, params) about a parsed GenBank record."""
    cds = [f for f in rec.features if f.type == "CDS" and len(f.location.parts) == 1]
    kind = rng.choice(sorted(QUESTIONS))
    if kind == "minus_cds" or not cds:
        return QUESTIONS["minus_cds"][lang], sum(1 for f in cds if f.location.strand == -1), {"kind": "minus_cds"}
    feature = rng.choice(cds)
    gene = feature.qualifiers.get("gene", feature.qualifiers.get("locus_tag", ["?"]))[0]
    if kind == "protein_length":
        return QUESTIONS[kind][lang].format(gene=gene), len(feature.location) // 3 - 1, {"kind": kind, "gene": gene}
    return QUESTIONS[kind][lang].format(gene=gene), int(feature.location.start) + 1, {"kind": kind, "gene": gene}


class GenbankKnobs(Knobs):
    genes: int = 3
    # A snapshot written by `mintbench sources fetch-ncbi`: ask about live records instead.
    snapshot: str | None = None


@lru_cache(maxsize=4)
def _snapshot(path: str) -> list:
    return ncbi_live.load_snapshot(path)


@register
class GenbankFacts(Generator):
    id = "biology.genbank_facts"
    version = "3"  # 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "records", "L2"
    answer_type = "integer"
    Config = GenbankKnobs
    presets = {"easy": {"genes": 2}, "medium": {"genes": 3}, "hard": {"genes": 6}}
    source = SYNTHETIC
    _q = {"en": "Read this GenBank record.\n\n{gb}\n{question}", "zh": "阅读以下 GenBank 记录。\n\n{gb}\n{question}"}

    @staticmethod
    def work(p: dict) -> float:
        return len(p['genbank'])

    def draft(self, rng, cfg, lang, fmt_):
        source = None
        if cfg.snapshot:
            live = rng.choice(_snapshot(cfg.snapshot))
            gb, source = live.data["genbank"], live.provenance()
        else:
            accession = f"SYN{rng.randrange(10**6):06d}.1"
            gb = genbank_text(synthetic_record(rng, cfg.genes, accession))
        question, answer, params = record_question(rng, SeqIO.read(io.StringIO(gb), "genbank"), lang)
        return Draft(
            source=source,
            question=self._q[lang].format(gb=gb, question=question),
            answer=str(answer),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={**params, "genbank": gb},
        )


class WrongStepKnobs(Knobs):
    codons: int = Field(default=5, ge=5)


@register
class TranslationWrongStep(Generator):
    id = "biology.wrong_step"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "error_spotting", "L4"
    formats = ("mcq",)
    answer_type = "choice"
    Config = WrongStepKnobs
    presets = {"easy": {"codons": 5}, "medium": {"codons": 7}, "hard": {"codons": 10}}  # four steps after the start codon to offer
    source = SYNTHETIC
    _q = {
        "en": "A student translates 5'-{s}-3' codon by codon with the standard genetic code:\n{steps}\nWhich step is the first wrong one?",
        "zh": "一名学生用标准遗传密码逐个密码子翻译 5'-{s}-3'：\n{steps}\n第一个出错的是哪一步？",
    }
    _step = {"en": "Step {i}: {codon} -> {aa}", "zh": "第 {i} 步：{codon} -> {aa}"}
    _option = {"en": "Step {i}", "zh": "第 {i} 步"}

    @staticmethod
    def work(p: dict) -> float:
        return len(p['codons'])

    def draft(self, rng, cfg, lang, fmt_):
        seq = syn.cds(rng, cfg.codons, stop=None)
        codons = [seq[i : i + 3] for i in range(0, len(seq), 3)]
        forward = bpd.genetic_codes()[0].data["forward"]
        amino = [forward[c] for c in codons]
        # Step 1 (the start codon) is never the slip, so it is never offered. The key's rank among
        # the four offered steps is drawn first, so that it is uniform (a random wrong step among
        # steps 2-n put the key late among the options).
        rank = rng.randrange(4)
        bad = rng.choice([b for b in range(1 + rank, len(codons) - (3 - rank))])
        # Plausible slip: reading the codon backwards or on the wrong strand.
        slip = forward.get(codons[bad][::-1]) or forward.get(reverse_complement(codons[bad]))
        if not slip or slip == amino[bad]:
            slip = next(a for a in "WCMYH" if a != amino[bad])
        shown = amino[:bad] + [slip] + amino[bad + 1:]
        steps = "\n".join(self._step[lang].format(i=i + 1, codon=c, aa=a) for i, (c, a) in enumerate(zip(codons, shown)))
        picks = sorted(rng.sample(range(1, bad), rank) + rng.sample(range(bad + 1, len(codons)), 3 - rank) + [bad])
        options = [self._option[lang].format(i=i + 1) for i in picks]
        return Draft(
            question=self._q[lang].format(s=grouped(seq), steps=steps),
            answer="ABCD"[picks.index(bad)],
            answer_type="choice",
            answer_format=choice_format(lang),
            params={"choices": options, "codons": codons, "shown": shown},
            grader_args={"n_choices": 4},
        )


class PrimerDesignKnobs(Knobs):
    length: int = 300
    product_min: int = 150
    product_max: int = 250


@register
class PrimerDesign(Generator):
    id = "biology.primer_design"
    version = "2"  # 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "design", "L5"
    answer_type = "primer_pair"
    Config = PrimerDesignKnobs
    presets = {"easy": {"length": 200, "product_min": 100, "product_max": 190}, "medium": {}, "hard": {"length": 600, "product_min": 300, "product_max": 340}}
    source = SYNTHETIC
    _q = {
        "en": "Design a PCR primer pair for this template (top strand):\n5'-{t}-3'\nConstraints: each primer 18-24 nt, exact match to the template, binding it exactly once; Wallace-rule Tm (2 °C per A/T, 4 °C per G/C) between 52 and 64 °C for each; Tm values within 4 °C of each other; product {lo}-{hi} bp (primers included). Any pair meeting every constraint is accepted.",
        "zh": "为以下模板（上链）设计一对 PCR 引物：\n5'-{t}-3'\n要求：每条引物 18-24 nt，与模板完全匹配且只结合一次；按 Wallace 规则（A/T 计 2 °C，G/C 计 4 °C）每条引物 Tm 在 52-64 °C 之间；两条引物 Tm 相差不超过 4 °C；产物长度 {lo}-{hi} bp（含引物）。满足全部条件的任何引物对都可以。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return p['config']['length'] / (p['config']['product_max'] - p['config']['product_min'] + 1)

    def draft(self, rng, cfg, lang, fmt_):
        args = {"length": [18, 24], "tm": [52.0, 64.0], "product": [cfg.product_min, cfg.product_max], "max_tm_difference": 4.0}
        for _ in range(200):
            template = syn.dna(rng, cfg.length, gc=0.5)
            witness = _find_pair(template, args)
            if witness:
                break
        else:
            raise RuntimeError("no primer pair found for the drawn templates")
        return Draft(
            question=self._q[lang].format(t=grouped(template), lo=cfg.product_min, hi=cfg.product_max),
            answer=", ".join(witness),
            answer_type="primer_pair",
            answer_format=fmt("primer_pair", lang),
            params={},
            grader_args={**args, "template": template},
        )


def _find_pair(template: str, args: dict) -> tuple[str, str] | None:
    """A witness pair, so the question is answerable; the grader accepts any valid pair."""
    for k in range(18, 25):
        for a in range(0, len(template) - args["product"][0]):
            f = template[a : a + k]
            if not args["tm"][0] <= wallace_tm(f) <= args["tm"][1]:
                continue
            for size in range(args["product"][0], args["product"][1] + 1):
                end = a + size
                if end > len(template):
                    break
                r = reverse_complement(template[end - k : end])
                if check_primer_pair(f, r, {**args, "template": template}) is None:
                    return f, r
    return None


class RecodeKnobs(Knobs):
    length: int = 30


@register
class CodonOptimise(Generator):
    id = "biology.recode_avoiding_site"
    version = "2"  # 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "design", "L5"
    answer_type = "coding_sequence"
    Config = RecodeKnobs
    presets = {"easy": {"length": 12}, "medium": {"length": 30}, "hard": {"length": 80}}
    source = SYNTHETIC
    _q = {
        "en": "Write a DNA coding sequence (standard genetic code, start at the first base, no stop codon) that encodes the protein {p} and contains no {enz} site ({site}) on either strand. Any sequence meeting both conditions is accepted.",
        "zh": "写出一段编码蛋白质 {p} 的 DNA 编码序列（标准遗传密码，从第一个碱基开始，不含终止密码子），且两条链上都不含 {enz} 位点（{site}）。满足两个条件的任何序列都可以。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return p['config']['length']

    def draft(self, rng, cfg, lang, fmt_):
        enzyme = rng.choice([r for r in bpd.enzymes()[0] if len(r.data["site"]) == 6])
        site = enzyme.data["site"]
        protein = translate(site[:6], table=1) if "*" not in translate(site[:6], table=1) else ""
        protein = (syn.protein(rng, cfg.length - len(protein) - 1) + protein + syn.protein(rng, 2)[1:])[: cfg.length]
        forward = bpd.genetic_codes()[0].data["forward"]
        by_aa: dict[str, list[str]] = {}
        for codon, aa in sorted(forward.items()):
            by_aa.setdefault(aa, []).append(codon)
        args = {"protein": protein, "avoid": [site], "table": 1}
        for _ in range(500):
            dna = "".join(rng.choice(by_aa[a]) for a in protein)
            if check_coding_sequence(dna, args) is None:
                break
        else:
            raise RuntimeError("no recoding avoids the site")
        return Draft(
            question=self._q[lang].format(p=protein, enz=enzyme.data["name"], site=site),
            answer=dna,
            answer_type="coding_sequence",
            answer_format=fmt("dna", lang),
            params={"enzyme": enzyme.data["name"]},
            grader_args=args,
            source=enzyme.provenance(),
        )
