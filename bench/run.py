"""`make bench`: generation + proof throughput per generator, and grading throughput
per answer type, on one core. Targets: math mix >= 200 items/s (issue #2), biology
sequence generators >= 1,000 items/s (issue #4); grading >= 2,000 responses/s for
non-symbolic answer types."""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mintbench.items import registry  # noqa: E402
from mintbench.create.build import SetSpec, item_at, resolve_generators  # noqa: E402
from mintbench.errors import MintbenchError  # noqa: E402
from validators import parsing  # noqa: E402
from validators.grade import grade_response  # noqa: E402
from validators.proofs import prove_item  # noqa: E402

SYMBOLIC = {"expression", "antiderivative", "factored", "partial_fractions", "sequence_formula", "ode_solution", "polynomial_constraints"}
GRADE_TARGET = 2000


MIX_TARGETS = {"math": 200, "biology": 1000, "chemistry": 1000}
DESCRIPTORS = ("chemistry.atom_count", "chemistry.ring_count", "chemistry.formula", "chemistry.molar_mass",
               "chemistry.lipinski", "chemistry.shortest_path", "chemistry.functional_groups")


def bench_snapshot_load() -> float:
    """The second chemistry run from a new working directory: the snapshot cache is per user,
    not per folder, so the fresh process in a fresh folder reads it instead of re-parsing."""
    import subprocess
    import tempfile

    code = ("import time; t = time.perf_counter(); from generators.sources import pubchem_snapshot as s; "
            "s.load(); s.pool(8, 20); print(time.perf_counter() - t)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=first, env=env)  # builds the cache once
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=second, env=env)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mintbench.cli", "create", "--engine", "local", "--domain", "chemistry", "--count", "20",
                        "--out", str(Path(second) / "set")], check=True, capture_output=True, cwd=second, env=env)
        create_s = time.perf_counter() - started
    seconds = float(out.stdout.strip())
    print(f"{'pubchem snapshot load, new folder':34s} {seconds:8.2f} s   target < 2 s: {'PASS' if seconds < 2 else 'FAIL'}")
    print(f"{'chemistry create (20), new folder':34s} {create_s:8.2f} s   (whole command)")
    return seconds


def built(build, *args):
    """The item, or None where the generator gave up on this draw (a real record without a
    labelled stereocentre): the pipeline skips and counts such an index (create.build), and so
    does the bench, instead of stopping."""
    try:
        return build(*args)
    except MintbenchError:
        raise
    except ValueError:
        return None


def bench_generators(per_gen: int = 60) -> dict[str, float]:
    print(f"{'generator':34s} {'items/s':>9s}   (generation + gold proof, medium)")
    for gen in registry.all_generators():
        start = time.perf_counter()
        failed = 0
        for i in range(per_gen):
            item = built(registry.build_item, gen.id, 1, i)
            failed += item is None or prove_item(item) is not None
        note = f"   ({failed} of {per_gen} draws skipped or unproven, as create counts them)" if failed else ""
        print(f"{gen.id:34s} {per_gen / (time.perf_counter() - start):9.0f}{note}")
    rates = {}
    for domain, target in MIX_TARGETS.items():
        # Chemistry's target is for the descriptor-type generators.
        spec = SetSpec(domain=domain, count=1500, seed=2, generators=DESCRIPTORS if domain == "chemistry" else None)
        gens = resolve_generators(spec)
        item_at(spec, gens, 0)  # loads the knowledge snapshot outside the timing
        start = time.perf_counter()
        for i in range(spec.count):
            item = built(item_at, spec, gens, i)
            if item is not None:
                prove_item(item)
        rates[domain] = rate = spec.count / (time.perf_counter() - start)
        label = "chemistry descriptors" if domain == "chemistry" else f"{domain} mix"
        print(f"{label + ' (1,500 items)':34s} {rate:9.0f}   target >= {target}: {'PASS' if rate >= target else 'FAIL'}")
    return rates


def bench_grading(n_items: int = 1500) -> dict[str, float]:
    items = []
    for domain in MIX_TARGETS:
        spec = SetSpec(domain=domain, count=n_items, seed=3)
        gens = resolve_generators(spec)
        items += [item for i in range(n_items) if (item := built(item_at, spec, gens, i)) is not None]
    by_type: dict[str, list] = defaultdict(list)
    for item in items:
        by_type[item.answer_type].append(item)
    print(f"\n{'answer type':24s} {'responses/s':>12s}   (gold, near-miss and untagged responses)")
    rates = {}
    for answer_type, group in sorted(by_type.items()):
        responses = []
        for item in group:
            responses += [(item, f"<answer>{item.answer}</answer>"), (item, "<answer>12</answer>"), (item, "no tags")]
        parsing.clear_caches()  # every response is parsed cold, as in a real run
        start = time.perf_counter()
        for item, text in responses:
            grade_response(item, text)
        rate = len(responses) / (time.perf_counter() - start)
        rates[answer_type] = rate
        note = "symbolic" if answer_type in SYMBOLIC else ("PASS" if rate >= GRADE_TARGET else "FAIL")
        print(f"{answer_type:24s} {rate:12.0f}   {note}")
    return rates


if __name__ == "__main__":
    bench_snapshot_load()
    mixes = bench_generators()
    rates = bench_grading()
    fast = [r for t, r in rates.items() if t not in SYMBOLIC]
    shown = "; ".join(f"{d} mix {r:.0f} items/s" for d, r in mixes.items())
    print(f"\nsummary: {shown}; slowest non-symbolic grader {min(fast):.0f} responses/s")
