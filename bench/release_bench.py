"""Publishing benchmark (issue #6): a release of N items (generation excluded) deduplicated
against a 1,000,000-item history; reports wall time and peak memory (target < 1.5 GB) for
N = 10,000 and 100,000, each in a fresh process so peaks do not mix."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HISTORY = 1_000_000


def make_history(store: Path, n: int, per_release: int = 100_000) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from mintbench.releases.freshness import FINGERPRINTS, NUM_PERM

    rng = np.random.default_rng(0)
    for k in range(0, n, per_release):
        m = min(per_release, n - k)
        d = store / f"2020.{k // per_release + 1:02d}"
        d.mkdir(parents=True)
        sigs = rng.integers(0, 2**32, size=(m, NUM_PERM), dtype=np.uint32)
        pq.write_table(pa.table({
            "item_id": [f"h{k + i}" for i in range(m)],
            "canonical": pa.array(rng.integers(0, 2**63, size=m, dtype=np.uint64), type=pa.uint64()),
            "minhash": pa.FixedSizeListArray.from_arrays(pa.array(sigs.ravel(), type=pa.uint32()), NUM_PERM),
        }), d / FINGERPRINTS)
        (d / "manifest.sig").write_bytes(b"")  # counts as published history


def make_set(n: int, work: Path) -> None:
    """Candidates are generated in their own process: generation is excluded from the peak."""
    from mintbench.create.build import SetSpec, new_secret, run_local

    run_local(SetSpec(domain="biology", count=n, secret=new_secret(), shard_size=5000), work / f"set{n}")


def run_one(n: int, store: Path, work: Path) -> dict:
    """In a fresh process: time publish of the ready set, and read this process's peak memory."""
    import os

    from mintbench.releases.keys import init_keys, load_keys
    from mintbench.releases.release import publish

    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    init_keys(force=True)
    set_dir = work / f"set{n}"
    start = time.perf_counter()
    publish(set_dir, f"2026.11.01-biology-{n:07x}", store, load_keys())
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"items": n, "seconds": round(seconds, 1), "peak_mb": round(peak_mb)}


def main(sizes=(10_000, 100_000), history=HISTORY) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        t = time.perf_counter()
        make_history(store, history)
        print(f"history: {history:,} fingerprints written in {time.perf_counter() - t:.0f} s")
        results = []
        for n in sizes:
            subprocess.run([sys.executable, __file__, "--make-set", str(n), tmp], check=True, capture_output=True, cwd=ROOT)
            out = subprocess.run([sys.executable, __file__, "--one", str(n), str(store), tmp], capture_output=True, text=True, cwd=ROOT)
            if out.returncode:
                print(out.stderr[-2000:])
                raise SystemExit(1)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(r)
            ok = "PASS" if r["peak_mb"] < 1536 else "FAIL"
            print(f"publish {r['items']:>7,} items vs {history:,} history: {r['seconds']:6.1f} s, peak {r['peak_mb']:5d} MB   target < 1.5 GB: {ok}")
        if len(results) == 2:
            a, b = results
            print(f"time ratio {b['seconds'] / a['seconds']:.1f}x for {b['items'] / a['items']:.0f}x items (linear = {b['items'] / a['items']:.0f}x)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--make-set":
        make_set(int(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))))
    else:
        sizes = tuple(int(x) for x in sys.argv[1:]) or (10_000, 100_000)
        main(sizes)
