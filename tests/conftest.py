import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Under pytest-xdist each worker gets its own Prefect home: two temporary Prefect APIs migrating
# one SQLite database at the same moment fail each other's start.
if os.environ.get("PYTEST_XDIST_WORKER"):
    _home = Path(os.environ.get("PREFECT_HOME") or ROOT / "outputs" / ".prefect")
    os.environ["PREFECT_HOME"] = str(_home / os.environ["PYTEST_XDIST_WORKER"])
from mintbench.difficulty.embedded import free_port  # noqa: E402
from mintbench.prefect_env import apply_defaults  # noqa: E402

apply_defaults()


@pytest.fixture(scope="session")
def math_set(tmp_path_factory):
    """A small proven math set built once for the grading tests."""
    from mintbench.create.build import SetSpec, run_local

    out = tmp_path_factory.mktemp("sets") / "math"
    run_local(SetSpec(domain="math", count=120, seed=11, shard_size=50), out)
    return out


@pytest.fixture()
def keys(tmp_path, monkeypatch):
    """The owner's keys, made fresh in this test's own config directory."""
    from mintbench.releases.keys import init_keys, load_keys

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    init_keys()
    return load_keys()


@pytest.fixture(scope="module")
def keys_home(tmp_path_factory):
    """The owner's keys in a config directory shared by one module's tests, which hand it to
    `mintbench` subprocesses as XDG_CONFIG_HOME; the previous value is restored afterwards."""
    from mintbench.releases.keys import init_keys

    home = tmp_path_factory.mktemp("keys")
    old = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(home)
    init_keys()
    yield home
    if old is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = old


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real `prefect server start` on loopback, shared by the tests that need schedules or
    runs from several processes."""
    tmp_path = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
        time.sleep(1)
    else:
        pytest.fail("prefect server did not start")
    yield url, env
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def prefect_database_text(home: Path) -> str:
    """Everything Prefect's SQLite database holds (flow and task runs with their parameters,
    states, logs, artifacts, events), as one text: what an attacker reading it would see."""
    import sqlite3

    db = sqlite3.connect(f"file:{home / 'prefect.db'}?mode=ro", uri=True)
    try:
        parts = []
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            for row in db.execute(f'SELECT * FROM "{table}"'):
                parts.append(" ".join(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in row))
        return "\n".join(parts)
    finally:
        db.close()


def leaked(answers: list[str], text: str) -> list[str]:
    """The answers that appear in text as a whole token. A plain substring test failed a run on
    the answer '-569' inside a UUID ('…a1b2-5690…'): a coincidence, not a leak. A real leak
    ('"answer": "-569"', 'answer -569.') is not part of a longer word, number or hyphenated id."""
    import re

    return [a for a in answers if re.search(rf"(?<![\w.\-]){re.escape(a)}(?!\w|\.\d)", text)]
