"""The results store and board (issue #24): rankings a statistician would sign, contamination a
reviewer can see, and public views that release nothing the grading service would not."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import subprocess
import sys

import pytest

from conftest import leaked
from mintbench.errors import MintbenchError
from mintbench.results.board import build, build_data
from mintbench.results.stats import contamination_gap, rank_ranges
from mintbench.results.store import ItemInfo, ResultsStore
from mintbench.runners.service.disclosure import Disclosure

N_ITEMS = 300
TRUE_ACCURACY = {"perfect": 1.00, "strong": 0.90, "close": 0.88, "middling": 0.70, "coin": 0.50}
R1, R2 = "2026.01", "2026.09"  # R1 revealed in March, R2 made in September
DOMAINS, LEVELS = ("math", "chemistry", "biology"), ("L1", "L2", "L3", "L4", "L5")


def _items(release: str, n: int = N_ITEMS) -> list[ItemInfo]:
    return [ItemInfo(f"{release}-{k:04d}", DOMAINS[k % 3], LEVELS[k % 5], "open", "en", "g") for k in range(n)]


def _verdicts(items: list[ItemInfo], p: float, rng: random.Random) -> dict[str, str]:
    return {i.item_id: "correct" if rng.random() < p else "wrong" for i in items}


RELEASES = ((R1, "2026-01-05", "2026-03-01"), (R2, "2026-09-02", None))


@pytest.fixture()
def scripted(tmp_path):
    """Five scripted models with known accuracies on two releases of 300 items."""
    store = ResultsStore(tmp_path / "results.sqlite")
    rng = random.Random(2026)
    for release, created, revealed in RELEASES:
        items = _items(release)
        for model, p in TRUE_ACCURACY.items():
            store.record(release, model, _verdicts(items, p, rng), items, meta={"provider": "scripted", "secret_note": "owner only"},
                         created_at=created, revealed_at=revealed)
    return store


@pytest.fixture()
def contaminated(scripted):
    """Beside them, a model that holds R1's revealed answers and an honest one, both declaring
    a June cutoff: R1 was revealed in March, R2 made in September."""
    rng = random.Random(99)
    for release, created, revealed in RELEASES:
        items = _items(release)
        leaky_p = 0.98 if release == R1 else 0.55
        scripted.record(release, "leaky", _verdicts(items, leaky_p, rng), items, meta={"cutoff": "2026-06-30"}, created_at=created, revealed_at=revealed)
        scripted.record(release, "honest", _verdicts(items, 0.6, rng), items, meta={"cutoff": "2026-06-30"}, created_at=created, revealed_at=revealed)
    return scripted


def _overall(data: dict, release: str) -> dict[str, dict]:
    return {r["model"]: r for r in data["rows"] if r["release"] == release and r["slice"] == "all"}


def test_rank_ranges_tell_apart_what_300_items_can_and_no_more(scripted):
    """0.90 and 0.88 cannot be told apart on 300 items and share a range; 1.00 is first alone;
    0.50 is last alone. A board that printed 0.90 first and 0.88 second would be claiming what
    its items do not show."""
    data = build_data(scripted, view="owner")
    for release in (R1, R2):
        rows = _overall(data, release)
        assert (rows["perfect"]["rank_best"], rows["perfect"]["rank_worst"]) == (1, 1)
        assert (rows["coin"]["rank_best"], rows["coin"]["rank_worst"]) == (5, 5)
        strong, close = rows["strong"], rows["close"]
        assert strong["rank_best"] <= close["rank_worst"] and close["rank_best"] <= strong["rank_worst"]
        assert (strong["rank_best"], strong["rank_worst"]) == (close["rank_best"], close["rank_worst"])
        assert all(r["n"] == N_ITEMS for r in rows.values())


def test_intervals_cover_the_true_accuracy_at_their_nominal_rate():
    """Exactly, over every outcome of 300 items: the interval the board prints covers the true
    accuracy in at least 95 % of outcomes at every accuracy from 0.50 to 0.995 (Wilson's fell to
    94.1 % at 0.97, the normal one to 80 % near 1). Then a seeded simulation through the board's
    own ranking code: 2,000 draws of five models, coverage per model >= 0.94 (a true 95 %
    interval falls below that with probability < 0.03; a 90 % one stays above with < 1e-9)."""
    import numpy as np
    from scipy.stats import binom

    from mintbench.results.stats import clopper_pearson

    outcomes = np.arange(N_ITEMS + 1)
    bounds = [clopper_pearson(int(k), N_ITEMS) for k in outcomes]
    for p in np.arange(0.5, 0.996, 0.005):
        mass = binom.pmf(outcomes, N_ITEMS, p)
        assert sum(m for m, (lo, hi) in zip(mass, bounds) if lo <= p <= hi) >= 0.95, p
    rng = np.random.default_rng(7)
    covered = {m: 0 for m in TRUE_ACCURACY}
    draws = 2000
    for _ in range(draws):
        verdicts = {m: list(rng.random(N_ITEMS) < p) for m, p in TRUE_ACCURACY.items()}
        for s in rank_ranges(verdicts):
            covered[s.model] += s.ci_low <= TRUE_ACCURACY[s.model] <= s.ci_high
    assert all(c / draws >= 0.94 for c in covered.values()), covered


def test_the_board_rows_carry_each_models_interval_around_its_accuracy(scripted):
    data = build_data(scripted, view="owner")
    for row in data["rows"]:
        assert {"model", "release", "n", "accuracy", "ci_low", "ci_high", "rank_best", "rank_worst"} <= set(row)
        assert row["ci_low"] <= row["accuracy"] <= row["ci_high"] and 1 <= row["rank_best"] <= row["rank_worst"]


def test_a_model_trained_on_revealed_answers_shows_a_contamination_gap(contaminated):
    """'leaky' scores 0.98 on a paper revealed before its cutoff and 0.55 on one sealed after it:
    the gap's interval excludes 0. 'honest' scores 0.6 on both: its interval covers 0."""
    gaps = {g["model"]: g for g in build_data(contaminated, view="owner")["contamination"]}
    assert gaps["leaky"]["ci_low"] > 0 and gaps["leaky"]["significant"]
    assert gaps["leaky"]["revealed_releases"] == [R1] and gaps["leaky"]["sealed_releases"] == [R2]
    assert gaps["honest"]["ci_low"] <= 0 <= gaps["honest"]["ci_high"] and not gaps["honest"]["significant"]
    assert set(gaps) == {"leaky", "honest"}  # only models that declared a cutoff


