"""The real embedded reference ladder: llama-cpp-python serving SmolLM2-135M and Gemma 3 270M
on loopback, with constrained decoding."""

import socket
from urllib.parse import urlparse

import pytest

from mintbench.create.build import SetSpec, run_local
from mintbench.difficulty.embedded import embedded_server
from mintbench.difficulty.filtering import CACHE_FILE, run_filter
from mintbench.difficulty.config import FilterSettings, Ladder
from mintbench.difficulty.cache import ResponseCache
from mintbench.items.setdir import ITEMS_FILE, MANIFEST_FILE, load_set, write_items, write_json


def _port_open(url: str) -> bool:
    parsed = urlparse(url)
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((parsed.hostname, parsed.port)) == 0


def _mixed_set(tmp_path):
    """Two items of each domain in one set directory."""
    items = []
    for domain in ("math", "chemistry", "biology"):
        part, _ = load_set(run_local(SetSpec(domain=domain, count=2, seed=2, difficulty="easy"), tmp_path / domain))
        items += part
    out = tmp_path / "mixed"
    out.mkdir()
    write_items(items, out / ITEMS_FILE)
    write_json({"kind": "mintbench-set", "counts": {"total": len(items)}}, out / MANIFEST_FILE)
    return out


def test_the_embedded_ladder_labels_a_mixed_set_by_its_measured_pass_rates(tmp_path):
    """Both embedded models, every item asked of both (ladder = all): each label is the first
    model, weak to strong, whose tally in the difficulty data solves the item."""
    set_dir = _mixed_set(tmp_path)
    ladder = Ladder(filter=FilterSettings(margin=2, cap=4, ladder="all"))
    info = run_filter(set_dir, ladder)  # no models configured: the embedded ladder
    assert info["models"] == ["smollm2-135m-instruct", "gemma-3-270m"]
    items, manifest = load_set(set_dir)
    assert {i.domain for i in items} == {"math", "chemistry", "biology"}
    for item in items:
        records = item.difficulty["models"]
        assert set(records) == set(info["models"]) and all(r["samples"] >= 2 for r in records.values())
        solved = [m for m in info["models"] if records[m]["correct"] > records[m]["wrong"] + records[m]["unparsed"]]
        expected = "unsolved" if not solved else ["easy", "medium", "hard"][info["models"].index(solved[0])]
        assert item.difficulty_label == expected, (item.generator, records)
        assert {r["decision"] for r in records.values()} <= {"solved", "not_solved"}
    for model, stats in info["per_model"].items():
        # Constrained decoding: nearly every response carries a parseable answer.
        assert stats["parsed_rate"] >= 0.75, (model, stats)
        pooled = sum(i.difficulty["models"][model]["correct"] for i in items) / stats["samples"]
        assert stats["accuracy"] == round(pooled, 4)
    cache = ResponseCache(set_dir / CACHE_FILE)
    assert cache.count() == info["calls"] > 0
    cache.close()
    assert manifest["difficulty"]["calls"] == info["calls"]
    report = (set_dir / "difficulty_report.md").read_text()
    assert "parsed rate" in report and "gemma-3-270m" in report and (set_dir / "ladder_pass_rate.png").stat().st_size > 1000


def test_constrained_responses_carry_one_answer_of_the_items_shape(tmp_path):
    """The grammar reaches the server: a constrained MCQ answer is one tag around one letter."""
    import httpx

    from mintbench.difficulty.constrain import answer_grammar

    item = load_set(run_local(SetSpec(domain="math", count=1, seed=3, format="mcq"), tmp_path / "s"))[0][0]
    with embedded_server({"max_tokens": 32}, tmp_path) as spec:
        for seed in range(3):
            reply = httpx.post(f"{spec.base_url}/chat/completions", timeout=120, json={
                "model": spec.model, "messages": [{"role": "user", "content": item.question}], "max_tokens": 32,
                "temperature": 0.9, "seed": seed, "grammar": answer_grammar(item, 0)}).json()
            text = reply["choices"][0]["message"]["content"]
            assert text.startswith("<answer>") and text.endswith("</answer>") and text[8:-9] in "ABCD" and len(text) == 18, text


def test_embedded_server_is_stopped_even_on_error(tmp_path):
    with pytest.raises(RuntimeError, match="boom"):
        with embedded_server({"max_tokens": 8}, tmp_path) as spec:
            url = spec.base_url
            assert _port_open(url)
            raise RuntimeError("boom")
    assert not _port_open(url)
