"""Design (L5) in biology: a coding sequence tuned to a GC window, graded by checking it
(validators.sequences.check_coding_sequence). Choosing among synonymous codons is the skill;
the witness is built first, so that an answer exists."""

from __future__ import annotations

from Bio.Seq import translate

from generators.biology._common import fmt
from generators.sources import biopython_data as bpd
from generators.sources import synthetic_sequences as syn
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.schema import Source

SYNTHETIC = Source(name=syn.NAME, version=syn.VERSION, licence=syn.LICENCE)


def _gc(codon: str) -> int:
    return sum(b in "GC" for b in codon)


class GcDesignKnobs(Knobs):
    length: int = 20  # residues
    window: float = 10.0  # width of the allowed GC range, in percentage points


@register
class DesignGcCoding(Generator):
    id = "biology.design_gc_coding"
    version = "1"
    domain, topic, level = "biology", "design", "L5"
    answer_type = "coding_sequence"
    Config = GcDesignKnobs
    presets = {"easy": {"length": 8, "window": 20.0}, "medium": {}, "hard": {"length": 40, "window": 4.0}}
    source = SYNTHETIC
    _q = {
        "en": "Write a DNA coding sequence (standard genetic code, start at the first base, no stop codon) that encodes the protein {p} and has a GC content between {lo} % and {hi} % (inclusive). Any sequence meeting both conditions is accepted.",
        "zh": "写出一段编码蛋白质 {p} 的 DNA 编码序列（标准遗传密码，从第一个碱基开始，不含终止密码子），其 GC 含量在 {lo}% 到 {hi}% 之间（含端点）。满足两个条件的任何序列均可。",
    }

    @staticmethod
    def work(p: dict) -> float:
        # Codons to choose, against how tight the window is.
        return len(p["protein"]) * 10 / p["config"]["window"]

    def draft(self, rng, cfg, lang, fmt_):
        forward = bpd.genetic_codes()[0].data["forward"]
        synonyms: dict[str, list[str]] = {}
        for codon, aa in sorted(forward.items()):
            synonyms.setdefault(aa, []).append(codon)
        protein = syn.protein(rng, cfg.length)
        # The reachable GC range, and a window inside it away from the sequence a solver would
        # write first (the most GC-poor codons): the choice of codons has to be worked out.
        low = sum(min(_gc(c) for c in synonyms[a]) for a in protein)
        high = sum(max(_gc(c) for c in synonyms[a]) for a in protein)
        n = 3 * len(protein)
        target = rng.uniform(low + 0.5 * (high - low), high) if high > low else low
        lo = max(0.0, round(100 * target / n - cfg.window / 2, 1))
        hi = min(100.0, round(lo + cfg.window, 1))
        # Witness: start GC-poor, then raise GC codon by codon until inside the window.
        codons = [min(synonyms[a], key=_gc) for a in protein]
        order = list(range(len(protein)))
        rng.shuffle(order)
        for k in order:
            if 100 * sum(map(_gc, codons)) / n >= lo:
                break
            codons[k] = max(synonyms[protein[k]], key=_gc)
        dna = "".join(codons)
        gc = 100 * sum(map(_gc, codons)) / n
        if not lo <= gc <= hi or translate(dna) != protein:
            raise ValueError("no witness inside the GC window")
        return Draft(
            question=self._q[lang].format(p=protein, lo=lo, hi=hi),
            answer=dna,
            answer_type="coding_sequence",
            answer_format=fmt("dna", lang),
            params={"protein": protein},
            grader_args={"protein": protein, "table": 1, "gc_percent": [lo, hi]},
        )
