"""Scale and resilience on real infrastructure: a refresh killed with SIGKILL at each stage
and run again makes the same release; the same refresh on a two-process Dask cluster equals
the single-machine one; a local process pool builds the same set as one process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from mintbench.create.build import SetSpec, run_local
from mintbench.faults import ENV as KILL_ENV
from mintbench.releases.keys import load_keys
from mintbench.releases.release import decrypt_payload, verify

pytestmark = pytest.mark.prefect
CLI = [sys.executable, "-m", "mintbench.cli"]
ROOT = Path(__file__).resolve().parents[1]
STATE = {"secret": "5e" * 32, "created_at": "2026-12-01T03:00:00Z", "nonce": "ab" * 16, "canary": "mintbench:00000000-0000-4000-8000-000000000001"}


def _refresh(root: Path, url: str, keys_home: Path, kill_at: str | None = None, dask: str | None = None) -> subprocess.CompletedProcess:
    """`mintbench refresh` for 2026-12 in its own process, against the shared Prefect server,
    with the month's state fixed in advance so that every root makes the same release."""
    work = root / "work"
    (work / "2026.12").mkdir(parents=True, exist_ok=True)
    state = work / "2026.12" / "state.json"
    if not state.exists():
        state.write_text(json.dumps(STATE))
    cfg = root / "mintbench.toml"
    cfg.write_text(f'[refresh]\nstore = "{root / "store"}"\nwork = "{work}"\nquotas = {{ math = 8, biology = 10 }}\n'
                   f'filter = false\nshard_size = 5\n')
    env = {**os.environ, "PREFECT_API_URL": url, "XDG_CONFIG_HOME": str(keys_home)}
    env.pop(KILL_ENV, None)
    if kill_at:
        env[KILL_ENV] = kill_at
    args = [*CLI, "refresh", "--month", "2026-12", "--config", str(cfg)] + (["--dask", dask] if dask else [])
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)


def _release(root: Path) -> dict:
    """What must be equal between two runs: the public files and the sealed payload."""
    release = root / "store" / "2026.12"
    assert verify("2026.12", root / "store") == []
    payload = decrypt_payload(release, load_keys())
    return {
        "questions": (release / "questions.parquet").read_bytes(),
        "fingerprints": (release / "fingerprints.parquet").read_bytes(),
        "sealed_items": payload["items"],
        "canary": json.loads((release / "manifest.json").read_text())["canary"],
    }


@pytest.fixture(scope="module")
def reference(prefect_server, keys_home, tmp_path_factory):
    root = tmp_path_factory.mktemp("reference")
    out = _refresh(root, prefect_server[0], keys_home)
    assert out.returncode == 0, out.stderr[-3000:]
    return _release(root)


@pytest.mark.parametrize("stage", ["create:shard", "refresh:created", "refresh:filtered", "publish:staged", "publish:published"])
def test_refresh_killed_at_a_stage_and_run_again_makes_the_same_release(prefect_server, keys_home, reference, tmp_path, stage):
    killed = _refresh(tmp_path, prefect_server[0], keys_home, kill_at=stage)
    assert killed.returncode == -9, killed.stderr[-2000:]  # SIGKILL: no cleanup ran
    store = tmp_path / "store"
    published = (store / "2026.12" / "manifest.sig").exists()
    assert published == (stage == "publish:published")  # a half-written release is never visible
    again = _refresh(tmp_path, prefect_server[0], keys_home)
    assert again.returncode == 0, again.stderr[-3000:]
    assert _release(tmp_path) == reference
    # Nothing partial or duplicated is left: one release, one pointer, no stage directories,
    # and the finished sets hold no work directories.
    assert sorted(p.name for p in store.iterdir()) == ["2026.12", "channels"]
    assert json.loads((store / "channels" / "monthly.json").read_text()) == {"latest": "2026.12"}
    for domain in ("math", "biology"):
        set_dir = tmp_path / "work" / "2026.12" / domain
        assert sorted(p.name for p in set_dir.iterdir()) == ["items.parquet", "manifest.json"]
    assert not list((tmp_path / "work" / "2026.12").glob(".work-*"))


def test_refresh_on_a_two_worker_dask_cluster_equals_the_single_machine_release(prefect_server, keys_home, reference, tmp_path):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1") as cluster, Client(cluster) as client:
        from distributed import get_task_stream

        with get_task_stream(client=client) as stream:
            out = _refresh(tmp_path, prefect_server[0], keys_home, dask=cluster.scheduler_address)
        assert out.returncode == 0, out.stderr[-3000:]
        workers = {record["worker"] for record in stream.data}
    assert len(workers) == 2  # the shards really ran on both worker processes
    assert _release(tmp_path) == reference


def test_a_local_process_pool_builds_the_same_set_as_one_process(tmp_path):
    spec = SetSpec(domain="math", count=60, seed=9, shard_size=10)
    one = run_local(spec, tmp_path / "one", created_at="2026-12-01T00:00:00Z")
    two = run_local(spec, tmp_path / "two", created_at="2026-12-01T00:00:00Z", workers=2)
    assert (one / "items.parquet").read_bytes() == (two / "items.parquet").read_bytes()
    assert pq.read_metadata(two / "items.parquet").num_rows == 60


def test_grading_and_proving_on_a_process_pool_match_one_process(math_set):
    from mintbench.runners.grading import grade_items, prove_set, summarize
    from mintbench.items.setdir import load_set

    items, _ = load_set(math_set)
    items = (items * 9)[:1000]  # more than one chunk per worker
    responses = {i.item_id: (f"<answer>{i.answer}</answer>" if k % 3 else "<answer>1</answer>") for k, i in enumerate(items[:700])}
    one = summarize(grade_items(items, responses))
    two = summarize(grade_items(items, responses, workers=2))
    assert one == two and one["overall"]["correct"] > 0
    assert prove_set(items, workers=2) == prove_set(items)
