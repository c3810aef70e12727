"""Scale benchmark (issue #8): a 20,000-item math create (the slowest domain) in one process
and on a pool of 2 local processes (target speed-up >= 1.7x on a 2-core machine), and the
share of wall time Prefect adds to the same create once a real server is up (target <= 15 %):
(prefect wall - plain wall) / prefect wall, both single-process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COUNT, SHARD = 20_000, 500
CLI = [str(Path(sys.executable).parent / "mintbench")]


def timed(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return time.perf_counter() - start


def start_server(tmp: Path) -> tuple[subprocess.Popen, str]:
    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}
        base = ["create", "--domain", "math", "--count", str(COUNT), "--seed", "3", "--shard-size", str(SHARD)]
        # A process's start-up (imports) is part of every figure, as a user sees it.
        one = timed([*CLI, *base, "--engine", "local", "--out", str(tmp / "l1")], env)
        two = timed([*CLI, *base, "--engine", "local", "--workers", "2", "--out", str(tmp / "l2")], env)
        print(f"create {COUNT:,} math items, local engine: 1 process {one:.1f} s, 2 processes {two:.1f} s; "
              f"speed-up {one / two:.2f}x (target >= 1.7x: {'PASS' if one / two >= 1.7 else 'FAIL'})")
        server, url = start_server(tmp)
        try:
            penv = {**env, "PREFECT_API_URL": url}
            flow_one = timed([*CLI, *base, "--out", str(tmp / "p1")], penv)
            flow_two = timed([*CLI, *base, "--workers", "2", "--out", str(tmp / "p2")], penv)
        finally:
            server.terminate()
            server.wait(30)
        share = (flow_one - one) / flow_one
        print(f"same create as a Prefect flow on a running server: 1 process {flow_one:.1f} s, 2 processes {flow_two:.1f} s "
              f"(speed-up {flow_one / flow_two:.2f}x); Prefect's share of wall time {share:.1%} "
              f"(target <= 15%: {'PASS' if share <= 0.15 else 'FAIL'})")


if __name__ == "__main__":
    main()
