"""The monthly deployment on a real `prefect server start` on loopback: registered with its
cron schedule, one run triggered, the release checked."""

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import leaked

from mintbench.releases.keys import init_keys
from mintbench.releases.release import verify

pytestmark = pytest.mark.prefect
CLI = [sys.executable, "-m", "mintbench.cli"]


def test_deployment_schedule_and_one_triggered_run(prefect_server, tmp_path, monkeypatch):
    url, env = prefect_server
    env = {**env, "PREFECT_API_URL": url, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    init_keys()
    store, work = tmp_path / "store", tmp_path / "work"
    cfg = tmp_path / "mintbench.toml"
    cfg.write_text(f'[refresh]\nstore = "{store}"\nwork = "{work}"\nquotas = {{ math = 6, biology = 4 }}\nfilter = false\n')
    server = subprocess.Popen([*CLI, "serve-schedule", "--config", str(cfg)], env=env, cwd=Path(__file__).parents[1],
                              stdout=open(tmp_path / "serve.log", "wb"), stderr=subprocess.STDOUT)
    try:
        from prefect.client.orchestration import get_client
        from prefect.settings import PREFECT_API_URL, temporary_settings

        async def scenario():
            # Explicit settings: an earlier test's temporary API must not be the one asked.
            with temporary_settings(updates={PREFECT_API_URL: url}):
                return await _scenario()

        async def _scenario():
            async with get_client() as client:
                deployment = None
                for _ in range(120):
                    try:
                        deployment = await client.read_deployment_by_name("monthly_refresh/monthly")
                        break
                    except Exception:  # not registered yet
                        assert server.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
                        await asyncio.sleep(1)
                assert deployment is not None
                crons = [(s.schedule.cron, s.schedule.timezone) for s in deployment.schedules]
                assert crons == [("0 3 1 * *", "UTC")]
                run = await client.create_flow_run_from_deployment(deployment.id, parameters={"month": "2026-12", "config": str(cfg)})
                for _ in range(400):
                    run = await client.read_flow_run(run.id)
                    if run.state and run.state.is_final():
                        break
                    await asyncio.sleep(1)
                from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

                logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
                params = [str(r.parameters) for r in await client.read_flow_runs()]
                return run, [l.message for l in logs] + [str(a.data) for a in await client.read_artifacts()] + params

        run, exposed = asyncio.run(scenario())
        assert run.state.is_completed(), (tmp_path / "serve.log").read_text()[-3000:]
    finally:
        # Cleanup must not hide the result: under load `prefect serve` took over a minute to stop,
        # and the timeout raised here replaced the scenario's own outcome.
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    release = store / "2026.12"
    assert verify("2026.12", store) == []
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["counts"]["by_domain"] == {"biology": 4, "math": 6}
    # Every gold answer of the release stays out of logs, artifacts and public files.
    from mintbench.releases.keys import load_keys
    from mintbench.releases.release import reveal

    answers = [i["answer"] for i in json.loads(Path(reveal("2026.12", store, load_keys(), force=True)).read_text())["items"]
               if len(i["answer"]) >= 4 and i["answer_type"] not in ("boolean", "choice")]
    assert answers and any("Release 2026.12" in e for e in exposed)
    text = "\n".join(exposed) + (tmp_path / "serve.log").read_text(errors="replace")
    text += (release / "CARD.md").read_text() + (release / "NOTES.md").read_text() + (release / "manifest.json").read_text()
    assert not leaked(answers, text)
    # Nor does the month's secret or nonce: they reach the subflows by file, never as a stored
    # parameter, and nothing in Prefect's whole database holds them or an answer.
    from conftest import prefect_database_text

    state = json.loads((work / "2026.12" / "state.json").read_text())
    assert oct((work / "2026.12" / "state.json").stat().st_mode & 0o777) == "0o600"
    assert oct((work / "2026.12").stat().st_mode & 0o777) == "0o700"
    assert len(state["secret"]) == 64
    database = prefect_database_text(Path(env["PREFECT_HOME"]))
    assert "monthly_refresh" in database
    for value in (state["secret"], state["nonce"]):
        assert value not in database and not [e for e in exposed if value in e]
    assert not leaked(answers, database)