def test_the_gap_interval_covers_zero_for_honest_models_at_its_nominal_rate():
    """400 seeded honest models (the same true accuracy on both sides): the gap's 95 % interval
    covers 0 in [0.925, 0.985] of them (the hybrid score interval is slightly conservative).
    Power: the band is 2.3 binomial SDs below 0.95 and 3.2 above; an interval that covers only
    90 % (its SE understated by about a sixth) fails with probability 0.95, and a needlessly
    wide one that covers 99.5 % fails with probability 0.98."""
    rng = random.Random(11)
    covers = 0
    for _ in range(400):
        a = [rng.random() < 0.7 for _ in range(N_ITEMS)]
        b = [rng.random() < 0.7 for _ in range(N_ITEMS)]
        gap = contamination_gap("m", "2026-06-30", a, b)
        covers += gap.ci_low <= 0 <= gap.ci_high
    assert 0.925 <= covers / 400 <= 0.985, covers / 400


def test_identical_models_share_every_rank():
    rng = random.Random(3)
    same = [rng.random() < 0.8 for _ in range(200)]
    standings = rank_ranges({"a": same, "b": list(same), "c": list(same)})
    assert {(s.rank_best, s.rank_worst) for s in standings} == {(1, 3)}


def test_the_public_view_of_a_sealed_release_releases_only_grid_scores_and_large_cells(scripted, tmp_path):
    policy = Disclosure(step=0.05, min_cell=70)
    public = build_data(scripted, view="public", policy=policy)
    owner = build_data(scripted, view="owner", policy=policy)
    sealed = [r for r in public["rows"] if r["release"] == R2]
    assert sealed and all(abs(r["accuracy"] / 0.05 - round(r["accuracy"] / 0.05)) < 1e-6 for r in sealed)
    assert all(r["slice"] == "all" or r["n"] >= 70 for r in sealed)  # level cells of 60 items are withheld
    assert not any(r["slice"] == "level" for r in sealed) and any(r["slice"] == "domain" for r in sealed)
    # the revealed release is shown whole, as the owner sees it
    assert [r for r in public["rows"] if r["release"] == R1] == [r for r in owner["rows"] if r["release"] == R1]
    cards = {c["release"]: c for c in public["releases"]}
    assert "difficulty_histogram" not in cards[R2] and sum(cards[R1]["difficulty_histogram"]) == N_ITEMS
    assert all("secret_note" not in m["meta"] for m in public["models"])
    assert any("secret_note" in m["meta"] for m in owner["models"])


