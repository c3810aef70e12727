"""Ability on one scale (mintbench/results/irt.py): the statistician's objections, as tests.

- Are the intervals honest with a board's handful of models? Seeded simulations, coverage checked.
- Does linking through the reference models separate a harder paper from weaker models?
- What happens to a model with no finite estimate?
- What does each view of the board show?
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from mintbench.results.board import build_data
from mintbench.results.irt import fit_abilities, item_difficulties
from mintbench.results.store import ItemInfo, ResultsStore


def _simulate(rng: np.random.Generator, theta: np.ndarray, b: np.ndarray, prefix: str = "i") -> dict[str, dict[str, bool]]:
    solved = rng.random((len(theta), len(b))) < 1 / (1 + np.exp(-(theta[:, None] - b[None, :])))
    return {f"m{p}": {f"{prefix}{i}": bool(solved[p, i]) for i in range(len(b))} for p in range(len(theta))}


def test_ability_intervals_cover_the_true_ability_at_their_nominal_rate():
    """150 simulated boards of 8 models on 300 Rasch items: 1,200 intervals. The band
    [0.925, 0.975] is about 3.5 binomial SDs around 0.95; an SE understated by 15 % (coverage
    0.90) or overstated by 20 % (0.986) falls outside it."""
    rng = np.random.default_rng(20261202)
    covered = []
    for _ in range(150):
        theta = rng.normal(0, 1, 8)
        verdicts = _simulate(rng, theta, rng.normal(0, 1.5, 300))
        fitted = fit_abilities(verdicts)
        truth = theta - theta.mean()  # no anchor: the scale's zero is every model's mean
        covered += [fitted[f"m{p}"].ci_low <= truth[p] <= fitted[f"m{p}"].ci_high for p in range(8)]
    assert 0.925 <= np.mean(covered) <= 0.975, np.mean(covered)


def test_a_harder_paper_moves_accuracy_but_not_the_linked_ability():
    """Month 2's items are one logit harder; no model changed. 40 seeded pairs of months, 6
    models each (3 of them the reference anchors): every model's accuracy falls, yet the
    interval of its linked ability's change covers 0 at about the nominal rate (>= 0.90 of
    240 changes; 0.95 expected, 0.90 is 3.5 binomial SDs below), and the items' median
    difficulty shows the paper moved by about a logit."""
    rng = np.random.default_rng(7)
    theta = np.array([-1.0, -0.3, 0.2, 0.8, 1.5, 0.0])
    anchors = ["m0", "m1", "m2"]
    drops, unchanged, shifts = [], [], []
    for _ in range(40):
        month1 = _simulate(rng, theta, rng.normal(0.0, 1.2, 600), "a")
        month2 = _simulate(rng, theta, rng.normal(1.0, 1.2, 600), "b")
        fit1, fit2 = fit_abilities(month1, anchors), fit_abilities(month2, anchors)
        assert abs(np.mean([fit1[a].theta for a in anchors])) < 1e-9  # the anchors' mean is each month's zero
        for p in range(6):
            m = f"m{p}"
            drops.append(np.mean(list(month1[m].values())) - np.mean(list(month2[m].values())))
            unchanged.append(abs(fit2[m].theta - fit1[m].theta) < 1.96 * math.hypot(fit1[m].se, fit2[m].se))
        shifts.append(np.median([d for d in item_difficulties(month2, fit2).values() if math.isfinite(d)])
                      - np.median([d for d in item_difficulties(month1, fit1).values() if math.isfinite(d)]))
    assert min(drops) > 0.05 and np.mean(drops) > 0.15
    assert np.mean(unchanged) >= 0.90, np.mean(unchanged)
    assert 0.8 < np.mean(shifts) < 1.2, np.mean(shifts)


def test_a_model_that_solves_everything_has_no_finite_ability_and_the_rest_are_still_fitted():
    rng = np.random.default_rng(3)
    verdicts = _simulate(rng, np.array([-0.5, 0.0, 0.5, 1.0]), rng.normal(0, 1, 200))
    verdicts["oracle"] = {i: True for i in verdicts["m0"]}
    verdicts["mute"] = {i: False for i in verdicts["m0"]}
    fitted = fit_abilities(verdicts)
    assert fitted["oracle"].theta is None and "solves every shared item" in fitted["oracle"].note
    assert fitted["mute"].theta is None
    thetas = [fitted[f"m{p}"].theta for p in range(4)]
    assert all(t is not None for t in thetas) and thetas == sorted(thetas)
    assert abs(sum(thetas) / 4) < 1e-9  # the zero is the estimable models' mean


def test_one_model_alone_is_not_given_an_ability():
    fitted = fit_abilities({"solo": {"i1": True, "i2": False}})
    assert fitted["solo"].theta is None and fitted["solo"].note


R1, R2 = "2026.01", "2026.09"


@pytest.fixture()
def store(tmp_path):
    """Four models and two reference models on a revealed and a sealed release."""
    store = ResultsStore(tmp_path / "results.sqlite")
    rng = random.Random(11)
    accuracy = {"ref-small": 0.3, "ref-large": 0.7, "perfect": 1.0, "strong": 0.85, "middling": 0.6, "coin": 0.5}
    for release, created, revealed in ((R1, "2026-01-05", "2026-03-01"), (R2, "2026-09-02", None)):
        items = [ItemInfo(f"{release}-{k:04d}", "math", "L2", "open", "en", "g") for k in range(300)]
        for model, p in accuracy.items():
            meta = {"role": "reference"} if model.startswith("ref-") else {}
            store.record(release, model, {i.item_id: "correct" if rng.random() < p else "wrong" for i in items}, items,
                         meta=meta, created_at=created, revealed_at=revealed)
    return store


def test_the_board_gives_every_model_an_ability_on_the_reference_models_scale(store):
    owner = build_data(store, view="owner")
    models = {m["model"]: m for m in owner["models"]}
    assert models["perfect"]["ability"] is None and models["perfect"]["ability_note"]
    order = [models[m]["ability"] for m in ("strong", "ref-large", "middling", "coin", "ref-small")]
    assert order == sorted(order, reverse=True)
    assert abs(models["ref-small"]["ability"] + models["ref-large"]["ability"]) < 1e-3  # their mean is 0
    assert all(models[m]["ability_low"] < models[m]["ability"] < models[m]["ability_high"] for m in ("strong", "coin"))
    trend = {p["release"]: p for p in owner["trend"]["strong"]}
    assert "ability" in trend[R1] and "ability" in trend[R2]
    cards = {c["release"]: c for c in owner["releases"]}
    assert cards[R2]["irt_difficulty"]["n"] > 0


def test_the_public_view_fits_abilities_on_revealed_releases_only(store, tmp_path):
    """A sealed release's verdict patterns say more than the rounded score the public sees:
    in the public view they move no ability and no item difficulty."""
    public = build_data(store, view="public")
    owner = build_data(store, view="owner")
    public_trend = {p["release"]: p for p in public["trend"]["strong"]}
    assert "ability" in public_trend[R1] and "ability" not in public_trend[R2]
    cards = {c["release"]: c for c in public["releases"]}
    assert "irt_difficulty" in cards[R1] and "irt_difficulty" not in cards[R2]
    # the public ability is the revealed release's alone: the same figure as R1's own fit
    assert {m["model"]: m.get("ability") for m in public["models"]} == {
        m: p.get("ability") for m, points in owner["trend"].items() for p in points if p["release"] == R1}
    sealed_only = ResultsStore(tmp_path / "sealed.sqlite")
    items = [ItemInfo(f"s-{k}", "math", "L2", "open", "en", "g") for k in range(50)]
    for model in ("a", "b"):
        sealed_only.record("2026.11", model, {i.item_id: "correct" if k % (2 if model == "a" else 3) else "wrong" for k, i in enumerate(items)},
                           items, created_at="2026-11-01")
    assert all("ability" not in m for m in build_data(sealed_only, view="public")["models"])
