"""The real embedded reference model: llama-cpp-python serving SmolLM2-135M on loopback."""

import socket
from urllib.parse import urlparse

import pytest

from mintbench.create.build import SetSpec, run_local
from mintbench.difficulty.embedded import embedded_server
from mintbench.difficulty.filtering import CACHE_FILE, run_filter
from mintbench.difficulty.config import Ladder
from mintbench.difficulty.cache import ResponseCache
from mintbench.items.setdir import load_set


def _port_open(url: str) -> bool:
    parsed = urlparse(url)
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((parsed.hostname, parsed.port)) == 0


def test_embedded_server_filters_a_handful_of_items_end_to_end(tmp_path):
    set_dir = run_local(SetSpec(domain="math", count=3, seed=2, format="mcq"), tmp_path / "s")
    info = run_filter(set_dir, Ladder())  # no models configured: the embedded server
    items, manifest = load_set(set_dir)
    assert info["models"] == ["smollm2-135m-instruct"]
    assert all(i.difficulty_label in {"easy", "unsolved"} for i in items)
    assert all(i.difficulty["models"]["smollm2-135m-instruct"]["samples"] >= 4 for i in items)
    cache = ResponseCache(set_dir / CACHE_FILE)
    assert cache.count() == info["calls"] > 0
    cache.close()
    assert manifest["difficulty"]["calls"] == info["calls"]


def test_embedded_server_is_stopped_even_on_error(tmp_path):
    with pytest.raises(RuntimeError, match="boom"):
        with embedded_server({"max_tokens": 8}, tmp_path) as spec:
            url = spec.base_url
            assert _port_open(url)
            raise RuntimeError("boom")
    assert not _port_open(url)
