"""`make bench`: mintbench's per-item cost beside reasoning-gym's, and the floor of the cheap generators.

Side by side (issue #27): one process, pinned to one core, alternating rounds (3 x 100 items per
side and pair, after one untimed warm-up round each). Each side generates an item and checks
its own answer: reasoning-gym's `score_answer` on the entry's answer; mintbench's `prove_item`,
which proves the gold by a second route and then grades it as a response. The ratio is
mintbench items/s over reasoning-gym items/s (above 1: mintbench is faster).

reasoning-gym is a bench-only tool, never a dependency: it is installed once, with its own
dependencies, into outputs/.bench/ and put at the end of sys.path, so the project's own
packages (SymPy included) are the ones imported.

The floor: every generator whose mathematics is integer or rational arithmetic, alone on one
core, generation + proof + grading of the gold; target >= 5,000 items/s.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mintbench.items import registry  # noqa: E402
from validators import parsing  # noqa: E402
from validators.proofs import prove_item  # noqa: E402

RG_VERSION = "0.1.25"
RG_DIR = ROOT / "outputs" / ".bench" / f"reasoning-gym-{RG_VERSION}"
ROUNDS, PER_ROUND = 3, 100

# (reasoning-gym task, mintbench generator, difficulty): the pairs of issue #27's table.
PAIRS = [
    ("simple_integration", "math.antiderivative", "easy"),
    ("intermediate_integration", "math.antiderivative", "hard"),
    ("polynomial_equations", "math.polynomial_roots", "medium"),
    ("polynomial_multiplication", "math.factor", "medium"),
    ("prime_factorization", "math.totient", "medium"),
    ("gcd", "math.modular_inverse", "medium"),
    ("basic_arithmetic", "math.defined_operation", "medium"),
]
# Integer or rational arithmetic: drawn, printed and proven with Python integers and fractions.
CHEAP = ("math.crt", "math.composed_steps", "math.defined_operation", "math.determinant", "math.linear_combination",
         "math.modular_inverse", "math.primality", "math.probability", "math.totient")
FLOOR = 5000


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def reasoning_gym():
    if not (RG_DIR / "reasoning_gym").is_dir():
        print(f"installing reasoning-gym {RG_VERSION} for the bench only, into {RG_DIR.relative_to(ROOT)} (about 1 minute)")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", str(RG_DIR),
                        f"reasoning-gym=={RG_VERSION}"], check=True)
    sys.path.append(str(RG_DIR))
    import reasoning_gym as rg

    return rg


def rg_round(rg, task: str, seed: int) -> float:
    started = time.perf_counter()
    ds = rg.create_dataset(task, seed=seed, size=PER_ROUND)
    for entry in ds:
        if ds.score_answer(entry["answer"], entry) != 1.0:
            raise AssertionError(f"reasoning-gym {task} rejected its own answer")
    return time.perf_counter() - started


def mb_round(generator: str, difficulty: str, seed: int) -> float:
    parsing.clear_caches()  # every gold is parsed cold, as in a fresh run
    started = time.perf_counter()
    for i in range(PER_ROUND):
        problem = prove_item(registry.build_item(generator, seed, i, difficulty=difficulty))
        if problem:
            raise AssertionError(f"{generator} item {i}: {problem}")
    return time.perf_counter() - started


def side_by_side() -> float:
    rg = reasoning_gym()
    print(f"\nside by side with reasoning-gym {RG_VERSION} ({ROUNDS} x {PER_ROUND} items a side, alternating, one core)")
    print(f"{'reasoning-gym task':26s} {'items/s':>9s}   {'mintbench generator':32s} {'items/s':>9s}   {'ratio':>6s}")
    ratios = []
    for task, generator, difficulty in PAIRS:
        rg_round(rg, task, 10_000)  # warm-up: imports, caches, lazy tables
        mb_round(generator, difficulty, 10_000)
        rg_s = mb_s = 0.0
        for r in range(ROUNDS):
            rg_s += rg_round(rg, task, r + 1)
            mb_s += mb_round(generator, difficulty, r + 1)
        rg_rate, mb_rate = ROUNDS * PER_ROUND / rg_s, ROUNDS * PER_ROUND / mb_s
        ratios.append(mb_rate / rg_rate)
        print(f"{task:26s} {rg_rate:9.0f}   {generator + ' ' + difficulty:32s} {mb_rate:9.0f}   {ratios[-1]:6.2f}")
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"{'geometric mean of the ratios':72s} {geomean:6.2f}   target >= 1.0: {'PASS' if geomean >= 1.0 else 'FAIL'}")
    return geomean


def floor(n: int = 1000, repeats: int = 3) -> float:
    """Items/s of each cheap generator: the best of `repeats` passes of n items (each pass its own
    seed, every reader's cache cleared before it), as timeit reports, so that a pass another
    process interrupted does not set the figure."""
    print(f"\n{'cheap generator (medium)':34s} {'items/s':>9s}   (generation + proof + grading of the gold, one core, best of {repeats} passes of {n:,})")
    slowest = math.inf
    for generator in CHEAP:
        mb_round(generator, "medium", 10_000)
        best = math.inf
        for seed in range(7, 7 + repeats):
            parsing.clear_caches()
            started = time.perf_counter()
            for i in range(n):
                if prove_item(registry.build_item(generator, seed, i)):
                    raise AssertionError(f"{generator} item {i} not proven")
            best = min(best, time.perf_counter() - started)
        rate = n / best
        slowest = min(slowest, rate)
        print(f"{generator:34s} {rate:9.0f}   target >= {FLOOR:,}: {'PASS' if rate >= FLOOR else 'FAIL'}")
    return slowest


if __name__ == "__main__":
    pin_one_core()
    slowest = floor()
    geomean = side_by_side()
    print(f"\nsummary: slowest cheap generator {slowest:,.0f} items/s; geometric mean ratio to reasoning-gym {geomean:.2f}")
