"""Inspect task for a mintbench release, exported by `mintbench export --to inspect`.

Closed mode: responses are submitted to the grading service, which returns aggregates only.
Owner mode: the release's sealed answers are decrypted in memory with the owner's age identity
and every response is graded locally by mintbench's graders.
Closed mode needs only inspect-ai: `mintbench_runtime.py` beside this file uses the standard library.
Do not train on this data (see the canary in data/export.json).
"""

import sys
from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import GenerateConfig
from inspect_ai.scorer import CORRECT, INCORRECT, SampleScore, Score, Target, accuracy, metric, scorer, stderr
from inspect_ai.solver import TaskState, generate

sys.path.insert(0, str(Path(__file__).parent))  # the runtime beside this file, as a package or a task file
from mintbench_runtime import export_info, owner_grader, questions, released_accuracy, submit  # noqa: E402

DATA = Path(__file__).parent / "data"
INFO = export_info(DATA)
META = ("domain", "level", "format", "lang", "difficulty_label")


def dataset() -> MemoryDataset:
    rows = questions(DATA)
    samples = [Sample(id=r["item_id"], input=r["question"], metadata={k: r[k] for k in META}) for r in rows]
    return MemoryDataset(samples, name=f"mintbench-{INFO['version']}")


def _report(scores: list[SampleScore]) -> dict | None:
    """The service's report once every sample is scored. Inspect also computes metrics on
    partial results while it runs; those are not submitted (quotas count submissions)."""
    predictions = {str(s.sample_id): s.score.answer or "" for s in scores}
    return submit(DATA, predictions) if len(predictions) >= INFO["items"] else None


@metric(name="accuracy")
def service_accuracy():
    def compute(scores: list[SampleScore]) -> float:
        report = _report(scores)
        return released_accuracy(report) if report else float("nan")

    return compute


@scorer(metrics=[service_accuracy()])
def closed_scorer():
    async def score(state: TaskState, target: Target) -> Score:
        # Nothing is known here: the service scores the whole submission at once.
        return Score(value=0, answer=state.output.completion, explanation="submitted to the grading service")

    return score


@scorer(metrics=[accuracy(), stderr()])
def owner_scorer():
    grade = owner_grader(DATA)

    async def score(state: TaskState, target: Target) -> Score:
        status = grade(str(state.sample_id), state.output.completion)
        return Score(value=CORRECT if status == "correct" else INCORRECT, answer=state.output.completion, explanation=status)

    return score


@task
def mintbench(max_tokens: int = 512) -> Task:
    return Task(
        dataset=dataset(),
        solver=generate(),
        scorer=owner_scorer() if INFO["mode"] == "owner" else closed_scorer(),
        config=GenerateConfig(temperature=0.0, max_tokens=max_tokens),
    )
