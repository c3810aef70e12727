"""Difficulty filtering as a Prefect step: one task per shard of items.

The reference models (or the embedded server) are brought up once for the whole flow.
Shards run one after another so each model's concurrency bound holds across the step.
Tasks return file paths and call counts; items and answers stay on disk.
"""

import shutil
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from mintbench.difficulty.labels import decide, summary
from mintbench.difficulty.filtering import CACHE_FILE, filter_shard, merge_stats, reference_models, write_filtered
from mintbench.difficulty.config import FilterSettings, ModelSpec, load_ladder
from mintbench.items.setdir import load_set, read_items, write_items


@task(name="filter-shard", persist_result=False, cache_policy=NO_CACHE)
def filter_shard_task(set_dir: str, start: int, stop: int, models: list[ModelSpec], settings: FilterSettings, work: str) -> dict:
    items, _ = load_set(set_dir)
    annotated, stats = filter_shard(items[start:stop], models, settings, Path(set_dir) / CACHE_FILE)
    path = Path(work) / f"filtered-{start:09d}.parquet"
    write_items(annotated, path)
    get_run_logger().info("shard %d-%d: %d items measured", start, stop, len(annotated))
    return {"path": str(path), "stats": stats}


@flow(name="filter_set", persist_result=False, log_prints=False)
def filter_set(set_dir: str, models_config: str | None = None) -> dict:
    """Measure difficulty on the reference ladder; returns counts only."""
    ladder = load_ladder(models_config)
    settings = ladder.filter
    items, manifest = load_set(set_dir)
    work = Path(set_dir) / ".cache" / "filter-work"
    work.mkdir(parents=True, exist_ok=True)
    try:
        with reference_models(ladder, Path(set_dir) / ".cache") as models:
            order = [m.name for m in models]
            parts = [
                filter_shard_task(set_dir, a, min(a + settings.shard_size, len(items)), models, settings, str(work))
                for a in range(0, len(items), settings.shard_size)
            ]
        annotated = [i for p in parts for i in read_items(Path(p["path"]))]
        decided = decide(annotated, order, settings)
        info = summary(decided, merge_stats([p["stats"] for p in parts]), order, settings)
        write_filtered(Path(set_dir), decided, manifest, info)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    create_markdown_artifact(
        key="filter-set-summary",
        markdown="# Difficulty filter\n\n" + "\n".join(f"- {k}: {v}" for k, v in info["by_label"].items())
        + f"\n\nCalls: {info['calls']} (fixed-k baseline {info['fixed_k_baseline_calls']}).\n",
        description="Counts only; items and answers stay in the set directory.",
    )
    get_run_logger().info("filtered %d items on %d model(s)", len(decided), len(order))
    return {"labels": info["by_label"], "decisions": info["by_decision"], "calls": info["calls"]}
