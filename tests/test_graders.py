"""Every answer type: gold correct, equivalent rewritings correct, near misses wrong,
unreadable answers unparsed, hostile input harmless."""

import os
import random
import time

import pytest

from mintbench.items.schema import Tolerance
from validators.grade import GRADERS, grade_answer, grade_response

T = Tolerance()
X = {"vars": ["x"]}
# Template ACGTTG...GATCAG: forward ACGTTG on top, reverse CTGATC binds the bottom at the end.
PRIMERS = {"template": "ACGTTGCAAGGCTTACCGATCAG", "length": [6, 6], "tm": [10, 30], "product": [15, 25]}

CASES = [
    # (answer_type, given, gold, args, expected status)
    ("integer", "12", "12", {}, "correct"),
    ("integer", "12.0", "12", {}, "correct"),
    ("integer", "13", "12", {}, "wrong"),
    ("integer", "-12", "12", {}, "wrong"),
    ("integer", "twelve", "12", {}, "unparsed"),
    ("rational", "0.5", "1/2", {}, "correct"),
    ("rational", "\\frac{1}{2}", "1/2", {}, "correct"),
    ("rational", "2/4", "1/2", {}, "correct"),
    ("rational", "-1/2", "1/2", {}, "wrong"),
    ("rational", "1/3", "1/2", {}, "wrong"),
    ("sequence", "atg cca-tga", "ATGCCATGA", {}, "correct"),
    ("sequence", "5'-ATGCCATGA-3'", "ATGCCATGA", {}, "correct"),
    ("sequence", "TCATGGCAT", "ATGCCATGA", {}, "wrong"),  # the other strand
    ("sequence", "ATGCCATG", "ATGCCATGA", {}, "wrong"),
    ("sequence", "ATGXXATGA", "ATGCCATGA", {}, "unparsed"),
    ("sequence", "mkv", "MKV", {"alphabet": "protein"}, "correct"),
    ("string_set", "GCC, gct", "GCT, GCC", {}, "correct"),
    ("string_set", "GCT", "GCT, GCC", {}, "wrong"),
    ("mutation_effect", "Missense: W", "missense W", {}, "correct"),
    ("mutation_effect", "错义突变 W", "missense W", {}, "correct"),
    ("mutation_effect", "missense K", "missense W", {}, "wrong"),
    ("mutation_effect", "nonsense", "missense W", {}, "wrong"),
    ("mutation_effect", "it breaks", "missense W", {}, "unparsed"),
    ("coding_sequence", "ATG AAA", "ATGAAA", {"protein": "MK", "avoid": ["GAATTC"]}, "correct"),
    ("coding_sequence", "ATGAAG", "ATGAAA", {"protein": "MK", "avoid": ["GAATTC"]}, "correct"),
    ("coding_sequence", "ATGTAA", "ATGAAA", {"protein": "MK", "avoid": ["GAATTC"]}, "wrong"),
    ("coding_sequence", "ATGAAGAATTC", "ATGAAA", {"protein": "MK", "avoid": ["GAATTC"]}, "wrong"),
    ("primer_pair", "ACGTTG, CTGATC", "ACGTTG, CTGATC", PRIMERS, "correct"),
    ("primer_pair", "CTGATC, ACGTTG", "ACGTTG, CTGATC", PRIMERS, "wrong"),
    ("primer_pair", "ACGTTG", "ACGTTG, CTGATC", PRIMERS, "unparsed"),
    ("number", "2.5", "2.5", {}, "correct"),
    ("number", "5/2", "2.5", {}, "correct"),
    ("number", "2.6", "2.5", {}, "wrong"),
    ("expression", "x*(3*x + 2)", "3*x**2 + 2*x", X, "correct"),
    ("expression", "3x^2 + 2x", "3*x**2 + 2*x", X, "correct"),
    ("expression", "\\frac{d}{dx}", "3*x**2", X, "wrong"),  # an unevaluated operator, refused before parsing
    ("expression", "3\\cdot x^{2} + 2x", "3*x**2 + 2*x", X, "correct"),
    ("expression", "3*x**2 - 2*x", "3*x**2 + 2*x", X, "wrong"),
    ("expression", "2*sin(x)*cos(x)", "sin(2*x)", X, "correct"),
    ("expression", "y + 1", "x + 1", X, "unparsed"),
    ("expression", "sqrt(3)/2", "sqrt(3)/2", {"vars": []}, "correct"),
    ("expression", "\\frac{\\sqrt{3}}{2}", "sqrt(3)/2", {"vars": []}, "correct"),
    ("expression", "1/2", "sqrt(3)/2", {"vars": []}, "wrong"),
    ("antiderivative", "sin(x) + C", "sin(x)", X, "correct"),
    ("antiderivative", "sin(x) + 7", "sin(x)", X, "correct"),
    ("antiderivative", "-sin(x)", "sin(x)", X, "wrong"),
    ("factored", "(x - 1)*(x + 2)", "(x - 1)*(x + 2)", X, "correct"),
    ("factored", "(x + 2)(x - 1)", "(x - 1)*(x + 2)", X, "correct"),
    ("factored", "x**2 + x - 2", "(x - 1)*(x + 2)", X, "wrong"),  # equivalent, not factored
    ("factored", "(2*x - 2)*(x + 2)", "2*(x - 1)*(x + 2)", X, "wrong"),  # content not pulled out
    ("factored", "(x + 1)*(x + 2)", "(x - 1)*(x + 2)", X, "wrong"),
    ("factored", "-(x - 1)**2*(x + 3)", "-(x - 1)**2*(x + 3)", X, "correct"),
    ("partial_fractions", "1/(x - 1) - 1/(x + 1)", "2/(x**2 - 1)", X, "correct"),
    ("partial_fractions", "2/(x**2 - 1)", "2/(x**2 - 1)", X, "wrong"),
    ("partial_fractions", "1/(x - 1) + 1/(x + 1)", "2/(x**2 - 1)", X, "wrong"),
    ("set", "{1, -2}", "{-2, 1}", {}, "correct"),
    ("set", "x = 1, x = -2", "{-2, 1}", {}, "correct"),
    ("set", "{1, 2}", "{-2, 1}", {}, "wrong"),
    ("set", "{1}", "{-2, 1}", {}, "wrong"),
    ("multiset", "{2, 2, -1}", "{-1, 2, 2}", {}, "correct"),
    ("multiset", "{2, -1}", "{-1, 2, 2}", {}, "wrong"),
    ("tuple", "(1, 2)", "(1, 2)", {"vars": ["x", "y"]}, "correct"),
    ("tuple", "y = 2, x = 1", "(1, 2)", {"vars": ["x", "y"]}, "correct"),
    ("tuple", "(2, 1)", "(1, 2)", {"vars": ["x", "y"]}, "wrong"),
    ("tuple", "(1, 2, 3)", "(1, 2)", {"vars": ["x", "y"]}, "wrong"),
    ("interval", "(-oo, 2] U [3, oo)", "(-oo, 2] U [3, oo)", {}, "correct"),
    ("interval", "(-\\infty, 2] \\cup [3, \\infty)", "(-oo, 2] U [3, oo)", {}, "correct"),
    ("interval", "(-oo, 2) U (3, oo)", "(-oo, 2] U [3, oo)", {}, "wrong"),
    ("interval", "[2, 3]", "(-oo, 2] U [3, oo)", {}, "wrong"),
    ("interval", "x is small", "(-oo, 2] U [3, oo)", {}, "unparsed"),
    ("choice", "B", "B", {"n_choices": 4}, "correct"),
    ("choice", "(B)", "B", {"n_choices": 4}, "correct"),
    ("choice", "b. 3438", "B", {"n_choices": 4}, "correct"),
    ("choice", "C", "B", {"n_choices": 4}, "wrong"),
    ("choice", "F", "B", {"n_choices": 4}, "unparsed"),
    ("choice", "the second one", "B", {"n_choices": 4}, "unparsed"),
    ("boolean", "True", "true", {}, "correct"),
    ("boolean", "对", "true", {}, "correct"),
    ("boolean", "false", "true", {}, "wrong"),
    ("boolean", "not sure", "true", {}, "unparsed"),
    ("sequence_formula", "2**n + 1", "2**n + 1", {"coeffs": [3, -2], "initial": [2, 3]}, "correct"),
    ("sequence_formula", "2**(n+1) - 2**n + 1", "2**n + 1", {"coeffs": [3, -2], "initial": [2, 3]}, "correct"),
    ("sequence_formula", "2**n", "2**n + 1", {"coeffs": [3, -2], "initial": [2, 3]}, "wrong"),
    ("ode_solution", "2*exp(x) - exp(2*x)", "2*exp(x) - exp(2*x)", {"coeffs": [2, -3, 1], "rhs": "0", "initial": [[0, 0, 1], [1, 0, 0]]}, "correct"),
    ("ode_solution", "exp(x)", "2*exp(x) - exp(2*x)", {"coeffs": [2, -3, 1], "rhs": "0", "initial": [[0, 0, 1], [1, 0, 0]]}, "wrong"),
    ("ode_solution", "2*exp(x) + exp(2*x)", "2*exp(x) - exp(2*x)", {"coeffs": [2, -3, 1], "rhs": "0", "initial": [[0, 0, 1], [1, 0, 0]]}, "wrong"),
    ("polynomial_constraints", "x**3 - 3*x**2 + 2*x", "x**3 - 3*x**2 + 2*x", {"degree": 3, "roots": [1, 2], "value_at": [3, 6]}, "correct"),
    # Another valid design: (x - 1)(x - 2)(2x - 3) also has p(3) = 6.
    ("polynomial_constraints", "(x - 1)*(x - 2)*(2*x - 3)", "x**3 - 3*x**2 + 2*x", {"degree": 3, "roots": [1, 2], "value_at": [3, 6]}, "correct"),
    ("polynomial_constraints", "(x - 1)*(x - 2)", "x**3 - 3*x**2 + 2*x", {"degree": 3, "roots": [1, 2], "value_at": [3, 6]}, "wrong"),
    ("polynomial_constraints", "x**3/2 - 3*x**2/2 + x", "x**3 - 3*x**2 + 2*x", {"degree": 3, "roots": [1, 2], "value_at": [3, 3]}, "wrong"),
    ("linear_combination", "(-1, 1)", "(1, 0)", {"a": 3, "b": 4, "c": 1, "bound": 10}, "correct"),
    ("linear_combination", "(3, -2)", "(1, 0)", {"a": 3, "b": 4, "c": 1, "bound": 10}, "correct"),
    ("linear_combination", "(1, 1)", "(1, 0)", {"a": 3, "b": 4, "c": 1, "bound": 10}, "wrong"),
    ("linear_combination", "(-21, 16)", "(1, 0)", {"a": 3, "b": 4, "c": 1, "bound": 10}, "wrong"),
]


