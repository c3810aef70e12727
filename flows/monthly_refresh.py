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

[refresh.sources]       # live knowledge of the month before the release (off when absent)
use = ["pubchem", "ncbi"]
share = 0.3             # at least this share of each live domain's quota cites a live record
require_live = false    # true: fail, naming the source, when one is unreachable or too thin
# window = ["2026-10-01", "2026-10-31"]   # default: the calendar month before the release
[refresh.sources.ncbi]
term = '"Escherichia coli"[Organism] AND biomol_genomic[PROP] AND 1000:20000[SLEN]'
```
The flow returns paths and digests only; answers never reach Prefect results or artifacts.
"""

import hashlib
import math
import secrets
import tomllib
import uuid
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Literal

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flows.create_set import create_set, on_runner
from generators.sources.live_month import NcbiSource, PubchemSource, fetch_source, live_generators, previous_month
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


class SourcesConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    use: list[Literal["pubchem", "ncbi"]] = Field(default_factory=lambda: ["pubchem", "ncbi"])
    share: float = Field(default=0.3, ge=0.0, le=1.0)
    require_live: bool = False
    window: tuple[date, date] | None = None  # default: the calendar month before the release
    pubchem: PubchemSource = Field(default_factory=PubchemSource)
    ncbi: NcbiSource = Field(default_factory=NcbiSource)


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
    sources: SourcesConfig | None = None  # live knowledge; absent: embedded snapshots only
    # items of generators whose questions public draws reproduce: marked in CARD.md, or left out
    recall: Literal["mark", "exclude"] = "mark"


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


@task(name="fetch-live-source", persist_result=False, cache_policy=NO_CACHE)
def fetch_live_task(name: str, config: str | None, overrides: dict | None, version: str, work: str) -> dict:
    """One source's month into the private work directory; returns paths and counts only. The
    settings are read here from the config file, not passed in: an NCBI API key must not become
    a stored task parameter."""
    sources = with_live_overrides(load_refresh_config(config), overrides).sources
    start, end = sources.window or previous_month(version)
    return fetch_source(name, getattr(sources, name), start, end, Path(work) / "sources")


@task(name="publish-release", persist_result=False, cache_policy=NO_CACHE)
def publish_task(set_dirs: list[str], version: str, store: str, quotas: dict[str, int], work: str,
                 live_quotas: dict[str, int] | None = None, live: dict | None = None, recall: str = "mark") -> dict:
    state = run_state(Path(work))
    releases = Store(store)
    if not releases.is_published(version):  # else published by an earlier attempt of this run
        publish(set_dirs, version, releases, load_keys(), quotas=quotas, selection_seed=selection_seed(state.secret),
                nonce=state.nonce, canary=state.canary, live_quotas=live_quotas, live=live, recall=recall)
    checkpoint("publish:published")
    releases.set_pointer(channel_of(version), version)
    manifest = releases.read_bytes(version, "manifest.json")
    return {"path": releases.path(version), "manifest_sha256": hashlib.sha256(manifest).hexdigest()}


def with_live_overrides(cfg: RefreshConfig, overrides: dict | None) -> RefreshConfig:
    """Command-line flags over the [refresh.sources] table (a table with its defaults if absent)."""
    if not overrides:
        return cfg
    try:
        sources = SourcesConfig.model_validate({**(cfg.sources or SourcesConfig()).model_dump(), **overrides})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise MintbenchError(f"bad live-source setting {'.'.join(map(str, err['loc']))} = {err.get('input')!r}: {err['msg']}") from None
    return cfg.model_copy(update={"sources": sources})


def fetch_live(cfg: RefreshConfig, config: str | None, overrides: dict | None, version: str, work: Path) -> dict[str, dict]:
    """Every configured live source's month; under require_live an unusable one stops the run."""
    live = {}
    for name in cfg.sources.use if cfg.sources else ():
        summary = fetch_live_task(name, config, overrides, version, str(work))
        if summary["status"] != "ok" and cfg.sources.require_live:
            raise MintbenchError(f"live source {name} is {summary['status']}: {summary['reason']} (require_live = true)")
        live[name] = summary
    return live


def build_set(spec: SetSpec, out: Path, work: Path, name: str, cfg: RefreshConfig, dask: str | None, created_at: str) -> str:
    if not finished_set(out, spec):
        # The spec (and its secret) goes by file: flow parameters are stored by Prefect.
        spec_file = work / f"{name}.spec.json"
        write_private(spec_file, spec.model_dump_json().encode())
        with shard_pool(1 if dask else cfg.workers):
            on_runner(create_set, dask, cfg.workers)(spec_file=str(spec_file), out=str(out), created_at=created_at)
    return str(out)


@flow(name="monthly_refresh", persist_result=False, log_prints=False)
def monthly_refresh(month: str | None = None, config: str | None = None, dask: str | None = None, live_overrides: dict | None = None) -> dict:
    """Build and publish release YYYY.MM; returns its path and manifest digest.

    Resumable: killed at any point and run again, it reuses the month's secret and stamps, the
    fetched live pages, the finished sets and shards, the filter's response cache and a release
    already published."""
    cfg = with_live_overrides(load_refresh_config(config), live_overrides)
    dask = dask or cfg.dask
    version = (month or datetime.now(timezone.utc).strftime("%Y-%m")).replace("-", ".")
    work = Path(cfg.work) / version
    state = run_state(work)
    live = fetch_live(cfg, config, live_overrides, version, work)
    set_dirs, live_quotas = [], {}
    for domain, quota in sorted(cfg.quotas.items()):
        spec = SetSpec(domain=domain, count=math.ceil(quota * cfg.oversample), secret=state.secret, difficulty=cfg.difficulty, shard_size=cfg.shard_size)
        outs = [build_set(spec, work / domain, work, domain, cfg, dask, state.created_at)]
        source = next((s for s in live.values() if s["domain"] == domain and s["status"] == "ok"), None)
        if source:
            # A second candidate set drawn only from the live-capable generators on the month's
            # snapshot; selection takes the live share from it first.
            live_quotas[domain] = math.ceil(quota * cfg.sources.share)
            gens = live_generators(domain, source["snapshot"], cfg.difficulty)
            live_spec = SetSpec(domain=domain, count=math.ceil(live_quotas[domain] * cfg.oversample * 1.5), secret=state.secret,
                                difficulty=cfg.difficulty, shard_size=cfg.shard_size, generators=tuple(gens),
                                knobs={g: {"snapshot": source["snapshot"]} for g in gens})
            outs.append(build_set(live_spec, work / f"{domain}-live", work, f"{domain}-live", cfg, dask, state.created_at))
        checkpoint("refresh:created")
        set_dirs += outs
        for out in outs:
            if cfg.filter and "difficulty" not in read_manifest(Path(out)):
                from flows.filter_set import filter_set

                filter_set(out, cfg.models)
        checkpoint("refresh:filtered")
    result = publish_task(set_dirs, version, cfg.store, cfg.quotas, str(work), live_quotas or None, live if cfg.sources else None,
                          cfg.recall)
    create_markdown_artifact(
        key="monthly-refresh",
        markdown=f"# Release {version}\n\n" + "\n".join(f"- {d}: {q} items" for d, q in sorted(cfg.quotas.items()))
        + "".join(f"\n- live {n}: {s['status']}, {s['records']} records fetched" for n, s in sorted(live.items()))
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
