"""Restriction digests, protein mass and pI, primer Tm, PCR products and alignment scores."""

from __future__ import annotations

from Bio import Restriction
from Bio.Align import PairwiseAligner
from Bio.Seq import Seq, reverse_complement
from Bio.SeqUtils.IsoelectricPoint import IsoelectricPoint
from Bio.SeqUtils.ProtParam import ProteinAnalysis

from generators.biology._common import fmt, grouped
from generators.biology.live import live_peptide
from generators.sources import biopython_data as bpd
from generators.sources import synthetic_sequences as syn
from mintbench.items.distractors import DrawAgain, slip_square
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.schema import Source, Tolerance
from validators.sequences import wallace_tm

SYNTHETIC = Source(name=syn.NAME, version=syn.VERSION, licence=syn.LICENCE)


def _multiset(values) -> str:
    return "{" + ", ".join(str(v) for v in sorted(values, reverse=True)) + "}"


class DigestKnobs(Knobs):
    length: int = 300
    enzymes: int = 1
    sites_per_enzyme: int = 2
    circular_share: float = 0.5


@register
class RestrictionFragments(Generator):
    id = "biology.restriction_fragments"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: the stated unit is accepted after the number; one-answer rule stated
    domain, topic, level = "biology", "restriction", "L3"
    formats = ("open", "mcq")
    answer_type = "multiset"
    Config = DigestKnobs
    presets = {
        "easy": {"length": 120, "enzymes": 1, "sites_per_enzyme": 1, "circular_share": 0.0},
        "medium": {"length": 300, "enzymes": 1, "sites_per_enzyme": 2},
        "hard": {"length": 600, "enzymes": 2, "sites_per_enzyme": 2},
    }
    source = SYNTHETIC
    _q = {
        "en": "A {topology} DNA molecule of {n} bp has this top-strand sequence:\n5'-{s}-3'\nIt is digested to completion with {enz}. Give the lengths of all resulting fragments, measured on the top strand between cut positions.",
        "zh": "一个长 {n} bp 的{topology} DNA 分子，其上链序列为：\n5'-{s}-3'\n用 {enz} 完全酶切。给出所有酶切片段的长度（按上链上相邻切点之间的距离计算）。",
    }
    _topology = {"en": {True: "circular", False: "linear"}, "zh": {True: "环状", False: "线性"}}

    @staticmethod
    def work(p: dict) -> float:
        return len(p['sequence']) * len(p['enzymes'])

    def draft(self, rng, cfg, lang, fmt_):
        records = [r for r in bpd.enzymes()[0] if r.data["palindromic"] and len(r.data["site"]) == 6]
        chosen = rng.sample(records, cfg.enzymes)
        sites = [r.data["site"] for r in chosen]
        circular = rng.random() < cfg.circular_share
        seq = syn.scrub(rng, syn.dna(rng, cfg.length), sites, circular=True)
        slots = rng.sample(range(10, cfg.length - 16, 12), cfg.enzymes * cfg.sites_per_enzyme)
        for k, r in enumerate(chosen):
            seq = syn.plant(seq, r.data["site"], slots[k * cfg.sites_per_enzyme : (k + 1) * cfg.sites_per_enzyme])
        batch = Restriction.RestrictionBatch([getattr(Restriction, r.data["name"]) for r in chosen])
        analysis = Restriction.Analysis(batch, Seq(seq), linear=not circular)
        cuts = sorted({pos - 1 for positions in analysis.full().values() for pos in positions})
        fragments = _fragments(cuts, len(seq), circular)
        enz = " + ".join(f"{r.data['name']} ({r.data['site'][:r.data['cut']]}^{r.data['site'][r.data['cut']:]})" for r in chosen)
        # Two cuts misplaced, offered as a square (mintbench.items.distractors): one by the
        # enzyme's cut offset (cut at the start of its site), one by a whole site length. The
        # fragments still add up to the molecule, so the sum rules none out. Wrong topology, an
        # uncut molecule and shifted lists made the key the centre of its options (0.54).
        offset = max(1, chosen[0].data["cut"])
        p, q = rng.randrange(len(cuts)), rng.randrange(len(cuts))

        def misplace(index: int, size: int):
            def slip(at, d):
                moved = sorted(c + d * size if e == index else c for e, c in enumerate(at))
                inside = all(0 < c < len(seq) for c in moved) and len(set(moved)) == len(moved)
                return moved if inside and all(f > 0 for f in _fragments(moved, len(seq), circular)) else None
            return slip

        square = slip_square(rng, cuts, misplace(p, offset), misplace(q, 6)) if cuts else None
        wrongs = [_multiset(_fragments(c, len(seq), circular)) for c in square or []]
        if fmt_ == "mcq" and len({_multiset(fragments), *wrongs}) < 4:
            raise DrawAgain(self.id)
        return Draft(
            question=self._q[lang].format(topology=self._topology[lang][circular], n=len(seq), s=grouped(seq), enz=enz),
            answer=_multiset(fragments),
            answer_type="multiset",
            answer_format=fmt("fragments", lang),
            grader_args={"unit": "bp"},
            params={"sequence": seq, "circular": circular, "enzymes": [r.data for r in chosen]},
            distractors=wrongs,
            source=SYNTHETIC.model_copy(update={"record_id": ",".join(r.record_id for r in chosen)}),
        )


