"""Biology grading beyond single strings: designs, strands, frames and topology."""

from Bio.Seq import reverse_complement

from mintbench.items.registry import build_item
from validators.grade import grade_response
from validators.sequences import check_primer_pair, wallace_tm


def _ask(item, text):
    return grade_response(item, f"<answer>{text}</answer>").status


def test_a_valid_alternative_primer_design_is_accepted():
    item = build_item("biology.primer_design", 1, 0)
    args = item.grader_args
    template = args["template"]
    witness = tuple(item.answer.split(", "))
    alternatives = []
    for k in range(18, 25):
        for a in range(0, 60):
            f = template[a : a + k]
            for size in range(args["product"][0], args["product"][1] + 1):
                end = a + size
                r = reverse_complement(template[end - k : end]) if end <= len(template) else ""
                if r and (f, r) != witness and check_primer_pair(f, r, args) is None:
                    alternatives.append((f, r))
                    break
            if len(alternatives) >= 3:
                break
    assert alternatives, "template admits other designs"
    for f, r in alternatives:
        assert _ask(item, f"{f}, {r}") == "correct"
    f, r = alternatives[0]
    assert _ask(item, f"{r}, {f}") == "wrong"  # swapped: the forward primer binds the wrong strand
    assert _ask(item, f"{f}, {reverse_complement(r)}") == "wrong"  # reverse primer given on the top strand


def test_primer_tm_window_is_enforced():
    assert wallace_tm("ATGC") == 12.0


def test_wrong_strand_and_frame_shift_are_wrong():
    rc = build_item("biology.reverse_complement", 1, 0, fmt="open")
    seq = rc.params["sequence"]
    assert _ask(rc, rc.answer) == "correct"
    assert _ask(rc, seq) == "wrong"  # the input strand, not its reverse complement
    from Bio.Seq import translate

    def shifted(item):
        seq = item.params["sequence"]
        return translate(seq[1:][: (len(seq) - 1) // 3 * 3]).split("*")[0]

    # An item whose shifted frame reads at least three residues before a stop.
    tr = next(it for it in (build_item("biology.translate", 1, i, fmt="open") for i in range(50)) if len(shifted(it)) >= 3)
    assert _ask(tr, tr.answer) == "correct"
    assert _ask(tr, shifted(tr)) == "wrong"


def test_linear_answer_to_circular_digest_is_wrong():
    item = next(
        it for i in range(50)
        if (it := build_item("biology.restriction_fragments", 1, i, fmt="open")).params["circular"]
    )
    from validators.proofs.biology import digest

    linear = digest(item.params["sequence"], item.params["enzymes"], circular=False)
    assert _ask(item, item.answer) == "correct"
    assert _ask(item, "{" + ", ".join(map(str, linear)) + "}") == "wrong"


def test_recoded_gene_is_checked_by_constraints():
    item = build_item("biology.recode_avoiding_site", 1, 0)
    assert _ask(item, item.answer) == "correct"
    site = item.grader_args["avoid"][0]
    assert _ask(item, item.answer[:-3] + "TAA") == "wrong"  # last residue replaced by a stop
    # Any other synonymous recoding is accepted too.
    from validators.proofs.biology import codon_map

    synonyms = {}
    for codon, aa in codon_map(1).items():
        synonyms.setdefault(aa, []).append(codon)
    codons = [item.answer[i : i + 3] for i in range(0, len(item.answer), 3)]
    alt = "".join(next((c for c in synonyms[codon_map(1)[x]] if c != x), x) for x in codons)
    if site not in alt and reverse_complement(site) not in alt:
        assert _ask(item, alt) == "correct"
