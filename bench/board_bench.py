"""`board build` at scale (issue #24): 50 models x 12 releases x 1,500 items in a results store,
then the public and owner boards built from it, timed. Verdicts are drawn per model from a fixed
accuracy, so the bench also reports how many ranks the board could tell apart.

    .venv/bin/python bench/board_bench.py [--models 50] [--releases 12] [--items 1500]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mintbench.results.board import build  # noqa: E402
from mintbench.results.store import ItemInfo, ResultsStore  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=50)
    parser.add_argument("--releases", type=int, default=12)
    parser.add_argument("--items", type=int, default=1500)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    accuracy = np.linspace(0.3, 0.95, args.models)
    with tempfile.TemporaryDirectory() as tmp:
        store = ResultsStore(Path(tmp) / "results.sqlite")
        started = time.perf_counter()
        for r in range(args.releases):
            release = f"2026.{r + 1:02d}" if r < 12 else f"2027.{r - 11:02d}"
            items = [ItemInfo(f"{release}-{k:05d}", ("math", "chemistry", "biology")[k % 3], f"L{1 + k % 5}", ("open", "mcq")[k % 2],
                              ("en", "zh")[k % 7 == 0], "g") for k in range(args.items)]
            for m in range(args.models):
                right = rng.random(args.items) < accuracy[m]
                store.record(release, f"model-{m:02d}", {i.item_id: "correct" if ok else "wrong" for i, ok in zip(items, right)}, items,
                             meta={"cutoff": "2026-06-30"}, created_at=f"{release[:4]}-{release[5:]}-01",
                             revealed_at=f"{release[:4]}-{release[5:]}-28" if r < args.releases // 2 else None)
        recorded = time.perf_counter() - started
        print(f"recorded {args.models} models x {args.releases} releases x {args.items} items in {recorded:.1f} s")
        for view in ("public", "owner"):
            started = time.perf_counter()
            data = build(store, Path(tmp) / f"board-{view}", view=view)
            seconds = time.perf_counter() - started
            alone = sum(1 for row in data["rows"] if row["slice"] == "all" and row["rank_best"] == row["rank_worst"])
            print(f"board build ({view}): {seconds:.1f} s, {len(data['rows'])} rows; "
                  f"{alone} of {args.models * args.releases} overall rows hold a rank alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
