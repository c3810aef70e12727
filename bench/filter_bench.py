"""Difficulty-filter benchmarks on the scripted server (issue #5):
- mean calls per (item, model), sequential test vs fixed 12, pass rates near 0 or 1 (target <= 6);
- requests/s through mintbench vs a bare AsyncOpenAI loop, same server, same concurrency (target >= 0.9)."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openai import AsyncOpenAI  # noqa: E402

from mintbench.create.build import SetSpec, item_at, resolve_generators  # noqa: E402
from mintbench.difficulty.config import FilterSettings, ModelSpec  # noqa: E402
from mintbench.difficulty.reference import run_ladder  # noqa: E402
from mintbench.difficulty.cache import ResponseCache  # noqa: E402
from mintbench.difficulty.scripted import Script, ScriptedServer  # noqa: E402

CONCURRENCY = 16


def _items(n: int):
    spec = SetSpec(domain="math", count=n, seed=77, format="open")
    gens = resolve_generators(spec)
    return [item_at(spec, gens, i) for i in range(n)]


def calls_per_pair(items, srv, mode: str) -> float:
    settings = FilterSettings(mode=mode, fixed_k=12)
    model = ModelSpec(name="m", base_url=srv.base_url, model="m", max_concurrency=CONCURRENCY)
    with tempfile.TemporaryDirectory() as tmp:
        cache = ResponseCache(Path(tmp) / "c.sqlite")
        result = asyncio.run(run_ladder(items, [model], settings, cache))
        cache.close()
    return result.stats["m"].requests / len(items)


async def bare_loop(srv, prompts: list[str]) -> float:
    client = AsyncOpenAI(base_url=srv.base_url, api_key="x", max_retries=0)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(i, p):
        async with gate:
            await client.chat.completions.create(model="m", messages=[{"role": "user", "content": p}], max_tokens=16, seed=i)

    start = time.perf_counter()
    await asyncio.gather(*(one(i, p) for i, p in enumerate(prompts)))
    await client.close()
    return len(prompts) / (time.perf_counter() - start)


def main() -> None:
    items = _items(300)
    script = Script()
    for k, it in enumerate(items):
        script.add(it, {"m": 0.97 if k % 2 else 0.03})  # pass rates near 0 or 1
    with ScriptedServer(script) as srv:
        seq = calls_per_pair(items, srv, "sequential")
        fixed = calls_per_pair(items, srv, "fixed")
        print(f"calls per (item, model): sequential {seq:.2f} vs fixed {fixed:.0f}   target <= 6: {'PASS' if seq <= 6 else 'FAIL'}")

        # Throughput: fixed mode so both sides send the same number of requests.
        n = 1200
        sub = items[: n // 4]
        settings = FilterSettings(mode="fixed", fixed_k=4)
        model = ModelSpec(name="m", base_url=srv.base_url, model="m", max_concurrency=CONCURRENCY)
        bare = asyncio.run(bare_loop(srv, [it.question for it in sub for _ in range(4)]))
        with tempfile.TemporaryDirectory() as tmp:
            cache = ResponseCache(Path(tmp) / "c.sqlite")
            start = time.perf_counter()
            result = asyncio.run(run_ladder(sub, [model], settings, cache))
            ours = result.stats["m"].requests / (time.perf_counter() - start)
            cache.close()
        ratio = ours / bare
        print(f"requests/s at concurrency {CONCURRENCY}: mintbench {ours:.0f} vs bare AsyncOpenAI {bare:.0f} "
              f"= {ratio:.2f}   target >= 0.9: {'PASS' if ratio >= 0.9 else 'FAIL'}")


if __name__ == "__main__":
    main()
