import json
import subprocess
import sys

import pytest

from mintbench.errors import MintbenchError
from mintbench.runners.grading import grade_items, load_responses, summarize
from mintbench.items.registry import build_item
from mintbench.items.setdir import load_set
from validators.grade import grade_response

CLI = [sys.executable, "-m", "mintbench.cli"]


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_gold_answers_score_100_percent(math_set, tmp_path):
    items, _ = load_set(math_set)
    rows = [{"item_id": i.item_id, "response": f"Let me work. <answer>{i.answer}</answer>"} for i in items]
    proc = subprocess.run([*CLI, "grade", str(math_set), "--responses", str(_write(tmp_path / "r.jsonl", rows)), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["accuracy"] == 1.0 and report["overall"]["correct"] == len(items)
    assert set(report["by_level"]) == {i.level for i in items}
    assert report["by_generator"]["math.derivative"]["accuracy"] == 1.0


def test_boxed_gold_for_math_is_accepted(math_set):
    items, _ = load_set(math_set)
    for item in items:
        assert grade_response(item, f"\\boxed{{{item.answer}}}").status == "correct", item.generator


def test_equivalent_rewritings_are_correct():
    deriv = build_item("math.derivative", 1, 0, fmt="open")
    import sympy

    shuffled = " + ".join(f"({t})" for t in reversed(sympy.Add.make_args(sympy.sympify(deriv.answer))))
    assert grade_response(deriv, f"<answer>{shuffled}</answer>").status == "correct"
    limit = next(build_item("math.limit", 1, i, fmt="open") for i in range(50) if "/" in build_item("math.limit", 1, i, fmt="open").answer and build_item("math.limit", 1, i, fmt="open").answer.split("/")[1] in ("2", "4", "5"))
    num, den = limit.answer.split("/")
    assert grade_response(limit, f"<answer>{int(num) / int(den)}</answer>").status == "correct"
    roots = build_item("math.polynomial_roots", 1, 0, fmt="open")
    reordered = "{" + ", ".join(reversed(roots.answer.strip("{}").split(", "))) + "}"
    assert grade_response(roots, f"<answer>{reordered}</answer>").status == "correct"


def test_near_misses_are_wrong():
    det = build_item("math.determinant", 1, 0, fmt="open")
    assert grade_response(det, f"<answer>{int(det.answer) + 1}</answer>").status == "wrong"
    assert grade_response(det, f"<answer>{-int(det.answer)}</answer>").status == "wrong"
    deriv = build_item("math.derivative", 1, 0, fmt="open")
    assert grade_response(deriv, f"<answer>-({deriv.answer})</answer>").status == "wrong"


@pytest.mark.parametrize("response", ["", "I don't know", "<think>It is <answer>3</answer>", "<answer>??</answer>"])
def test_empty_or_untagged_is_unparsed(response):
    det = build_item("math.determinant", 1, 0, fmt="open")
    assert grade_response(det, response).status == "unparsed"


def test_missing_responses_count_against_accuracy(math_set):
    items, _ = load_set(math_set)
    half = {i.item_id: f"<answer>{i.answer}</answer>" for i in items[::2]}
    report = summarize(grade_items(items, half))
    assert report["missing"] == len(items) - len(half)
    assert report["accuracy"] == pytest.approx(len(half) / len(items))


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json\n", "r.jsonl:1: malformed JSON"),
        ('{"item_id": "a"}\n', "missing key 'response'"),
        ('[1, 2]\n', "expected a JSON object"),
        ('{"item_id": 5, "response": "x"}\n', "must be strings"),
        ('{"item_id": "a", "response": "x"}\n{"item_id": "a", "response": "y"}\n', "r.jsonl:2: duplicate item_id 'a'"),
    ],
)
def test_malformed_responses_name_the_line(tmp_path, content, message):
    path = tmp_path / "r.jsonl"
    path.write_text(content)
    with pytest.raises(MintbenchError, match=message.replace("[", r"\[")):
        load_responses(path)


def test_unknown_item_ids_exit_2(math_set, tmp_path):
    path = _write(tmp_path / "r.jsonl", [{"item_id": "deadbeef", "response": "<answer>1</answer>"}])
    proc = subprocess.run([*CLI, "grade", str(math_set), "--responses", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2 and "not in the set" in proc.stderr and "deadbeef" in proc.stderr


def test_validate_reproves_and_detects_tampering(math_set, tmp_path):
    import shutil

    ok = subprocess.run([*CLI, "validate", str(math_set)], capture_output=True, text=True)
    assert ok.returncode == 0 and "120/120 items proven" in ok.stdout
    copy = tmp_path / "copy"
    shutil.copytree(math_set, copy)
    from mintbench.items.setdir import read_items, write_items

    items = read_items(copy / "items.parquet")
    det = next(i for i, it in enumerate(items) if it.answer_type == "integer")
    items[det] = items[det].model_copy(update={"answer": str(int(items[det].answer) + 1)})
    write_items(items, copy / "items.parquet")
    bad = subprocess.run([*CLI, "validate", str(copy)], capture_output=True, text=True)
    assert bad.returncode == 1 and "119/120 items proven" in bad.stdout and "hash mismatch" in bad.stderr


def test_slow_responses_first_in_the_file_void_no_gold_answer_after_them(math_set, tmp_path):
    """`mintbench grade` as an owner runs it: three responses over the CPU budget head the file,
    and every gold answer after them is still credited (0 of 20 once, when the fourth overrun
    voided the rest of the call)."""
    import os

    items, _ = load_set(math_set)
    lines = [{"item_id": i.item_id, "response": "<answer>burn 3</answer>" if k < 3 else f"<answer>{i.answer}</answer>"}
             for k, i in enumerate(items)]
    path = tmp_path / "slow-first.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    env = {**os.environ, "MINTBENCH_GRADER_BURN": "1"}  # test hook: '<answer>burn S</answer>' costs S CPU seconds
    done = subprocess.run([sys.executable, "-m", "mintbench.cli", "grade", str(math_set), "--responses", str(path), "--json"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["overall"]["correct"] == len(items) - 3 and report["overall"]["unparsed"] == 3
