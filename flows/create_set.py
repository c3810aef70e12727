"""On-demand set: one Prefect task per shard of items, never per item.

Tasks return shard paths and counts, never items: answers stay on disk and out of
Prefect's result storage, logs and artifacts.
"""

import shutil
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from mintbench.create import (
    SetSpec,
    ShardResult,
    default_out_dir,
    finalize,
    now_utc,
    resolve_generators,
    run_rounds,
    work_dir_for,
)
from mintbench.setdir import ensure_writable_parent


@task(name="build-shard", persist_result=False, cache_policy=NO_CACHE, retries=1)
def build_shard_task(spec: SetSpec, generator_ids: list[str], start: int, stop: int, work_dir: str) -> dict:
    from mintbench.create import build_shard

    result = build_shard(spec, generator_ids, start, stop, work_dir)
    get_run_logger().info("shard %d-%d: %d proven items", start, stop, result.kept)
    return result.as_dict()


@task(name="assemble-set", persist_result=False, cache_policy=NO_CACHE)
def assemble_task(spec: SetSpec, shards: list[dict], out: str, created_at: str) -> str:
    return str(finalize(spec, [ShardResult(**s) for s in shards], Path(out), created_at))


@flow(name="create_set", persist_result=False, log_prints=False)
def create_set(spec: SetSpec, out: str | None = None) -> str:
    """Generate, prove and write a set; returns the set directory."""
    logger = get_run_logger()
    generator_ids = resolve_generators(spec)
    out_path = Path(out) if out else default_out_dir(spec)
    ensure_writable_parent(out_path)
    work = work_dir_for(out_path, spec)
    work.mkdir(parents=True, exist_ok=True)
    created_at = now_utc()

    def run_shards(ranges):
        futures = [build_shard_task.submit(spec, generator_ids, a, b, str(work)) for a, b in ranges]
        return [ShardResult(**f.result()) for f in futures]

    try:
        shards = run_rounds(spec, run_shards)
        path = assemble_task(spec, [s.as_dict() for s in shards], str(out_path), created_at)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    kept = sum(s.kept for s in shards)
    create_markdown_artifact(
        key="create-set-summary",
        markdown=f"# Set created\n\n- domain: {spec.domain}\n- requested: {spec.count}\n"
        f"- proven items generated: {kept}\n- shards: {len(shards)}\n- generators: {len(generator_ids)}\n",
        description="Counts only; items and answers stay in the set directory.",
    )
    logger.info("set written with %d items", spec.count)
    return path