def _fragments(cuts: list[int], n: int, circular: bool) -> list[int]:
    """Top-strand lengths between cut positions (0-based, cut before that base)."""
    if not cuts:
        return [n]
    if circular:
        return [b - a for a, b in zip(cuts, cuts[1:])] + [n - cuts[-1] + cuts[0]]
    edges = [0, *cuts, n]
    return [b - a for a, b in zip(edges, edges[1:]) if b > a]


class ProteinKnobs(Knobs):
    length: int = 30
    # A GenBank snapshot (monthly refresh, `mintbench sources fetch-ncbi`): peptides from live genes.
    snapshot: str | None = None


@register
class ProteinMass(Generator):
    id = "biology.protein_mass"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: the stated unit is accepted after the number; one-answer rule stated
    domain, topic, level = "biology", "proteins", "L3"
    formats = ("open", "mcq")
    answer_type = "number"
    Config = ProteinKnobs
    presets = {"easy": {"length": 8}, "medium": {"length": 30}, "hard": {"length": 120}}
    source = SYNTHETIC
    _q = {
        "en": "What is the average molecular mass of the linear peptide {p}? Use average isotopic residue masses, count one water for the free termini, and ignore modifications.",
        "zh": "线性多肽 {p} 的平均分子量是多少？使用平均同位素残基质量，加上末端的一个水分子，忽略任何修饰。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['protein'])

    def draft(self, rng, cfg, lang, fmt_):
        p, source = live_peptide(rng, cfg.snapshot, cfg.length) if cfg.snapshot else (syn.protein(rng, cfg.length), None)
        mass = ProteinAnalysis(p).molecular_weight()
        wrongs = [mass - 18.02, mass + 18.02, mass * 1.01, mass - 128.17]
        return Draft(
            question=self._q[lang].format(p=grouped(p)),
            answer=f"{mass:.2f}",
            answer_type="number",
            answer_format=fmt("dalton", lang),
            grader_args={"unit": "Da"},
            params={"protein": p},
            tolerance=Tolerance(abs=0.5, rel=0.0),
            distractors=[f"{w:.2f}" for w in wrongs],
            source=source,
        )


@register
class ProteinPI(Generator):
    id = "biology.protein_pi"
    version = "2"  # 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "proteins", "L3"
    answer_type = "number"
    Config = ProteinKnobs
    presets = ProteinMass.presets
    source = SYNTHETIC
    _q = {
        "en": "Estimate the isoelectric point of the peptide {p} with the Bjellqvist pK values used by ExPASy ProtParam (terminal-specific pKs as in Biopython's IsoelectricPoint; pH searched over 0-14).",
        "zh": "用 ExPASy ProtParam 使用的 Bjellqvist pK 值（末端 pK 同 Biopython IsoelectricPoint；在 pH 0-14 范围内求解）估算多肽 {p} 的等电点。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['protein'])

    def draft(self, rng, cfg, lang, fmt_):
        p, source = live_peptide(rng, cfg.snapshot, cfg.length) if cfg.snapshot else (syn.protein(rng, cfg.length), None)
        # Searched over the whole pH scale: ProteinAnalysis clamps its search to 4.05-12.
        pi = IsoelectricPoint(p).pi(min_=0.0, max_=14.0)
        return Draft(
            question=self._q[lang].format(p=grouped(p)),
            answer=f"{pi:.2f}",
            answer_type="number",
            answer_format=fmt("ph", lang),
            params={"protein": p},
            tolerance=Tolerance(abs=0.05, rel=0.0),
            source=source,
        )


class TmKnobs(Knobs):
    length: int = 18


@register
class PrimerTm(Generator):
    id = "biology.primer_tm"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: the stated unit is accepted after the number; one-answer rule stated
    domain, topic, level = "biology", "primers", "L3"
    formats = ("open", "mcq")
    answer_type = "number"
    Config = TmKnobs
    presets = {"easy": {"length": 12}, "medium": {"length": 18}, "hard": {"length": 24}}
    source = SYNTHETIC
    _q = {
        "en": "Estimate the melting temperature of the primer 5'-{p}-3' with the Wallace rule (2 °C per A or T, 4 °C per G or C).",
        "zh": "用 Wallace 规则（每个 A 或 T 计 2 °C，每个 G 或 C 计 4 °C）估算引物 5'-{p}-3' 的解链温度。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['primer'])

    def draft(self, rng, cfg, lang, fmt_):
        p = syn.dna(rng, cfg.length)
        tm = wallace_tm(p)
        at, gc = sum(p.count(b) for b in "AT"), sum(p.count(b) for b in "GC")
        wrongs = [4 * at + 2 * gc, tm + 2, tm - 2, 2 * len(p)]
        return Draft(
            question=self._q[lang].format(p=p),
            answer=f"{tm:g}",
            answer_type="number",
            answer_format=fmt("celsius", lang),
            grader_args={"unit": "°C"},
            params={"primer": p},
            tolerance=Tolerance(abs=0.5, rel=0.0),
            distractors=[f"{w:g}" for w in wrongs if abs(w - tm) > 0.5],
        )


class PcrKnobs(Knobs):
    length: int = 200
    primer_length: int = 18


@register
class PcrProduct(Generator):
    id = "biology.pcr_product"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: the stated unit is accepted after the number; one-answer rule stated
    domain, topic, level = "biology", "primers", "L3"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = PcrKnobs
    presets = {"easy": {"length": 100, "primer_length": 15}, "medium": {}, "hard": {"length": 500, "primer_length": 22}}
    source = SYNTHETIC
    _q = {
        "en": "Template (top strand):\n5'-{t}-3'\nForward primer 5'-{f}-3', reverse primer 5'-{r}-3'. How long is the PCR product in bp, primers included?",
        "zh": "模板（上链）：\n5'-{t}-3'\n正向引物 5'-{f}-3'，反向引物 5'-{r}-3'。PCR 产物长度是多少 bp（包括引物）？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['template'])

    def draft(self, rng, cfg, lang, fmt_):
        k = cfg.primer_length
        while True:
            t = syn.dna(rng, cfg.length)
            a = rng.randrange(0, cfg.length // 3)
            b = rng.randrange(2 * cfg.length // 3, cfg.length - k)
            f, r = t[a : a + k], reverse_complement(t[b : b + k])
            if t.count(f) == 1 and t.count(reverse_complement(r)) == 1 and f not in reverse_complement(t):
                break
        size = b + k - a
        # Mistakes on both sides of the key: with only the short ones the key was always the largest
        # but one (an answer-free classifier read it off 100 % of the time).
        wrongs = [size - k, size - 2 * k, b - a, size + 1, size + k, size + 2 * k]
        return Draft(
            question=self._q[lang].format(t=grouped(t), f=f, r=r),
            answer=str(size),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            grader_args={"unit": "bp"},
            params={"template": t, "forward": f, "reverse": r},
            distractors=[str(w) for w in wrongs],
        )


class AlignKnobs(Knobs):
    length: int = 12
    mutations: int = 3


SCORING = {"match": 2, "mismatch": -1, "gap": -2}


def aligner() -> PairwiseAligner:
    a = PairwiseAligner()
    a.mode = "global"
    a.match_score, a.mismatch_score = SCORING["match"], SCORING["mismatch"]
    a.open_gap_score = a.extend_gap_score = SCORING["gap"]
    return a


@register
class AlignmentScore(Generator):
    id = "biology.alignment_score"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "biology", "alignment", "L3"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = AlignKnobs
    presets = {"easy": {"length": 6, "mutations": 1}, "medium": {}, "hard": {"length": 25, "mutations": 6}}
    source = SYNTHETIC
    _q = {
        "en": "What is the optimal global alignment score of {a} and {b} with match +2, mismatch -1 and a linear gap penalty of -2 per gapped position (Needleman-Wunsch)?",
        "zh": "在匹配 +2、错配 -1、每个空位 -2（线性空位罚分，Needleman-Wunsch）的记分下，{a} 与 {b} 的最优全局比对得分是多少？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return len(p['a']) * len(p['b'])

    def draft(self, rng, cfg, lang, fmt_):
        a = syn.dna(rng, cfg.length)
        b = list(a)
        for _ in range(cfg.mutations):
            kind, i = rng.choice(["sub", "ins", "del"]), rng.randrange(len(b))
            if kind == "sub":
                b[i] = rng.choice([x for x in "ACGT" if x != b[i]])
            elif kind == "ins":
                b.insert(i, rng.choice("ACGT"))
            elif len(b) > 2:
                del b[i]
        b = "".join(b)
        score = int(aligner().score(a, b))
        ungapped = sum(SCORING["match"] if x == y else SCORING["mismatch"] for x, y in zip(a, b))
        wrongs = [score + 1, score - 2, ungapped, score + 2]
        return Draft(
            question=self._q[lang].format(a=a, b=b),
            answer=str(score),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={"a": a, "b": b, "scoring": SCORING},
            distractors=[str(w) for w in wrongs],
        )