@pytest.mark.parametrize("answer_type, given, gold, args, expected", CASES)
def test_grader(answer_type, given, gold, args, expected):
    assert grade_answer(answer_type, given, gold, args, T).status == expected


def test_every_answer_type_is_exercised():
    assert {c[0] for c in CASES + CHEM_CASES} == set(GRADERS)


def test_numeric_tolerance_is_explicit():
    tol = Tolerance(abs=0.01, rel=0.0)
    assert grade_answer("number", "0.005", "0", {}, tol).status == "correct"
    assert grade_answer("number", "0.005", "0", {}, Tolerance(abs=0, rel=0.1)).status == "wrong"  # rel of 0 accepts nothing
    assert grade_answer("number", "101", "100", {}, Tolerance(rel=0.02)).status == "correct"
    assert grade_answer("number", "103", "100", {}, Tolerance(rel=0.02)).status == "wrong"


@pytest.mark.parametrize(
    "hostile",
    [
        "__import__('os').system('touch /tmp/pwned')",
        "().__class__.__bases__[0]",
        "exec('1')",
        "9**9**9**9",
        "2^(400*400*400)",
        "x" * 5000,
        "(" * 500 + "x" + ")" * 500,
    ],
)
def test_hostile_answers_are_unparsed_not_executed(hostile):
    assert grade_answer("expression", hostile, "x", X, T).status == "unparsed"


