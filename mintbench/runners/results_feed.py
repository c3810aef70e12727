"""Grade a model's responses and record the run in the results store (`mintbench results add`)."""

from __future__ import annotations

from pathlib import Path

from mintbench.errors import MintbenchError
from mintbench.results.add import item_infos, target_items
from mintbench.results.store import ResultsStore


def add_responses(
    results: ResultsStore, target: str, model: str, responses_path: str | Path, store_location: str,
    meta: dict | None = None, replace: bool = False,
) -> tuple[int, bool, dict]:
    """Grade a model's responses file (the JSONL `grade` reads) and record the run. Returns
    (run id, whether it was new, the grading summary)."""
    from mintbench.runners.grading import grade_items, load_responses, summarize

    release, items, created_at, revealed_at = target_items(target, store_location)
    responses = load_responses(responses_path)
    if not responses:
        raise MintbenchError(f"responses file {str(responses_path)!r} holds no responses")
    graded = grade_items(items, responses)  # names unknown item ids (a file of another release) and stops
    verdicts = {item.item_id: grade.status for item, grade, _ in graded}
    run_id, new = results.record(release, model, verdicts, item_infos(items), meta=meta, source="grade", responses=responses,
                                 replace=replace, created_at=created_at, revealed_at=revealed_at)
    return run_id, new, summarize(graded, by=("domain",))
