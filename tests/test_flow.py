"""The Prefect create_set flow on a real (ephemeral) Prefect API."""

import asyncio

import pyarrow.parquet as pq
import pytest
from conftest import leaked

from mintbench.create.build import SetSpec, run_local
from mintbench.items.setdir import load_set

pytestmark = pytest.mark.prefect


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory):
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def _answers(items):
    return {i.answer for i in items if len(i.answer) >= 4 and i.answer_type not in ("boolean", "choice")}


def test_flow_builds_the_same_set_as_local_and_leaks_no_answer(prefect_api, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId

    from flows.create_set import create_set

    spec = SetSpec(domain="math", count=90, seed=8, shard_size=25)
    state = create_set(spec, str(tmp_path / "flow"), return_state=True)
    assert state.is_completed()
    flow_dir = state.result()
    local_dir = run_local(spec, tmp_path / "local")
    a = pq.read_table(f"{flow_dir}/items.parquet").drop_columns(["created_at"])
    b = pq.read_table(f"{local_dir}/items.parquet").drop_columns(["created_at"])
    assert a.equals(b)

    items, _ = load_set(flow_dir)
    answers = _answers(items)
    assert answers

    async def harvest():
        async with get_client() as client:
            run_id = state.state_details.flow_run_id
            logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
            tasks = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))
            artifacts = await client.read_artifacts()
            return logs, tasks, artifacts

    logs, tasks, artifacts = asyncio.run(harvest())
    assert len(tasks) >= 4  # one task per shard, not per item
    assert len(tasks) < len(items)
    exposed = "\n".join([l.message for l in logs] + [str(a.data) for a in artifacts] + [str(t.state) for t in tasks])
    exposed += "\n".join(str(t.task_inputs) for t in tasks)
    found = leaked(answers, exposed)
    assert not found, found[:3]
    assert any("Set created" in str(a.data) for a in artifacts)


def test_filter_flow_on_the_scripted_ladder_leaks_no_answer(prefect_api, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId

    from flows.filter_set import filter_set
    from mintbench.difficulty.scripted import Script, ScriptedServer

    set_dir = run_local(SetSpec(domain="math", count=12, seed=13), tmp_path / "s")
    items, _ = load_set(set_dir)
    script = Script()
    for k, it in enumerate(items):
        script.add(it, {"weak": 1.0 if k % 2 else 0.0, "strong": 1.0})
    with ScriptedServer(script) as srv:
        cfg = tmp_path / "m.toml"
        cfg.write_text(
            "[filter]\nshard_size = 5\n"
            + "".join(f'[[models]]\nname = "{n}"\nbase_url = "{srv.base_url}"\nmodel = "{n}"\n' for n in ("weak", "strong"))
        )
        state = filter_set(str(set_dir), str(cfg), return_state=True)
    assert state.is_completed()
    assert state.result()["labels"] == {"easy": 6, "medium": 6}
    filtered, _ = load_set(set_dir)
    answers = _answers(filtered)

    async def harvest():
        async with get_client() as client:
            run_id = state.state_details.flow_run_id
            logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
            tasks = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))
            return logs, tasks, await client.read_artifacts()

    logs, tasks, artifacts = asyncio.run(harvest())
    assert len(tasks) == 3  # one per shard of 5
    exposed = "\n".join([l.message for l in logs] + [str(a.data) for a in artifacts] + [str(t.task_inputs) for t in tasks])
    assert not leaked(answers, exposed)



def test_a_sealed_create_leaves_no_secret_or_answer_in_prefects_database(tmp_path):
    """`create --engine prefect` as a user runs it, on its own temporary API and database."""
    import os
    import re
    import subprocess
    import sys

    from conftest import prefect_database_text

    home = tmp_path / "prefect-home"
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.run([sys.executable, "-m", "mintbench.cli", "create", "--domain", "math", "--count", "40",
                           "--shard-size", "10", "--out", str(tmp_path / "s")], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    items, manifest = load_set(tmp_path / "s")
    secret = manifest["spec"]["secret"]
    text = prefect_database_text(home)
    assert "create_set" in text and "build-shard" in text  # the runs are there to read
    assert secret not in text
    found = leaked(_answers(items), text)  # whole tokens: -249 may sit inside a UUID or a timestamp
    assert not found, found[:3]
    assert oct(os.stat(home).st_mode & 0o777) == "0o700"
    assert not list(tmp_path.glob(".spec-*"))  # the private spec file is gone once the flow is done