def test_reasons_never_contain_the_gold():
    gold = "314159"
    for given in ("314158", "abc", "-314159"):
        assert gold not in grade_answer("integer", given, gold, {}, T).reason


# Chemistry: structures by canonical SMILES (no stereo when it is ignored), formulas by counts.
ETHANOL = "CCO"
CHEM_CASES = [
    ("structure", "OCC", ETHANOL, {"stereo": "ignore"}, "correct"),  # another valid SMILES
    ("structure", "C(O)C", ETHANOL, {"stereo": "ignore"}, "correct"),
    ("structure", "ethanol", ETHANOL, {"stereo": "ignore"}, "correct"),  # a name, via OPSIN
    ("structure", "COC", ETHANOL, {"stereo": "ignore"}, "wrong"),  # isomer
    ("structure", "CC[O-]", ETHANOL, {"stereo": "ignore"}, "wrong"),  # wrong charge
    ("structure", "C=CO", ETHANOL, {"stereo": "ignore"}, "wrong"),  # two hydrogens missing
    ("structure", "not a molecule at all", ETHANOL, {"stereo": "ignore"}, "unparsed"),
    ("structure", "C[C@H](N)C(=O)O", "C[C@@H](N)C(=O)O", {"stereo": "ignore"}, "correct"),
    ("structure", "C[C@H](N)C(=O)O", "C[C@@H](N)C(=O)O", {"stereo": "full"}, "wrong"),
    # The InChIKey's first block let these through: charge, protonation and tautomer count.
    ("structure", "CC[NH3+]", "CCN", {"stereo": "ignore"}, "wrong"),
    ("structure", "CC(O)=N", "CC(N)=O", {"stereo": "ignore"}, "wrong"),  # imidic acid for an amide
    ("structure", "CC(=O)[O-]", "CC(=O)O", {"stereo": "ignore"}, "wrong"),
    ("structure", "CN(=O)=O", "C[N+](=O)[O-]", {"stereo": "ignore"}, "correct"),  # one nitro, two drawings
    # name -> structure: the name in the question is not an answer to it.
    ("structure", "ethanol", ETHANOL, {"stereo": "ignore", "notation": "smiles"}, "wrong"),
    ("structure", "OCC", ETHANOL, {"stereo": "ignore", "notation": "smiles"}, "correct"),
    ("molecule_design", "OC[NH3+]", "OCc1ccccc1", {"ranges": {}, "must_contain": {}}, "wrong"),  # a neutral molecule is asked
    ("molecule_design", "[CH2]O", "OCc1ccccc1", {"ranges": {}, "must_contain": {}}, "wrong"),  # a radical
    ("formula", "H6C2O", "C2H6O", {}, "correct"),
    # An ion's charge as a LaTeX superscript: S^{2-} is one sulfur with charge 2-, not S2 and a minus.
    ("formula", "$C_{12}H_{14}NO_{3}S^{+}$", "C12H14NO3S+", {}, "correct"),
    ("formula", "SO4^{2-}", "O4S-2", {}, "correct"),
    ("formula", "NH₄⁺", "H4N+", {}, "correct"),
    ("formula", "C12H14NO3S", "C12H14NO3S+", {}, "wrong"),
    ("formula", "C₂H₆O", "C2H6O", {}, "correct"),
    ("formula", "C2H4O", "C2H6O", {}, "wrong"),
    ("formula", "C2O", "C2H6O", {}, "wrong"),
    ("formula", "C2H6O+", "C2H6O", {}, "wrong"),
    ("formula", "ethanol", "C2H6O", {}, "unparsed"),
    ("coefficients", "1, 3, 2, 3", "1, 3, 2, 3", {}, "correct"),
    ("coefficients", "2, 6, 4, 6", "1, 3, 2, 3", {}, "wrong"),
    ("coefficients", "1, 2, 2, 3", "1, 3, 2, 3", {}, "wrong"),
    ("molecule_design", "OCc1ccccc1", "OCc1ccccc1", {"ranges": {"mw": [100, 120], "hbd": [1, 1], "rings": [1, 9]}, "must_contain": {"alcohol": "[OX2H][CX4]"}}, "correct"),
    ("molecule_design", "OCCc1ccccc1", "OCc1ccccc1", {"ranges": {"mw": [100, 130], "hbd": [1, 1], "rings": [1, 9]}, "must_contain": {"alcohol": "[OX2H][CX4]"}}, "correct"),
    ("molecule_design", "Cc1ccccc1", "OCc1ccccc1", {"ranges": {"mw": [80, 130], "hbd": [1, 1], "rings": [1, 9]}, "must_contain": {"alcohol": "[OX2H][CX4]"}}, "wrong"),
]


@pytest.mark.parametrize("answer_type, given, gold, args, expected", CHEM_CASES)
def test_chemistry_grader(answer_type, given, gold, args, expected):
    assert grade_answer(answer_type, given, gold, args, T).status == expected


def test_a_well_formed_smiles_of_an_impossible_molecule_is_wrong_not_unreadable():
    """A pentavalent carbon is an answer, and the wrong one; text that is no SMILES is unparsed."""
    from mintbench.items.schema import Tolerance
    from validators.chemistry import grade_design, grade_structure

    assert grade_structure("C(C)(C)(C)(C)C", "CCO", {}, Tolerance()).status == "wrong"
    assert grade_structure("CCO", "CCO", {}, Tolerance()).status == "correct"
    assert grade_design("FC(F)(F)(F)(F)", "CCO", {"ranges": {}, "must_contain": {}}, Tolerance()).status == "wrong"
    from validators.grade import grade_answer

    assert grade_answer("structure", "((C", "CCO", {}, Tolerance()).status == "unparsed"


