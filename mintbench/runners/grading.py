"""Grade a responses file against a set, and re-prove a set's gold answers."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterable

from mintbench.errors import MintbenchError
from mintbench.items.schema import Item
from validators.sandbox import Allowance, Sandbox, grade_guarded
from validators.result import STATUSES, Grade

MAX_RESPONSES_BYTES = 512 * 1024 * 1024


def load_responses(path: str | Path) -> dict[str, str]:
    """`{"item_id": ..., "response": ...}` per line; every bad line is named by number."""
    path = Path(path)
    if not path.is_file():
        raise MintbenchError(f"responses file {str(path)!r} does not exist")
    if path.stat().st_size > MAX_RESPONSES_BYTES:
        raise MintbenchError(f"responses file {str(path)!r} is larger than {MAX_RESPONSES_BYTES} bytes")
    out: dict[str, str] = {}
    with open(path, encoding="utf-8", errors="strict") as fh:
        try:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                out.update([_parse_line(line, lineno, path, out)])
        except UnicodeDecodeError:
            raise MintbenchError(f"{path}: not UTF-8 text") from None
    return out


def _parse_line(line: str, lineno: int, path: Path, seen: dict) -> tuple[str, str]:
    where = f"{path}:{lineno}"
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MintbenchError(f"{where}: malformed JSON ({exc.msg}); expected {{\"item_id\": ..., \"response\": ...}}") from None
    if not isinstance(row, dict):
        raise MintbenchError(f"{where}: expected a JSON object with keys item_id and response")
    missing = [k for k in ("item_id", "response") if k not in row]
    if missing:
        raise MintbenchError(f"{where}: missing key {missing[0]!r}; required keys: item_id, response")
    item_id, response = row["item_id"], row["response"]
    if not isinstance(item_id, str) or not isinstance(response, str):
        raise MintbenchError(f"{where}: item_id and response must be strings")
    if item_id in seen:
        raise MintbenchError(f"{where}: duplicate item_id {item_id!r}")
    return item_id, response


CHUNK = 500  # items per process-pool task: large enough that pickling is noise


def _in_pool(fn, chunks: list, workers: int, progress: Callable[[int], None] | None) -> list:
    """fn over chunks on `workers` processes, results in chunk order."""
    from concurrent.futures import ProcessPoolExecutor

    out = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk, result in zip(chunks, pool.map(fn, chunks)):
            out += result
            if progress:
                progress(len(chunk))
    return out


def _prove_chunk(items: list[Item]) -> list[str | None]:
    from validators.proofs import prove_item

    return [prove_item(item) for item in items]


def grade_items(
    items: Iterable[Item], responses: dict[str, str], progress: Callable[[int], None] | None = None, workers: int = 1,
    allowance: Allowance | None = None, sandbox: Sandbox | None = None,
) -> list[tuple[Item, Grade, bool]]:
    """(item, grade, answered) for every item; an unanswered item is `unparsed`. Every
    response is graded in the sandbox, on its own CPU budget. With workers > 1 the answered
    items are graded on that many processes. With an allowance (the grading service), a file
    that costs more in all is refused whole (TooCostly). `sandbox`: the one to grade in (a
    service's lease), else this process's shared one."""
    items = list(items)
    known = {i.item_id for i in items}
    unknown = [k for k in responses if k not in known]
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:3])
        raise MintbenchError(f"{len(unknown)} response item_id(s) are not in the set, e.g. {shown}")
    answered = [(i, responses[i.item_id]) for i in items if i.item_id in responses]
    # One chunk under an allowance: the allowance bounds the whole call, not each chunk.
    chunks = [answered[k : k + CHUNK] for k in range(0, len(answered), CHUNK)] if allowance is None else [answered]
    if workers > 1 and len(items) > CHUNK:
        graded = _in_pool(grade_guarded, chunks, workers, progress)
    else:
        graded = []
        for chunk in chunks:
            graded += grade_guarded(chunk, allowance, sandbox)
            if progress:
                progress(len(chunk))
    if progress:
        progress(len(items) - len(answered))
    grades = iter(graded)
    return [(i, next(grades), True) if i.item_id in responses else (i, Grade("unparsed", "no response"), False) for i in items]


def _bucket(grades) -> dict:
    counts = Counter(g.status for _, g, _ in grades)
    total = len(grades)
    return {
        "n": total,
        **{s: counts.get(s, 0) for s in STATUSES},
        "accuracy": counts.get("correct", 0) / total if total else 0.0,
    }


GROUPINGS = {"domain": "domain", "level": "level", "generator": "generator", "format": "format", "label": "difficulty_label"}


def summarize(graded: list[tuple[Item, Grade, bool]], by: tuple[str, ...] = ("domain", "level", "generator", "format")) -> dict:
    """Accuracy overall and by each grouping in `by` (keys of GROUPINGS); no per-item answers."""
    groups: dict[str, dict[str, list]] = {k: defaultdict(list) for k in by}
    for row in graded:
        item = row[0]
        for key in groups:
            groups[key][getattr(item, GROUPINGS[key]) or "unmeasured"].append(row)
    overall = _bucket(graded)
    return {
        "accuracy": overall["accuracy"],
        "overall": overall,
        "missing": sum(1 for *_, answered in graded if not answered),
        **{f"by_{key}": {k: _bucket(v) for k, v in sorted(g.items())} for key, g in groups.items()},
    }


def prove_set(items: Iterable[Item], progress: Callable[[int], None] | None = None, workers: int = 1) -> dict:
    items = list(items)
    if workers > 1 and len(items) > CHUNK:
        problems = _in_pool(_prove_chunk, [items[k : k + CHUNK] for k in range(0, len(items), CHUNK)], workers, progress)
    else:
        problems = []
        for item in items:
            problems += _prove_chunk([item])
            if progress:
                progress(1)
    failures: Counter = Counter()
    reasons: Counter = Counter()
    total = len(items)
    for item, problem in zip(items, problems):
        if problem:
            failures[item.generator] += 1
            reasons[problem] += 1
    return {"items": total, "proven": total - sum(failures.values()), "failed_by_generator": dict(failures), "reasons": dict(reasons)}
