"""Difficulty filtering against a scripted OpenAI-compatible server (known pass rates),
through the real `openai` client."""

import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from mintbench.create.build import SetSpec, run_local
from mintbench.errors import MintbenchError
from mintbench.difficulty.filtering import CACHE_FILE, run_filter
from mintbench.difficulty.config import FilterSettings, Ladder, ModelSpec, load_ladder
from mintbench.difficulty.cache import ResponseCache
from mintbench.difficulty.sampling import Tally, solved, stop_reason, variant, wilson
from mintbench.difficulty.scripted import Script, ScriptedServer
from mintbench.items.setdir import load_set
from validators.grade import grade_response

CLI = [sys.executable, "-m", "mintbench.cli"]


def _set(tmp_path, name="s", count=30, seed=5, **kw):
    return run_local(SetSpec(domain="math", count=count, seed=seed, **kw), tmp_path / name)


def _ladder(srv, names, **settings):
    return Ladder(
        filter=FilterSettings(**settings),
        models=[ModelSpec(name=n, base_url=srv.base_url, model=n, max_concurrency=8) for n in names],
    )


def test_sequential_rule():
    s = FilterSettings()
    assert stop_reason(Tally(correct=4), s) == "margin"
    assert stop_reason(Tally(wrong=2, unparsed=2), s) == "margin"  # unparsed counts against the model
    assert stop_reason(Tally(correct=3, wrong=1), s) is None
    assert stop_reason(Tally(correct=6, wrong=6), s) == "cap"
    assert stop_reason(Tally(correct=5), FilterSettings(mode="fixed", fixed_k=5)) == "fixed_k"
    assert stop_reason(Tally(errors=3), s) == "errors"
    assert solved(Tally(correct=5, wrong=1)) and not solved(Tally(correct=6, wrong=6))


def test_wilson_interval():
    lo, hi = wilson(8, 10)
    assert 0.49 < lo < 0.5 and 0.94 < hi < 0.95
    assert wilson(0, 0) == (0.0, 1.0)


def test_mcq_options_are_reshuffled_per_sample_and_the_key_follows():
    from mintbench.items.registry import build_item

    item = build_item("math.determinant", 1, 0, fmt="mcq")
    orders = set()
    for seed in range(20):
        prompt, graded = variant(item, seed)
        orders.add(tuple(graded.choices))
        assert sorted(graded.choices) == sorted(item.choices)
        gold_text = item.choices["ABCD".index(item.answer)]
        assert graded.choices["ABCD".index(graded.answer)] == gold_text
        assert grade_response(graded, f"<answer>{graded.answer}</answer>").status == "correct"
        assert f"{graded.answer}. {gold_text}" in prompt
    assert len(orders) > 5


def test_ladder_labels_follow_known_pass_rates(tmp_path):
    set_dir = _set(tmp_path, count=30)
    items, _ = load_set(set_dir)
    script, expected = Script(), {}
    for k, it in enumerate(items):
        kind = k % 3  # 0: weak solves; 1: only strong solves; 2: nobody solves
        script.add(it, {"weak": [0.97, 0.02, 0.0][kind], "strong": [0.97, 0.97, 0.0][kind]})
        expected[it.item_id] = ["easy", "medium", "unsolved"][kind]
    with ScriptedServer(script) as srv:
        info = run_filter(set_dir, _ladder(srv, ["weak", "strong"]))
        weak_asked = sum(1 for m, _, _ in srv.requests if m == "weak")
    items, manifest = load_set(set_dir)
    got = {i.item_id: i.difficulty_label for i in items}
    agree = sum(got[k] == v for k, v in expected.items())
    assert agree >= 28, Counter((expected[k], got[k]) for k in expected)
    # Items the weak model solves are not sent to the strong one.
    strong_items = {i.item_id for i in items if "strong" in i.difficulty["models"]}
    assert all(expected[k] != "easy" for k in strong_items)
    assert weak_asked >= 4 * len(items)
    assert info["mean_calls_per_pair"] <= 6
    assert manifest["difficulty"]["by_label"] == info["by_label"]
    rec = items[0].difficulty["models"]["weak"]
    assert {"correct", "samples", "p_hat", "ci95", "decision", "stop_reason"} <= set(rec)
    assert items[0].difficulty["decision"] in {"keep", "drop", "anchor"}
    report = (set_dir / "difficulty_report.md").read_text()
    assert "Difficulty report" in report and (set_dir / "labels_by_generator.png").stat().st_size > 1000
    # Both rungs reach the results store: the strong model's skipped items (solved by the weak
    # one, as the ladder assumes) are counted solved, and the run says how many.
    from mintbench.results.add import add_filter_results
    from mintbench.results.store import ResultsStore

    results = ResultsStore(tmp_path / "results.sqlite")
    assert add_filter_results(results, set_dir) == ["weak", "strong"]
    runs = {r.model: r for r in results.current_runs()}
    skipped = len(items) - len(strong_items)
    assert runs["strong"].meta["inferred_solved"] == str(skipped) and "inferred_solved" not in runs["weak"].meta
    assert runs["strong"].correct == skipped + sum(i.difficulty["models"]["strong"]["decision"] == "solved" for i in items if i.item_id in strong_items)
    # No answer reaches the report or the manifest.
    public = report + (set_dir / "manifest.json").read_text()
    assert not [i.answer for i in items if len(i.answer) >= 4 and i.answer_type not in ("boolean", "choice") and i.answer in public]