def test_the_store_is_append_only_idempotent_and_refuses_silent_replacement(tmp_path):
    store = ResultsStore(tmp_path / "r.sqlite")
    items = _items("2026.02", 20)
    first = {i.item_id: "correct" for i in items}
    run, new = store.record("2026.02", "m", first, items, responses={"x": "1"})
    assert new and store.record("2026.02", "m", first, items, responses={"x": "1"}) == (run, False)
    other = {**first, items[0].item_id: "wrong"}
    with pytest.raises(MintbenchError, match="--replace"):
        store.record("2026.02", "m", other, items, responses={"x": "2"})
    replaced, _ = store.record("2026.02", "m", other, items, responses={"x": "2"}, replace=True)
    history = store.history()
    assert [h["id"] for h in history] == [run, replaced] and history[1]["supersedes"] == run
    assert store.current_runs()[0].correct == 19


@pytest.mark.parametrize("change, message", [
    (lambda v, items: {**v, "not-an-item": "correct"}, "not in release"),
    (lambda v, items: {k: s for k, s in v.items() if k != items[0].item_id}, "have no verdict"),
    (lambda v, items: {**v, items[0].item_id: "maybe"}, "unknown verdict"),
])
def test_bad_runs_are_refused_by_name_and_nothing_is_written(tmp_path, change, message):
    store = ResultsStore(tmp_path / "r.sqlite")
    items = _items("2026.03", 10)
    verdicts = change({i.item_id: "correct" for i in items}, items)
    with pytest.raises(MintbenchError, match=message):
        store.record("2026.03", "m", verdicts, items)
    db = sqlite3.connect(tmp_path / "r.sqlite")
    assert [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("releases", "items", "runs", "verdicts")] == [0, 0, 0, 0]


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "mintbench.cli", *args], capture_output=True, text=True, env=env)