HOSTILE = [
    "<answer>1e99999999</answer>", "<answer>1e9999999999</answer>", "<answer>(((10**400)**400)**400)**400</answer>",
    "<answer>((10^400)^400)^400</answer>", "<answer>\\left(\\left(10^{400}\\right)^{400}\\right)^{400}</answer>",
    "<think>" * 200_000, "<answer>" * 50_000, "<answer>" + "9" * 200_000, "<think>" + "x" * 10_000_000,
    "<answer>1,894</answer>", "<answer>1, 2</answer>",
]


@pytest.mark.parametrize("response", HOSTILE, ids=lambda r: f"{r[:24]!r}x{len(r)}")
def test_hostile_responses_never_raise_nor_hold_a_worker(response):
    """Each of these once stalled a grader for minutes or raised; now each is answered at once.
    The alarm is a stall detector, not a speed target (make bench measures speed)."""
    import signal

    from mintbench.items.registry import build_item

    items = [build_item("math.totient", 1, 0, fmt="open"), build_item("math.trig_values", 1, 0, fmt="open"),
             build_item("math.antiderivative", 1, 0, fmt="open")]

    def stalled(*_):
        raise TimeoutError("a grader stalled")

    previous = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(20)
    try:
        verdicts = [grade_response(item, response).status for item in items]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert set(verdicts) <= {"unparsed", "wrong"}


def test_the_last_answer_tag_counts_even_far_into_a_response():
    from mintbench.items.registry import build_item

    item = build_item("math.totient", 1, 0, fmt="open")
    late = f"<answer>{item.answer}</answer>" + "." * 90_000 + "<answer>7</answer>"
    assert grade_response(item, late).status == "wrong"
    assert grade_response(item, "<answer>7</answer>" + "." * 90_000 + f"<answer>{item.answer}</answer>").status == "correct"


def test_a_response_that_hangs_in_native_code_is_unparsed_and_the_worker_replaced(monkeypatch):
    """The backstop for code that never returns to Python (where the CPU budget cannot reach):
    the response is unparsed after the wall-clock limit, the hung worker is killed, and every
    response after it is still graded, however many hang."""
    from mintbench.items.registry import build_item
    from validators.sandbox import STALL_ENV, Sandbox

    monkeypatch.setenv(STALL_ENV, "<answer>hang</answer>")  # the spawned worker reads it
    item = build_item("math.totient", 1, 0, fmt="open")
    sandbox = Sandbox(budget_s=1.0, wall_limit_s=2.0)
    try:
        pairs = [(item, f"<answer>{item.answer}</answer>"), (item, "<answer>hang</answer>"), (item, "<answer>7</answer>"),
                 (item, f"<answer>{item.answer}</answer>")]
        verdicts = sandbox.grade_many(pairs)
        assert [v.status for v in verdicts] == ["correct", "unparsed", "wrong", "correct"]
        assert "did not answer" in verdicts[1].reason and sandbox.restarts == 1
        many = sandbox.grade_many([(item, "<answer>hang</answer>")] * 4 + [(item, f"<answer>{item.answer}</answer>")])
        assert [v.status for v in many] == ["unparsed"] * 4 + ["correct"] and sandbox.restarts == 5
    finally:
        sandbox.close()


def _golds(n: int) -> list:
    from mintbench.items.registry import build_item

    items = [build_item("math.totient", 1, k, fmt="open") for k in range(n)]
    return [(i, f"<answer>{i.answer}</answer>") for i in items]


def test_responses_over_the_cpu_budget_void_no_answer_after_them(monkeypatch):
    """Twenty gold answers scored 20/20 alone and 0/20 after a few slow responses: the fourth
    overrun voided the rest of the call. Each response now has its own CPU budget, an overrun is
    cut inside the same worker (no restart), and the answers after it are graded as alone."""
    from validators.sandbox import BURN_ENV, Sandbox

    monkeypatch.setenv(BURN_ENV, "1")
    golds = _golds(20)
    item = golds[0][0]
    sandbox = Sandbox(budget_s=1.0)
    try:
        verdicts = sandbox.grade_many([(item, "<answer>burn 5</answer>")] * 3 + golds)
        assert [v.status for v in verdicts[:3]] == ["unparsed"] * 3 and "CPU time" in verdicts[0].reason
        assert [v.status for v in verdicts[3:]] == ["correct"] * 20
        assert sandbox.restarts == 0
    finally:
        sandbox.close()


def test_a_real_slow_answer_is_cut_by_the_cpu_budget_and_the_worker_goes_on():
    """Not a test hook: a factored answer padded with (x**151 + x + 1)/(x**151 + x + 1) costs
    SymPy seconds. It is cut at its budget and the next answer is graded by the same worker."""
    from mintbench.items.registry import build_item
    from validators.sandbox import Sandbox

    item = build_item("math.factor", 1, 0, fmt="open")
    slow = f"<answer>({item.answer})*(x**151 + x + 1)/(x**151 + x + 1)</answer>"
    sandbox = Sandbox(budget_s=0.3)
    try:
        verdicts = sandbox.grade_many([(item, slow), (item, f"<answer>{item.answer}</answer>")])
        assert verdicts[1].status == "correct" and sandbox.restarts == 0
        assert verdicts[0].status != "correct"
    finally:
        sandbox.close()


