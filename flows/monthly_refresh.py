"""The monthly refresh: generate -> prove -> dedup -> filter -> select -> seal -> sign ->
publish -> notes, as a Prefect deployment on cron `0 3 1 * *` (UTC).

Configured by the `[refresh]` table of the project config (`mintbench.toml`):

```toml
[refresh]
store = "outputs/releases"
quotas = { math = 500, chemistry = 500, biology = 500 }
oversample = 1.5        # candidates generated per released item
difficulty = "medium"
filter = true           # measure difficulty on the [[models]] ladder (embedded model if none)
workers = 1             # processes building shards on this machine
# dask = "tcp://10.0.0.5:8786"  # run the shard tasks on a Dask cluster
```
The flow returns paths and digests only; answers never reach Prefect results or artifacts.
"""

import hashlib
import math
import secrets
import tomllib
import uuid
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, ConfigDict, Field

from flows.create_set import create_set, on_runner
from mintbench.create.build import SetSpec, new_secret, now_utc, shard_pool
from mintbench.items.rng import keyed_digest
from mintbench.errors import MintbenchError
from mintbench.faults import checkpoint
from mintbench.releases.keys import load_keys
from mintbench.releases.release import channel_of, publish
from mintbench.items.setdir import private_dir, read_manifest, write_private
from mintbench.releases.store import Store

CRON = "0 3 1 * *"
DEPLOYMENT = "monthly"


class RefreshConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    store: str = "outputs/releases"
    work: str = "outputs/refresh"
    quotas: dict[str, int] = Field(default_factory=lambda: {"math": 500, "chemistry": 500, "biology": 500})
    oversample: float = Field(default=1.5, ge=1.0)
    difficulty: str = "medium"
    filter: bool = True
    models: str | None = None  # ladder config path for the filter step
    shard_size: int = Field(default=500, ge=1)  # items per shard task
    workers: int = Field(default=1, ge=1)  # processes building shards on this machine
    dask: str | None = None  # scheduler address (tcp://host:port): shard tasks run on that cluster


def load_refresh_config(path: str | None) -> RefreshConfig:
    if path is None:
        return RefreshConfig()
    try:
        data = tomllib.loads(Path(path).read_text()).get("refresh", {})
        return RefreshConfig.model_validate(data)
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise MintbenchError(f"bad refresh config {path}: {str(exc).splitlines()[0]}") from None


class RunState(BaseModel):
    """The secrets and stamps of one month's run, fixed on its first attempt so that a crashed
    run, run again, makes the same release. Kept in the private work directory (0600), never
    passed to Prefect as a flow parameter."""

    secret: str  # 256 bits: every item of the month is drawn from its keyed stream
    created_at: str
    nonce: str
    canary: str


def run_state(work: Path) -> RunState:
    path = work / "state.json"
    if path.is_file():
        return RunState.model_validate_json(path.read_text())
    private_dir(work)
    state = RunState(
        secret=new_secret(), created_at=now_utc(), nonce=secrets.token_hex(16),
        canary=f"mintbench:{uuid.UUID(bytes=secrets.token_bytes(16), version=4)}",
    )
    write_private(path, state.model_dump_json().encode())
    return state


def selection_seed(secret: str) -> int:
    return int.from_bytes(keyed_digest(secret, "selection")[:8], "big")


def finished_set(out: Path, spec: SetSpec) -> bool:
    try:
        return read_manifest(out).get("spec_digest") == spec.digest()
    except MintbenchError:
        return False


@task(name="publish-release", persist_result=False, cache_policy=NO_CACHE)
def publish_task(set_dirs: list[str], version: str, store: str, quotas: dict[str, int], work: str) -> dict:
    state = run_state(Path(work))
    releases = Store(store)
    if not releases.is_published(version):  # else published by an earlier attempt of this run
        publish(set_dirs, version, releases, load_keys(), quotas=quotas, selection_seed=selection_seed(state.secret),
                nonce=state.nonce, canary=state.canary)
    checkpoint("publish:published")
    releases.set_pointer(channel_of(version), version)
    manifest = releases.read_bytes(version, "manifest.json")
    return {"path": releases.path(version), "manifest_sha256": hashlib.sha256(manifest).hexdigest()}


@flow(name="monthly_refresh", persist_result=False, log_prints=False)
def monthly_refresh(month: str | None = None, config: str | None = None, dask: str | None = None) -> dict:
    """Build and publish release YYYY.MM; returns its path and manifest digest.

    Resumable: killed at any point and run again, it reuses the month's secret and stamps, the
    finished sets and shards, the filter's response cache and a release already published."""
    cfg = load_refresh_config(config)
    dask = dask or cfg.dask
    version = (month or datetime.now(timezone.utc).strftime("%Y-%m")).replace("-", ".")
    work = Path(cfg.work) / version
    state = run_state(work)
    set_dirs = []
    for domain, quota in sorted(cfg.quotas.items()):
        spec = SetSpec(domain=domain, count=math.ceil(quota * cfg.oversample), secret=state.secret, difficulty=cfg.difficulty, shard_size=cfg.shard_size)
        out = work / domain
        if not finished_set(out, spec):
            # The spec (and its secret) goes by file: flow parameters are stored by Prefect.
            spec_file = work / f"{domain}.spec.json"
            write_private(spec_file, spec.model_dump_json().encode())
            with shard_pool(1 if dask else cfg.workers):
                on_runner(create_set, dask, cfg.workers)(spec_file=str(spec_file), out=str(out), created_at=state.created_at)
        checkpoint("refresh:created")
        set_dirs.append(str(out))
        if cfg.filter and "difficulty" not in read_manifest(out):
            from flows.filter_set import filter_set

            filter_set(str(out), cfg.models)
        checkpoint("refresh:filtered")
    result = publish_task(set_dirs, version, cfg.store, cfg.quotas, str(work))
    create_markdown_artifact(
        key="monthly-refresh",
        markdown=f"# Release {version}\n\n" + "\n".join(f"- {d}: {q} items" for d, q in sorted(cfg.quotas.items()))
        + f"\n\nManifest sha256 `{result['manifest_sha256']}`; see NOTES.md in the release.\n",
        description="Counts and digests only.",
    )
    get_run_logger().info("published %s", version)
    return {"version": version, **result}


def serve(config: str | None = None) -> None:
    """Register the deployment with its cron schedule and run its scheduled flow runs.
    Needs a real Prefect server (`prefect server start`): the temporary API fires no schedules."""
    from prefect.schedules import Cron

    monthly_refresh.serve(
        name=DEPLOYMENT,
        schedules=[Cron(CRON, timezone="UTC")],
        parameters={"config": config} if config else {},
        description="Monthly mintbench release",
        print_starting_message=True,
    )
