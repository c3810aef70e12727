"""On-demand set: one Prefect task per shard of items, never per item.

Tasks return shard paths and counts, never items: answers stay on disk and out of
Prefect's result storage, logs and artifacts. A sealed spec (one with a secret) travels only as
the path of a private file, to the flow and to its tasks: Prefect stores parameters.
"""

import shutil
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from mintbench.create.build import (
    SetSpec,
    ShardResult,
    default_out_dir,
    discard_on_user_error,
    finalize,
    now_utc,
    resolve_generators,
    run_rounds,
    work_dir_for,
)
from mintbench.items.setdir import ensure_writable_parent, private_dir


def on_runner(flow_fn, dask_address: str | None = None, workers: int = 1):
    """The flow with its shard tasks on a Dask cluster (`tcp://host:port`), or on a pool of
    `workers` local processes; unchanged otherwise. Shards are the unit of work either way."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return flow_fn.with_options(task_runner=DaskTaskRunner(address=dask_address))
    if workers > 1:
        # Threads that only wait: each hands its shard to the process pool of `shard_pool`,
        # whose workers stay up for the whole run (Prefect's ProcessPoolTaskRunner pays a
        # Prefect start-up per task process and measured 1.4x on 2 cores against 1.9x here).
        return flow_fn.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))
    return flow_fn


def load_spec(spec: SetSpec | None, spec_file: str | None) -> SetSpec:
    if spec_file is not None:
        return SetSpec.model_validate_json(Path(spec_file).read_text())
    if spec is None:
        raise ValueError("create_set needs spec or spec_file")
    if spec.sealed:
        raise ValueError("a sealed spec must come as spec_file: Prefect would store its secret")
    return spec


@task(name="build-shard", persist_result=False, cache_policy=NO_CACHE, retries=1)
def build_shard_task(spec: SetSpec | None, spec_file: str | None, generator_ids: list[str], start: int, stop: int, work_dir: str) -> dict:
    from mintbench.create.build import build_shard_pooled

    result = build_shard_pooled(load_spec(spec, spec_file), generator_ids, start, stop, work_dir)
    get_run_logger().info("shard %d-%d: %d proven items", start, stop, result.kept)
    return result.as_dict()


@task(name="assemble-set", persist_result=False, cache_policy=NO_CACHE)
def assemble_task(spec: SetSpec | None, spec_file: str | None, shards: list[dict], out: str, created_at: str) -> str:
    return str(finalize(load_spec(spec, spec_file), [ShardResult(**s) for s in shards], Path(out), created_at))


# Shards are CPU-bound Python: more threads in one process would only contend for the GIL.
# Parallelism comes from processes (`on_runner(..., workers=N)` with `shard_pool`) or Dask.
@flow(name="create_set", persist_result=False, log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=1))
def create_set(spec: SetSpec | None = None, out: str | None = None, created_at: str | None = None, spec_file: str | None = None) -> str:
    """Generate, prove and write a set; returns the set directory. Shards finished by an
    interrupted run of the same spec and output are reused, not rebuilt. A sealed spec comes
    as `spec_file`, a path: flow parameters are stored by Prefect."""
    public_spec = spec
    spec = load_spec(spec, spec_file)
    logger = get_run_logger()
    generator_ids = resolve_generators(spec)
    out_path = Path(out) if out else default_out_dir(spec)
    ensure_writable_parent(out_path)
    work = work_dir_for(out_path, spec)
    private_dir(work)
    created_at = created_at or now_utc()

    def run_shards(ranges):
        futures = [build_shard_task.submit(public_spec, spec_file, generator_ids, a, b, str(work)) for a, b in ranges]
        return [ShardResult(**f.result()) for f in futures]

    with discard_on_user_error(work):
        shards = run_rounds(spec, run_shards)
        path = assemble_task(public_spec, spec_file, [s.as_dict() for s in shards], str(out_path), created_at)
    shutil.rmtree(work, ignore_errors=True)  # only once the set is whole: the shards resume a crashed run
    kept = sum(s.kept for s in shards)
    create_markdown_artifact(
        key="create-set-summary",
        markdown=f"# Set created\n\n- domain: {spec.domain}\n- requested: {spec.count}\n"
        f"- proven items generated: {kept}\n- shards: {len(shards)}\n- generators: {len(generator_ids)}\n",
        description="Counts only; items and answers stay in the set directory.",
    )
    logger.info("set written with %d items", spec.count)
    return path