def _hog(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_verdicts_do_not_depend_on_machine_load(monkeypatch):
    """The same file graded quietly and beside CPU hogs (three busy processes on this 2-core
    machine) gets identical verdicts. The file holds answers that cost 0.6 s of CPU each: under a
    wall-clock budget of 1 s they were unparsed once the machine was loaded."""
    import multiprocessing

    from grading_corpus import corpus
    from validators.sandbox import BURN_ENV, Sandbox

    monkeypatch.setenv(BURN_ENV, "1")
    entries = corpus(per_generator=1, seed=5)[:300]
    pairs = [(e.item, e.response) for e in entries] + [(entries[0].item, "<answer>burn 0.6</answer>")] * 3
    sandbox = Sandbox(budget_s=1.0)
    try:
        quiet = sandbox.grade_many(pairs)
        hogs = [multiprocessing.get_context("spawn").Process(target=_hog, args=(120,), daemon=True) for _ in range(3)]
        for h in hogs:
            h.start()
        try:
            loaded = sandbox.grade_many(pairs)
        finally:
            for h in hogs:
                h.kill()
    finally:
        sandbox.close()
    assert [v.status for v in loaded] == [v.status for v in quiet]
    assert all(v.status != "unparsed" or "CPU" not in v.reason for v in quiet[-3:])


def test_a_flood_of_slow_responses_is_refused_as_a_whole(monkeypatch):
    """A submission's total cost is bounded: past its allowance the call is refused with its
    reason, never answered with the honest responses after the flood voided."""
    from validators.sandbox import BURN_ENV, Allowance, Sandbox, TooCostly

    monkeypatch.setenv(BURN_ENV, "1")
    golds = _golds(5)
    sandbox = Sandbox(budget_s=0.2)
    try:
        with pytest.raises(TooCostly, match="allowance"):
            sandbox.grade_many([(golds[0][0], "<answer>burn 1</answer>")] * 4 + golds, Allowance(cpu_s=60, overruns=3))
        assert [v.status for v in sandbox.grade_many(golds, Allowance(cpu_s=60, overruns=3))] == ["correct"] * 5
    finally:
        sandbox.close()


def test_a_response_that_kills_the_grading_worker_is_unparsed_not_an_error(monkeypatch):
    """A crash in native code (RDKit, a JVM) takes the worker down mid-response: the verdict is
    `unparsed`, a new worker grades the rest, and nothing raises to the caller."""
    from mintbench.items.registry import build_item
    from validators.sandbox import CRASH_ENV, Sandbox

    monkeypatch.setenv(CRASH_ENV, "<answer>crash</answer>")
    item = build_item("math.totient", 1, 0, fmt="open")
    sandbox = Sandbox(budget_s=5.0)
    try:
        verdicts = sandbox.grade_many([(item, "<answer>crash</answer>"), (item, f"<answer>{item.answer}</answer>")])
        assert [v.status for v in verdicts] == ["unparsed", "correct"] and sandbox.restarts == 1
    finally:
        sandbox.close()


def _java_children(pid: int) -> list[int]:
    """The java processes whose parent is `pid` (read from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{entry}/comm") as fh:
                    comm = fh.read().strip()
            except OSError:
                continue
            if int(fields[1]) == pid and comm == "java":
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, only not yet reaped
    except OSError:
        return False


def test_a_name_answer_is_graded_within_the_budget_by_a_fresh_worker():
    """OPSIN once started a JVM per lookup (about 1 s), so a product given by name ran past the
    one-second budget and was recorded `unparsed`. The worker starts one OPSIN while it imports,
    and a lookup then costs milliseconds: names, one after another, all graded, none overrun."""
    from mintbench.items.registry import build_item
    from validators.sandbox import Sandbox

    item = build_item("chemistry.reaction_product", 1, 0, fmt="open")
    item = item.model_copy(update={"answer": "CCO", "grader_args": {**item.grader_args, "stereo": "ignore"}})
    sandbox = Sandbox(budget_s=1.0)
    try:
        verdicts = sandbox.grade_many([(item, "<answer>ethanol</answer>"), (item, "<answer>methoxymethane</answer>"),
                                       (item, "<answer>ethan-1-ol</answer>")])
        assert [v.status for v in verdicts] == ["correct", "wrong", "correct"] and sandbox.restarts == 0
    finally:
        sandbox.close()


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_a_worker_killed_over_its_budget_takes_its_opsin_with_it(monkeypatch):
    """A JVM left behind by every killed worker would pile up across a long grading run."""
    from mintbench.items.registry import build_item
    from validators.sandbox import STALL_ENV, Sandbox

    monkeypatch.setenv(STALL_ENV, "<answer>hang</answer>")
    item = build_item("math.totient", 1, 0, fmt="open")
    sandbox = Sandbox(budget_s=1.0, wall_limit_s=2.0)
    try:
        sandbox.grade_many([(item, "<answer>7</answer>")])
        worker = sandbox._proc.pid
        jvms = _java_children(worker)
        assert len(jvms) == 1
        assert sandbox.grade_many([(item, "<answer>hang</answer>")])[0].status == "unparsed"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(jvms[0]):
            time.sleep(0.1)
        assert not _alive(jvms[0])
    finally:
        sandbox.close()


@pytest.mark.parametrize("answer_type, text, gold", [
    ("choice", "C or A", "C"), ("choice", "C and D", "C"), ("choice", "A B C D", "A"), ("choice", "A/C", "A"),
    ("integer", "x = 320 or x = 321", "321"), ("integer", "322 = 321", "321"), ("rational", "1/2 = 2/3", "1/2"),
    ("mutation_effect", "missense C or A", "missense C"), ("mutation_effect", "missense C/A", "missense C"),
    ("mutation_effect", "missense CADEFGHIKLMNPQRSTVWY", "missense C"),
    ("boolean", "true or false", "true"),
])
def test_a_hedge_is_wrong_even_when_it_contains_the_gold(answer_type, text, gold):
    assert grade_answer(answer_type, text, gold, {"n_choices": 4}, Tolerance()).status == "wrong"


@pytest.mark.parametrize("answer_type, text", [
    ("choice", "A  " * 20_000 + "!"), ("antiderivative", " " * 100_000 + "x"), ("antiderivative", "x" + " +  " * 20_000),
])
def test_hedge_and_constant_checks_are_linear_on_long_answers(answer_type, text):
    """Each once hid a regex that backtracked exponentially or quadratically on such text."""
    import signal

    from validators.grade import hedge
    from validators.symbolic import _drop_constant

    def stalled(*_):
        raise TimeoutError("a check stalled")

    previous = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(10)
    try:
        hedge(answer_type, text)
        _drop_constant(text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("answer_type, text, gold", [
    ("choice", "C", "C"), ("choice", "C. Silent", "C"), ("choice", "(C)", "C"), ("integer", "x = 321", "321"),
    ("integer", "321 = 321", "321"), ("mutation_effect", "missense C", "missense C"), ("rational", "1/2", "1/2"),
])
def test_one_final_answer_is_still_credited(answer_type, text, gold):
    assert grade_answer(answer_type, text, gold, {"n_choices": 4}, Tolerance()).status == "correct"


@pytest.mark.parametrize("answer_type, text, gold", [
    ("integer", "\\det\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "-2"),
    ("expression", "\\frac{d}{dx}\\left(x^{3}\\right)", "3*x**2"),
    ("antiderivative", "\\int 3 x^{2} \\, dx", "x**3"),
    ("integer", "\\lim_{x \\to 0} 5", "5"),
    ("integer", "\\sum_{k=1}^{3} k", "6"),
])
def test_a_restated_question_is_not_a_closed_form(answer_type, text, gold):
    """Never credited: wrong when the parser could evaluate it, unparsed when it could not."""
    assert grade_answer(answer_type, text, gold, {}, Tolerance()).status != "correct"


@pytest.mark.parametrize("answer_type, text, gold", [
    ("integer", "1,894", "1894"), ("number", "1,894.5", "1894.5"), ("integer", "321 \\cdot 1", "321"),
    ("rational", "2 \\cdot \\frac{26}{6}", "26/3"), ("expression", "2 e^{2 x} - 6 \\log{\\left(2 x \\right)}", "2*exp(2*x) - 6*log(2*x)"),
    ("expression", "x²", "x**2"), ("antiderivative", "x**3 + C_1", "x**3"), ("antiderivative", "x^3 + \\text{const}", "x**3"),
    ("antiderivative", "C + x**3", "x**3"), ("integer", "321.", "321"),
])
def test_honest_notation_is_credited(answer_type, text, gold):
    assert grade_answer(answer_type, text, gold, {}, Tolerance()).status == "correct"


NAMES = ["ethanol", "propan-2-ol", "benzoic acid", "acetone", "cyclohexane", "pyridine", "butanoic acid", "phenol"]


def _names_to_keys(names):
    from validators.chemistry import _name_to_smiles, molecule, structure_key

    return [structure_key(molecule(_name_to_smiles(n)), "ignore") for n in names]


def test_names_read_by_several_processes_at_once_give_the_same_structures(tmp_path, monkeypatch):
    """The name converter once shared one temporary file in the working directory: graders
    running side by side read each other's names. Three processes, one folder, same answers."""
    import multiprocessing

    monkeypatch.chdir(tmp_path)
    alone = _names_to_keys(NAMES)
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        together = pool.map(_names_to_keys, [NAMES, list(reversed(NAMES)), NAMES])
    assert together == [alone, list(reversed(alone)), alone]
    assert not list(tmp_path.iterdir())  # nothing written into the working directory


@pytest.mark.parametrize("answer_type, text, gold, args, tol", [
    ("number", "516.65 K", "516.65", {"unit": "K"}, 5.0), ("number", "516.65\\,\\text{K}", "516.65", {"unit": "K"}, 5.0),
    ("number", "58 °C", "58", {"unit": "°C"}, 0.5), ("number", "58^{\\circ}\\mathrm{C}", "58", {"unit": "°C"}, 0.5),
    ("number", "146.23 g/mol", "146.23", {"unit": "g/mol"}, 0.02), ("number", "146.23 g mol^{-1}", "146.23", {"unit": "g/mol"}, 0.02),
    ("number", "3793.30 Da", "3793.30", {"unit": "Da"}, 0.5), ("number", "38.3 %", "38.3", {"unit": "%"}, 0.1),
    ("number", "38.3\\%", "38.3", {"unit": "%"}, 0.1), ("integer", "63 nt", "63", {"unit": "nt"}, 0.0),
    ("integer", "63 bp", "63", {"unit": "nt"}, 0.0), ("number", "3.60002 kDa", "3600.02", {"unit": "Da"}, 0.01),
    ("multiset", "168 bp, 132 bp", "{168, 132}", {"unit": "bp"}, 0.0), ("multiset", "{168, 132}", "{168, 132}", {"unit": "bp"}, 0.0),
])
def test_the_unit_the_question_states_is_accepted(answer_type, text, gold, args, tol):
    assert grade_answer(answer_type, text, gold, args, Tolerance(abs=tol)).status == "correct"


@pytest.mark.parametrize("answer_type, text, gold, args", [
    ("number", "516.65 °C", "516.65", {"unit": "K"}),  # the number right, the unit not
    ("integer", "63 K", "63", {}), ("number", "3.60002 kDa", "3.60002", {"unit": "Da"}),
    ("multiset", "168 nt, 132 bp", "{168, 132}", {"unit": "bp"}),
])
def test_another_unit_is_wrong_whatever_the_number(answer_type, text, gold, args):
    verdict = grade_answer(answer_type, text, gold, args, Tolerance(abs=5))
    assert verdict.status == "wrong" and text.split()[0] not in verdict.reason


X_ = {"vars": ["x"]}


@pytest.mark.parametrize("answer_type, text, gold, args", [
    # Spot checks on (0.35, 2.65) alone passed each of these.
    ("expression", "abs(x)", "x", X_), ("expression", "x*abs(x)", "x**2", X_),
    ("antiderivative", "x**3 + (x - 3 + abs(x - 3))", "x**3", X_), ("antiderivative", "x**3 + abs(x) - x", "x**3", X_),
    ("antiderivative", "x**3 + x/10**9", "x**3", X_), ("expression", "x**2 + 10**-12", "x**2", X_),
    ("antiderivative", "log(abs(x)) + abs(x) - x", "log(x)", X_),
    # A constant asked exactly: the question restated, or a decimal however long.
    ("expression", "cos(0*pi/180)", "1", {"vars": []}), ("expression", "\\sin\\left(\\frac{\\pi}{6}\\right)", "1/2", {"vars": []}),
    ("expression", "0.7071067811865476", "sqrt(2)/2", {"vars": []}), ("expression", "0.3333333333333333", "1/3", {"vars": []}),
    # Coding sequences: the question says no stop codon.
    ("coding_sequence", "ATGAAATAA", "ATGAAA", {"protein": "MK", "avoid": [], "table": 1}),
])
def test_blind_spots_are_closed(answer_type, text, gold, args):
    assert grade_answer(answer_type, text, gold, args, Tolerance()).status == "wrong"


@pytest.mark.parametrize("answer_type, text, gold, args", [
    ("antiderivative", "log(abs(x))", "log(x)", X_), ("antiderivative", "\\frac{\\ln|2x+3|}{2}", "log(2*x + 3)/2", X_),
    ("expression", "0.5", "1/2", {"vars": []}), ("expression", "\\frac{\\sqrt{3}}{2}", "sqrt(3)/2", {"vars": []}),
    ("sequence", "Thr", "T", {"alphabet": "protein"}), ("sequence", "Met-Asp-Arg", "MDR", {"alphabet": "protein"}),
    ("string_set", "S.", "S", {}), ("string_set", "primary amine, alcohol", "alcohol, primary_amine", {}),
    ("mutation_effect", "missense Leu", "missense L", {}), ("mutation_effect", "missense mutation to L", "missense L", {}),
    ("coding_sequence", "ATGAAA", "ATGAAA", {"protein": "MK", "avoid": [], "table": 1}),
])
def test_more_honest_forms_are_credited(answer_type, text, gold, args):
    assert grade_answer(answer_type, text, gold, args, Tolerance()).status == "correct"


@pytest.mark.parametrize("latex, plain", [
    (r"- \frac{9 \operatorname{atanh}{\left(2 x \right)}}{2}", "-9*atanh(2*x)/2"),
    (r"- 3 \operatorname{asin}{\left(3 x \right)}", "-3*asin(3*x)"),
    (r"\operatorname{acot}{\left(x \right)}", "acot(x)"),
])
def test_inverse_functions_as_sympy_prints_them_in_latex_are_read(latex, plain):
    """An honest rewrite the grading bench found refused: SymPy's own LaTeX for inverse functions."""
    assert grade_answer("expression", latex, plain, {"vars": ["x"]}, Tolerance()).status == "correct"


# -- grading round 3 (issue #28): read as a reader does, and the policy on wrappers and labels --

@pytest.mark.parametrize("answer_type, text, gold", [
    ("integer", r"1423\binom{4}{1}", "1427"),  # the LaTeX reader added the binomial: 19/19 integer generators
    ("rational", "-44 1/3", "-44/3"),  # a reader sees -44⅓
    ("rational", "5 1/18", "5/18"),
    ("integer", "2 906", "1812"),  # a reader sees 2906, never 2 * 906
    ("integer", "-2 756", "-1512"),
    ("integer", "2 90", "180"),  # neither 290 nor a product
    ("rational", r"2\frac{1}{3}", "2/3"),  # a mixed number to one reader, a product to another: refused
    ("rational", r"2\frac{1}{3}", "7/3"),
    ("integer", r"\begin{vmatrix}1 & 2 \\ 3 & 4\end{vmatrix}", "-2"),  # the determinant restated
    ("integer", r"\left|\begin{matrix}1 & 2 \\ 3 & 4\end{matrix}\right|", "-2"),
    ("integer", r"\approx 88", "88"),  # an approximation where the exact value is asked
    ("sequence", "Trp (D)", "W"),  # two residues
    ("set", "x = -1 or x = 3", "{-1, 3, 4}"),  # not every root
    ("set", "{-1, 3} or {3, 4}", "{-1, 3}"),  # a hedge between two sets
], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_what_a_reader_would_not_credit_is_not_credited(answer_type, text, gold):
    args = {"alphabet": "protein"} if answer_type == "sequence" else {}
    assert grade_answer(answer_type, text, gold, args, Tolerance()).status != "correct"


@pytest.mark.parametrize("answer_type, text, gold, args", [
    ("integer", "2 906", "2906", {}), ("integer", "-2\u2009756", "-2756", {}), ("integer", r"12\,345\,678", "12345678", {}),
    ("integer", "1{,}894", "1894", {}), ("rational", "-44 1/3", "-133/3", {}), ("integer", r"2\binom{4}{1}", "8", {}),
    ("boolean", "**True**", "true", {}), ("boolean", "It is true.", "true", {}), ("boolean", "不正确", "false", {}),
    ("boolean", "The statement is false", "false", {}), ("choice", r"\textbf{B}", "B", {"n_choices": 4}),
    ("choice", "Option **C**", "C", {"n_choices": 4}), ("number", r"\approx 356.15", "356.15", {"unit": "K"}),
    ("number", "≈ 356 K", "356.15", {"unit": "K"}), ("formula", r"\mathrm{C_{8}H_{7}FO_{2}}", "C8H7FO2", {}),
    ("formula", r"\ce{C8H7FO2}", "C8H7FO2", {}), ("set", r"x \in \{-1, 3, 4\}", "{-1, 3, 4}", {}),
    ("set", "x = −1 or x = 3 or x = 4", "{-1, 3, 4}", {}), ("tuple", "(x, y, z) = (3, 3, 3)", "(3, 3, 3)", {"vars": ["x", "y", "z"]}),
    ("tuple", "x = 3, y = 3 and z = 3", "(3, 3, 3)", {"vars": ["x", "y", "z"]}), ("integer", r"\det(A) = -152", "-152", {}),
    ("expression", r"\frac{dy}{dx} = 2x", "2*x", {"vars": ["x"]}), ("antiderivative", r"\int 2x\,dx = x^2 + C", "x**2", {"vars": ["x"]}),
    ("sequence", "D (Asp)", "D", {"alphabet": "protein"}), ("sequence", "Trp (W)", "W", {"alphabet": "protein"}),
    ("string_set", "S configuration", "S", {}), ("structure", "CCO.", "CCO", {}), ("integer", "88 bp", "88", {"unit": "nt"}),
    ("antiderivative", "x**2/2 + c", "x**2/2", {"vars": ["x"]}), ("antiderivative", "x**2/2 + k", "x**2/2", {"vars": ["x"]}),
    ("antiderivative", "x**2/2 + C_0", "x**2/2", {"vars": ["x"]}), ("expression", "x⁶ + x¹⁰ - x⁰", "x**6 + x**10 - 1", {"vars": ["x"]}),
    ("expression", "2*x + (sin²x + cos²x − 1)*exp(3*x)", "2*x", {"vars": ["x"]}),
], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None)
def test_what_a_careful_grader_accepts_is_credited(answer_type, text, gold, args):
    verdict = grade_answer(answer_type, text, gold, args, Tolerance(abs=0.5) if answer_type == "number" else Tolerance())
    assert verdict.status == "correct", verdict.reason


def test_a_slow_ode_near_miss_is_refuted_fast():
    """'gold + abs(x) - x' cost 0.8-1.3 s (SymPy differentiating |x| over the complex numbers)
    and ran past the budget under load; over the reals it is sign(x), refuted in milliseconds."""
    args = {"coeffs": [0, 1], "rhs": "1 - exp(-x)", "initial": [[0, 0, 1]]}
    grade_answer("ode_solution", "exp(-x) + x", "exp(-x) + x", args, Tolerance())  # parsers loaded
    started = time.process_time()
    verdict = grade_answer("ode_solution", "exp(-x) + x + Abs(x) - x", "exp(-x) + x", args, Tolerance())
    assert verdict.status == "wrong" and time.process_time() - started < 0.3


def test_the_three_letter_code_asked_about_is_no_answer_to_its_one_letter_code():
    """'What is the one-letter code of Gln?' answered 'Gln' was credited (28/30 items): the
    question handed back. Both codes together ('Q (Gln)') give the asked code and are credited."""
    from mintbench.items.registry import build_item

    echoed = credited = 0
    for index in range(30):
        item = build_item("biology.amino_acid_codes", 4, index, fmt="open")
        three = item.params["three"]
        if len(three) == 3:
            echoed += grade_response(item, f"<answer>{three}</answer>").status == "correct"
            credited += grade_response(item, f"<answer>{item.answer} ({three})</answer>").status == "correct"
        assert grade_response(item, f"<answer>{item.answer}</answer>").status == "correct"
    assert echoed == 0 and credited >= 20


def test_deeply_wrapped_answers_are_read_in_linear_time():
    """3,000 nested \\text{ in 21,000 characters cost 2.5 s to unwrap layer by layer; an answer
    that long is refused by every parser, so it is not unwrapped at all."""
    from validators.reading import read_for

    hostile = "\\text{" * 3000 + "x" + "}" * 3000
    started = time.process_time()
    assert read_for("integer", hostile, {}) == hostile
    assert grade_answer("integer", hostile, "1", {}, Tolerance()).status == "unparsed"
    assert time.process_time() - started < 0.5


def test_the_bare_integer_shortcut_gives_the_verdicts_of_the_full_reading():
    """Bare integers and fractions skip the wrapper, label and hedge readers (issue #27: most
    golds and many answers are bare). Skipping must change no verdict: the same text with a space in
    front takes the full path and must be graded alike, for every numeric type, with and
    without a tolerance, including leading zeros, '-0' and long numbers."""
    rng = random.Random(27)
    texts = ["0", "-0", "007", "-12", "1894", "10" * 30, "-7/3", "14/6", "3/0", "0/5", "-0/1"]
    texts += [str(rng.randint(-10**6, 10**6)) for _ in range(200)] + [f"{rng.randint(-50, 50)}/{rng.randint(0, 9)}" for _ in range(200)]
    checked = 0
    for text in texts:
        for answer_type, gold, tol in (("integer", "12", Tolerance()), ("rational", "-7/3", Tolerance()),
                                       ("number", "1894.2", Tolerance(abs=0.5)), ("rational", text if not text.endswith("/0") else "1", Tolerance())):
            fast = grade_answer(answer_type, text, gold, {}, tol)
            full = grade_answer(answer_type, f" {text}", gold, {}, tol)
            assert (fast.status, fast.reason) == (full.status, full.reason), (answer_type, text, gold)
            checked += fast.status == "correct"
    assert checked > 200  # the shortcut credits, not only refuses


def test_set_elements_read_as_evalf_reads_them():
    """The grader's exact-number fast path gives evalf's float for every rational, beyond a
    float's range included."""
    from fractions import Fraction

    import sympy

    from validators.collections import _value

    rng = random.Random(30)
    values = [sympy.Integer(0), sympy.Integer(-1), sympy.Rational(1, 3), sympy.Rational(-22, 7), sympy.Integer(10**300), sympy.Integer(-10**400)]
    values += [sympy.Rational(rng.randint(-10**30, 10**30), rng.randint(1, 10**20)) for _ in range(3000)]
    values += [sympy.Rational(Fraction(rng.randint(-99, 99), rng.randint(1, 12))) for _ in range(500)]
    for v in values:
        assert _value(v) == complex(v.evalf(30)), v
    assert _value(sympy.sqrt(2)) == complex(sympy.sqrt(2).evalf(30))


@pytest.mark.parametrize(("answer_type", "gold", "args"), [
    ("factored", "3*(x - 3)*(x + 5)", {"vars": ["x"]}),
    ("factored", "(x + 1)*(x**2 + 3)", {"vars": ["x"]}),
    ("partial_fractions", "1/(x - 1) - 1/(x + 1)", {"vars": ["x"]}),
    ("expression", "x**2 + 1", {"vars": ["x"]}),
])
def test_a_trailing_comma_is_unparsed_not_a_grader_crash(answer_type, gold, args):
    """Found by the grading corpus's property test on a clean clone: '3*(x - 3)*(x + 5) ,' read
    as a one-element tuple in the form check, and the grader raised AttributeError."""
    for text in (f"{gold} ,", f"{gold},", f"({gold},)", f"{gold}, {gold}"):
        verdict = grade_answer(answer_type, text, gold, args, T)
        assert verdict.status in ("unparsed", "wrong") and "could not read" not in verdict.reason, (text, verdict)
