"""lm-evaluation-harness hooks for a mintbench release, exported by `mintbench export --to lm-eval`.

Closed mode: process_results keeps (item_id, response) and the aggregation submits them all to
the grading service, which returns aggregates only. Owner mode: every response is graded
locally after decrypting the sealed answers in memory with the owner's age identity.
Closed mode needs only lm-eval: `mintbench_runtime.py` beside this file uses the standard library.
Do not train on this data (see the canary in data/export.json).
"""

import sys
from pathlib import Path

import datasets

sys.path.insert(0, str(Path(__file__).parent))  # lm-eval loads this file by path: find the runtime beside it
from mintbench_runtime import export_info, owner_grader, questions, released_accuracy, submit  # noqa: E402

DATA = Path(__file__).parent / "data"
INFO = export_info(DATA)
_grade = None


def load_dataset(**kwargs) -> datasets.DatasetDict:
    keep = ("item_id", "domain", "level", "format", "lang", "question")
    rows = [{k: r[k] for k in keep} for r in questions(DATA)]
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(rows)})


def process_results(doc: dict, results: list[str]) -> dict:
    global _grade
    response = results[0] if results else ""
    if INFO["mode"] != "owner":
        return {"accuracy": (doc["item_id"], response)}
    if _grade is None:
        _grade = owner_grader(DATA)
    return {"accuracy": 1.0 if _grade(doc["item_id"], response) == "correct" else 0.0}


def aggregate_accuracy(values: list) -> float:
    if INFO["mode"] == "owner":
        return sum(values) / len(values) if values else 0.0
    return released_accuracy(submit(DATA, {item_id: response for item_id, response in values}))