def test_results_add_grades_records_and_the_board_leaks_no_answer(math_set, tmp_path):
    """The owner's path end to end: responses graded and recorded with `results add`, the same
    file again changes nothing, another file under the same name is refused, and the board built
    from it (either view) holds no gold answer, only aggregates."""
    from mintbench.items.setdir import load_set

    items, _ = load_set(math_set)
    results = tmp_path / "results.sqlite"
    files = {}
    for name, k in (("gold", len(items)), ("half", len(items) // 2)):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps({"item_id": i.item_id, "response": f"<answer>{i.answer if n < k else 'no idea'}</answer>"}) + "\n"
                                for n, i in enumerate(items)))
        files[name] = path
    for name in ("gold", "half"):
        done = _cli("results", "add", str(math_set), "--model", name, "--responses", str(files[name]), "--results", str(results),
                    "--meta", "provider=test", "--meta", "cutoff=2026-06-30")
        assert done.returncode == 0, done.stderr
        assert "recorded" in done.stdout
    again = _cli("results", "add", str(math_set), "--model", "gold", "--responses", str(files["gold"]), "--results", str(results))
    assert again.returncode == 0 and "already recorded" in again.stdout
    clash = _cli("results", "add", str(math_set), "--model", "gold", "--responses", str(files["half"]), "--results", str(results))
    assert clash.returncode == 2 and "--replace" in clash.stderr
    bad_meta = _cli("results", "add", str(math_set), "--model", "x", "--responses", str(files["gold"]), "--results", str(results), "--meta", "cutoff=soon")
    assert bad_meta.returncode == 2 and "cutoff" in bad_meta.stderr and "YYYY-MM-DD" in bad_meta.stderr
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"item_id": "0" * 24, "response": "<answer>1</answer>"}) + "\n")
    wrong_release = _cli("results", "add", str(math_set), "--model", "y", "--responses", str(other), "--results", str(results))
    assert wrong_release.returncode == 2 and "not in the set" in wrong_release.stderr
    for view in ("public", "owner"):
        out = tmp_path / f"board-{view}"
        built = _cli("board", "build", "--out", str(out), "--view", view, "--results", str(results))
        assert built.returncode == 0, built.stderr
        data = json.loads((out / "board.json").read_text())
        overall = _overall(data, math_set.resolve().name)
        assert overall["gold"]["accuracy"] == 1.0 and overall["gold"]["rank_best"] == 1
        text = "\n".join(p.read_text() for p in out.rglob("*") if p.is_file())
        assert not leaked([i.answer for i in items if re.search(r"\d", i.answer) and len(i.answer) > 3], text)
        assert "correct" not in json.dumps(data["rows"])  # aggregates only, no verdicts


def test_a_model_name_cannot_inject_markup_into_the_board(tmp_path):
    store = ResultsStore(tmp_path / "r.sqlite")
    items = _items("2026.04", 10)
    store.record("2026.04", "</script><img src=x onerror=alert(1)>", {i.item_id: "correct" for i in items}, items)
    out = tmp_path / "board"
    build(store, out, view="owner")
    page = (out / "index.html").read_text()
    assert "<img src=x" not in page and "</script><img" not in page


def test_another_set_under_the_same_name_is_refused(tmp_path):
    """Two set directories both called 'math' would have been ranked as one paper."""
    store = ResultsStore(tmp_path / "r.sqlite")
    first, second = _items("math", 10), [ItemInfo(f"other-{k}", "math", "L1", "open", "en", "g") for k in range(10)]
    store.record("math", "m", {i.item_id: "correct" for i in first}, first)
    with pytest.raises(MintbenchError, match="other items"):
        store.record("math", "n", {i.item_id: "wrong" for i in second}, second)
    assert [r.model for r in store.current_runs()] == ["m"]


def test_where_the_service_scored_a_public_part_every_model_is_ranked_on_the_private_rest(scripted):
    """Kaggle's split: a token may have probed the public part within the Ladder's bound, so the
    official ranking leaves it out, for every model alike (paired on the same items). A model
    that knows every public answer and nothing else gains nothing on the board."""
    items = _items(R1)
    public = {i.item_id for k, i in enumerate(items) if k % 2 == 0}
    rng = random.Random(7)
    prober = {i.item_id: "correct" if i.item_id in public else ("correct" if rng.random() < 0.5 else "wrong") for i in items}
    scripted.record(R1, "prober", prober, items, created_at="2026-01-05", revealed_at="2026-03-01")
    before = _overall(build_data(scripted, view="owner"), R1)
    scripted.mark_public(R1, public)
    scripted.mark_public(R1, public)  # the service marks it on every submission: idempotent
    data = build_data(scripted, view="owner")
    after = _overall(data, R1)
    assert before["prober"]["n"] == N_ITEMS and before["prober"]["accuracy"] > 0.7
    assert {r["n"] for r in after.values()} == {N_ITEMS - len(public)}
    # Its private half only: a coin over 150 items (SD 0.041), so 0.62 is 2.9 SDs above it; a
    # board that still counted the public half (0.75 expected) fails with probability above 0.999.
    assert after["prober"]["accuracy"] < 0.62
    assert after["prober"]["rank_best"] > after["strong"]["rank_worst"]
    card = next(c for c in data["releases"] if c["release"] == R1)
    assert card["ranked_on"] == N_ITEMS - len(public) and card["n_items"] == N_ITEMS