def test_fixed_k_mode_spends_k_per_pair(tmp_path):
    set_dir = _set(tmp_path, count=6)
    items, _ = load_set(set_dir)
    script = Script()
    for it in items:
        script.add(it, {"m": 1.0})
    with ScriptedServer(script) as srv:
        info = run_filter(set_dir, _ladder(srv, ["m"], mode="fixed", fixed_k=5))
    assert info["calls"] == 5 * len(items) == len(srv.requests)


def test_rerun_is_free_thanks_to_the_cache(tmp_path):
    set_dir = _set(tmp_path, count=8)
    items, _ = load_set(set_dir)
    script = Script()
    for it in items:
        script.add(it, {"m": 0.5})
    with ScriptedServer(script) as srv:
        first = run_filter(set_dir, _ladder(srv, ["m"]))
        n_first = len(srv.requests)
        second = run_filter(set_dir, _ladder(srv, ["m"]))
        assert len(srv.requests) == n_first  # nothing paid twice
    assert second["by_label"] == first["by_label"]
    assert second["calls_by_model"]["m"]["cached"] == n_first


def test_transient_failures_are_retried_not_graded_wrong(tmp_path):
    set_dir = _set(tmp_path, count=6)
    items, _ = load_set(set_dir)
    script = Script(fail_every=3)
    for it in items:
        script.add(it, {"m": 1.0})
    with ScriptedServer(script) as srv:
        info = run_filter(set_dir, _ladder(srv, ["m"]))
    items, _ = load_set(set_dir)
    assert info["by_label"] == {"easy": len(items)}
    assert all(i.difficulty["models"]["m"]["wrong"] == 0 for i in items)


def test_a_model_that_stays_down_stops_with_its_name(tmp_path):
    set_dir = _set(tmp_path, count=4)
    items, _ = load_set(set_dir)
    script = Script(down_models={"broken"})
    for it in items:
        script.add(it, {"broken": 1.0})
    with ScriptedServer(script) as srv:
        ladder = _ladder(srv, ["broken"])
        ladder = ladder.model_copy(update={"models": [ladder.models[0].model_copy(update={"max_retries": 1})]})
        with pytest.raises(MintbenchError, match="'broken' at http://127.0.0.1"):
            run_filter(set_dir, ladder)


def test_bad_ladder_config_names_the_key(tmp_path):
    cfg = tmp_path / "m.toml"
    cfg.write_text('[filter]\nmode = "adaptive"\n')
    with pytest.raises(MintbenchError, match="filter.mode"):
        load_ladder(cfg)
    cfg.write_text('[[models]]\nname = "a"\nbase_url = "http://x/v1"\nmodel = "m"\napi_key_env = "MINTBENCH_NO_SUCH_KEY"\n')
    with pytest.raises(MintbenchError, match="MINTBENCH_NO_SUCH_KEY is not set"):
        load_ladder(cfg).models[0].api_key()


def test_killed_filter_resumes_without_repeating_finished_calls(tmp_path):
    set_dir = _set(tmp_path, count=24)
    items, _ = load_set(set_dir)
    script = Script(delay_s=0.05)
    for it in items:
        script.add(it, {"m": 0.5})
    with ScriptedServer(script) as srv:
        cfg = tmp_path / "m.toml"
        cfg.write_text(f'[[models]]\nname = "m"\nbase_url = "{srv.base_url}"\nmodel = "m"\nmax_concurrency = 2\n')
        results = tmp_path / "results.sqlite"
        proc = subprocess.Popen([*CLI, "filter", str(set_dir), "--models", str(cfg), "--engine", "local", "--results", str(results)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while len(srv.requests) < 40 and time.time() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        cache = ResponseCache(set_dir / CACHE_FILE)
        finished = cache.seeds()
        cache.close()
        assert 20 <= len(finished) < 200
        before = len(srv.requests)
        done = subprocess.run([*CLI, "filter", str(set_dir), "--models", str(cfg), "--engine", "local", "--results", str(results)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        repeated = [seed for _, seed, _ in srv.requests[before:] if seed in finished]
        assert repeated == []
    items, manifest = load_set(set_dir)
    assert all(i.difficulty_label for i in items) and "difficulty" in manifest
    # The reference model's measured verdicts reach the results board, one run per model.
    from mintbench.results.store import ResultsStore

    runs = ResultsStore(results).current_runs()
    assert [(r.model, r.source, r.n) for r in runs] == [("m", "filter", len(items))]
    assert runs[0].correct == sum(i.difficulty["models"]["m"]["decision"] == "solved" for i in items)
