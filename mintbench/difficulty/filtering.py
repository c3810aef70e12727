"""`mintbench filter`: measure each item's difficulty on the reference ladder and write the
difficulty columns, `difficulty_report.md` and its plots into the set directory."""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Iterator

from mintbench.difficulty.labels import annotate, decide, summary
from mintbench.difficulty.config import FilterSettings, Ladder, ModelSpec
from mintbench.difficulty.reference import run_ladder
from mintbench.difficulty.cache import ResponseCache
from mintbench.items.schema import Item
from mintbench.items.setdir import ITEMS_FILE, MANIFEST_FILE, load_set, sha256_file, write_items, write_json

CACHE_FILE = Path(".cache") / "responses.sqlite"


@contextmanager
def reference_models(ladder: Ladder, log_dir: Path) -> Iterator[list[ModelSpec]]:
    """The configured ladder, or the embedded ladder's servers for as long as they are needed."""
    if ladder.models:
        yield list(ladder.models)
        return
    from mintbench.difficulty.embedded import embedded_ladder

    with embedded_ladder(ladder.embedded, log_dir) as specs:
        yield specs


def filter_shard(items: list[Item], models: list[ModelSpec], settings: FilterSettings, cache_path: Path) -> tuple[list[Item], dict]:
    """Sample one shard of items on the ladder; items come back annotated (not yet decided)."""
    cache = ResponseCache(cache_path)
    try:
        result = asyncio.run(run_ladder(items, models, settings, cache))
    finally:
        cache.close()
    order = [m.name for m in models]
    stats = {m: asdict(s) for m, s in result.stats.items()}
    return annotate(items, result.tallies, order, settings), stats


def merge_stats(parts: list[dict]) -> dict[str, dict[str, int]]:
    total: dict[str, Counter] = {}
    for part in parts:
        for model, counts in part.items():
            total.setdefault(model, Counter()).update(counts)
    return {m: dict(c) for m, c in total.items()}


def write_filtered(set_dir: Path, items: list[Item], manifest: dict, info: dict) -> None:
    write_items(items, set_dir / ITEMS_FILE)
    manifest = {**manifest, "difficulty": info}
    manifest["counts"]["by_label"] = info["by_label"]
    manifest.setdefault("files", {})[ITEMS_FILE] = {"sha256": sha256_file(set_dir / ITEMS_FILE), "rows": len(items)}
    from mintbench.difficulty.report import write_report

    for name in write_report(set_dir, items, info):
        manifest["files"][name] = {"sha256": sha256_file(set_dir / name)}
    write_json(manifest, set_dir / MANIFEST_FILE)


def run_filter(set_dir: str | Path, ladder: Ladder, progress: Callable[[int], None] | None = None) -> dict:
    """The whole filter step in this process: shards run one after another."""
    set_dir = Path(set_dir)
    items, manifest = load_set(set_dir)
    settings = ladder.filter
    annotated, stats = [], []
    with reference_models(ladder, set_dir / ".cache") as models:
        order = [m.name for m in models]
        for start in range(0, len(items), settings.shard_size):
            shard = items[start : start + settings.shard_size]
            done, shard_stats = filter_shard(shard, models, settings, set_dir / CACHE_FILE)
            annotated += done
            stats.append(shard_stats)
            if progress:
                progress(len(shard))
    decided = decide(annotated, order, settings)
    info = summary(decided, merge_stats(stats), order, settings)
    write_filtered(set_dir, decided, manifest, info)
    return info
