"""Why the board's ability is a conditional Rasch fit and not mirt's 2PL (issue #24).

Seeded boards of 7 models on 300 items drawn from a Rasch model (a 2PL with every
discrimination 1, so both fits' truth is the same). For each board:
- mirt's 2PL (`fit_mirt`, its default priors on discrimination and difficulty) with EAP scores
  and their standard errors, the route a 2PL with models as persons takes;
- the board's own fit (`mintbench.results.irt.fit_abilities`, conditional maximum likelihood).
Reported (mirt on 10 boards, the board's fit on 200): how often each 95 % interval covers the true ability, on each fit's own scale (the
2PL's is the N(0, 1) population it assumes; the board's is the models' mean, so the truth
is centred the same way), and the seconds per fit.

    .venv/bin/python bench/irt_coverage.py [--boards 10]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mintbench.results.irt import fit_abilities  # noqa: E402

MODELS, ITEMS = 7, 300


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=10, help="boards fitted by mirt (2 s each)")
    parser.add_argument("--rasch-boards", type=int, default=200, help="boards fitted by the board's own fit (10 ms each)")
    args = parser.parse_args()
    import mirt
    from mirt.estimation.priors import PriorSpecification

    warnings.simplefilter("ignore")
    rng = np.random.default_rng(1)
    covered = {"mirt 2PL, EAP": [], "conditional Rasch (board)": []}
    seconds = {k: 0.0 for k in covered}
    for k in range(max(args.boards, args.rasch_boards)):
        theta = rng.normal(0, 1, MODELS)
        b = rng.normal(0, 1.5, ITEMS)
        solved = (rng.random((MODELS, ITEMS)) < 1 / (1 + np.exp(-(theta[:, None] - b)))).astype(int)

        if k < args.boards:
            started = time.perf_counter()
            fit = mirt.fit_mirt(solved, model="2PL", priors=PriorSpecification(), compute_standard_errors=False)
            scores = mirt.fscores(fit, solved, method="EAP")
            seconds["mirt 2PL, EAP"] += time.perf_counter() - started
            est, se = np.ravel(scores.theta), np.ravel(scores.standard_error)
            covered["mirt 2PL, EAP"] += list(np.abs(est - theta) <= 1.96 * se)
        if k >= args.rasch_boards:
            continue

        started = time.perf_counter()
        fitted = fit_abilities({f"m{p}": {f"i{i}": bool(solved[p, i]) for i in range(ITEMS)} for p in range(MODELS)})
        seconds["conditional Rasch (board)"] += time.perf_counter() - started
        truth = theta - theta.mean()
        covered["conditional Rasch (board)"] += [fitted[f"m{p}"].ci_low <= truth[p] <= fitted[f"m{p}"].ci_high for p in range(MODELS)]
    print(f"boards of {MODELS} models x {ITEMS} Rasch items; 95 % intervals")
    for name, hits in covered.items():
        if not hits:
            continue
        print(f"{name:28s} coverage {np.mean(hits):.3f} of {len(hits)} intervals   {seconds[name] / (len(hits) / MODELS):.3f} s per board")
    return 0


if __name__ == "__main__":
    sys.exit(main())
