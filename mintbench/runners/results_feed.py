"""Grade a model's responses and record the run in the results store (`mintbench results add`)."""

from __future__ import annotations

from pathlib import Path

from mintbench.errors import MintbenchError
from mintbench.results.add import item_infos, target_items
from mintbench.results.store import ResultsStore


def responses_from_log(path: str | Path) -> dict[str, str]:
    """item id -> response from another runner's record of a mintbench export, read with the
    runner's own reader: an Inspect eval log (`.eval` or `.json`, sample id -> completion) or an
    lm-evaluation-harness samples file (`samples_*.jsonl`, doc.item_id -> filtered response)."""
    path = Path(path)
    if not path.is_file():
        raise MintbenchError(f"log {str(path)!r} does not exist")
    if path.suffix in (".eval", ".json"):
        from inspect_ai.log import read_eval_log

        try:
            log = read_eval_log(str(path))
        except Exception as exc:
            raise MintbenchError(f"{path}: not an Inspect eval log ({type(exc).__name__})") from None
        return {str(s.id): s.output.completion for s in (log.samples or [])}
    if path.suffix == ".jsonl":
        import json

        out = {}
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                out[str(row["doc"]["item_id"])] = str(row["filtered_resps"][0])
            except (ValueError, KeyError, IndexError, TypeError):
                raise MintbenchError(f"{path}:{lineno}: not an lm-evaluation-harness sample of a mintbench export "
                                     "(expected doc.item_id and filtered_resps)") from None
        return out
    raise MintbenchError(f"{path}: unknown log format {path.suffix!r}; allowed: .eval or .json (Inspect), .jsonl (lm-evaluation-harness samples)")


def add_responses(
    results: ResultsStore, target: str, model: str, responses_path: str | Path, store_location: str,
    meta: dict | None = None, replace: bool = False, responses: dict[str, str] | None = None, source: str = "grade",
) -> tuple[int, bool, dict]:
    """Grade a model's responses (the JSONL `grade` reads, or a dict already read from a
    runner's log) and record the run. Returns (run id, whether it was new, the grading summary)."""
    from mintbench.runners.grading import grade_items, load_responses, summarize

    release, items, created_at, revealed_at = target_items(target, store_location)
    if responses is None:
        responses = load_responses(responses_path)
    if not responses:
        raise MintbenchError(f"{str(responses_path)!r} holds no responses")
    graded = grade_items(items, responses)  # names unknown item ids (a file of another release) and stops
    run_id, new = record_graded(results, release, model, graded, meta=meta, source=source, responses=responses,
                                replace=replace, created_at=created_at, revealed_at=revealed_at)
    return run_id, new, summarize(graded, by=("domain",))


def record_graded(results: ResultsStore, release: str, model: str, graded: list, **run) -> tuple[int, bool]:
    """Record `grade_items`' output as one run (keyword arguments as ResultsStore.record)."""
    verdicts = {item.item_id: grade.status for item, grade, _ in graded}
    return results.record(release, model, verdicts, item_infos([item for item, _, _ in graded]), **run)
