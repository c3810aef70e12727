"""Grading-service load benchmark (issue #7): a 1,000-item release, the real service
(`mintbench serve-grader`, uvicorn) on loopback, and 50 concurrent clients each submitting
1,000 predictions. Reports how many were scored and stored (target: all, none lost) and
the latency percentiles."""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLIENTS, ITEMS, VERSION = 50, 1000, "2026.11"


def predictions_for(items, client: int) -> dict[str, str]:
    """Each client right on a different share of the items, and wrong in its own way."""
    rng = random.Random(client)
    skill = rng.random()
    return {i.item_id: (f"<answer>{i.answer}</answer>" if rng.random() < skill else f"<answer>{rng.randint(2, 999)}</answer>") for i in items}


async def submit_all(url: str, tokens: list[str], bodies: list[dict]) -> list[tuple[int, float]]:
    import httpx

    async with httpx.AsyncClient(timeout=600, limits=httpx.Limits(max_connections=CLIENTS)) as client:
        async def one(token: str, body: dict) -> tuple[int, float]:
            start = time.perf_counter()
            reply = await client.post(f"{url}/releases/{VERSION}/submissions", json=body, headers={"Authorization": f"Bearer {token}"})
            return reply.status_code, time.perf_counter() - start

        return await asyncio.gather(*(one(t, b) for t, b in zip(tokens, bodies)))


def main(workers: int = 2) -> None:
    import httpx

    from mintbench.create.build import SetSpec, new_secret, run_local
    from mintbench.releases.keys import init_keys, load_keys
    from mintbench.releases.release import publish, sealed_items
    from mintbench.runners.service.ledger import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
        init_keys()
        sets = [run_local(SetSpec(domain=d, count=n, secret=new_secret()), tmp / d) for d, n in (("math", 330), ("biology", 420), ("chemistry", 340))]  # oversampled: repeats of one problem are dropped
        publish(sets, VERSION, tmp / "store", load_keys(), quotas={"math": 300, "biology": 400, "chemistry": 300})
        items = sealed_items(VERSION, tmp / "store", load_keys())
        assert len(items) == ITEMS, len(items)
        ledger = Ledger(tmp / "grader.sqlite")
        tokens = [ledger.add_token(f"client{k}") for k in range(CLIENTS)]
        bodies = [{"predictions": predictions_for(items, k)} for k in range(CLIENTS)]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "mintbench"), "serve-grader", "--store", str(tmp / "store"), "--ledger", str(tmp / "grader.sqlite"),
             "--port", str(port), "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    httpx.get(f"{url}/releases", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            # Warm each worker's decrypted release so the timing is of grading, not of start-up.
            for _ in range(workers * 2):
                httpx.get(f"{url}/releases/{VERSION}/manifest", timeout=60)
            start = time.perf_counter()
            results = asyncio.run(submit_all(url, tokens, bodies))
            wall = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(30)
        ok = sum(code == 200 for code, _ in results)
        stored = sum(s["state"] == "scored" and s["n_predictions"] == ITEMS for s in ledger.submissions(VERSION))
        lat = sorted(t for _, t in results)
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]  # noqa: E731
        verdict = "PASS" if ok == stored == CLIENTS else "FAIL"
        print(f"grading service ({workers} uvicorn workers): {CLIENTS} clients x {ITEMS} predictions in {wall:.1f} s; "
              f"scored {ok}/{CLIENTS}, stored {stored}/{CLIENTS} (none lost: {verdict}); "
              f"latency p50 {p(0.5):.2f} s, p95 {p(0.95):.2f} s, max {lat[-1]:.2f} s; "
              f"{CLIENTS * ITEMS / wall:,.0f} predictions graded/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
