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
```
The flow returns paths and digests only; answers never reach Prefect results or artifacts.
"""

import hashlib
import math
import secrets
import tomllib
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, ConfigDict, Field

from flows.create_set import create_set
from mintbench.create import SetSpec
from mintbench.errors import MintbenchError
from mintbench.keys import load_keys
from mintbench.release import publish
from mintbench.store import Store

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


def load_refresh_config(path: str | None) -> RefreshConfig:
    if path is None:
        return RefreshConfig()
    try:
        data = tomllib.loads(Path(path).read_text()).get("refresh", {})
        return RefreshConfig.model_validate(data)
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise MintbenchError(f"bad refresh config {path}: {str(exc).splitlines()[0]}") from None


@task(name="publish-release", persist_result=False, cache_policy=NO_CACHE)
def publish_task(set_dirs: list[str], version: str, store: str, quotas: dict[str, int], selection_seed: int) -> dict:
    release = publish(set_dirs, version, store, load_keys(), quotas=quotas, selection_seed=selection_seed)
    manifest = Store(store).read_bytes(version, "manifest.json")
    return {"path": str(release), "manifest_sha256": hashlib.sha256(manifest).hexdigest()}


@flow(name="monthly_refresh", persist_result=False, log_prints=False)
def monthly_refresh(month: str | None = None, config: str | None = None) -> dict:
    """Build and publish release YYYY.MM; returns its path and manifest digest."""
    cfg = load_refresh_config(config)
    now = datetime.now(timezone.utc)
    version = (month or now.strftime("%Y-%m")).replace("-", ".")
    # The seed is secret until reveal: drawn here, committed to in the signed manifest.
    seed = secrets.randbelow(2**31)
    set_dirs = []
    for domain, quota in sorted(cfg.quotas.items()):
        spec = SetSpec(domain=domain, count=math.ceil(quota * cfg.oversample), seed=seed, difficulty=cfg.difficulty)
        out = Path(cfg.work) / version / domain
        set_dirs.append(create_set(spec, str(out)))
        if cfg.filter:
            from flows.filter_set import filter_set

            filter_set(set_dirs[-1], cfg.models)
    result = publish_task(set_dirs, version, cfg.store, cfg.quotas, seed)
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
