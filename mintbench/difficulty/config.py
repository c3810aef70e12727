"""The reference-model ladder and the difficulty-filter settings, read from `mintbench.toml`.

```toml
[filter]
mode = "sequential"      # or "fixed"
margin = 4               # stop when |correct - wrong| >= margin
cap = 12                 # at most this many samples per (item, model)
fixed_k = 12             # samples per (item, model) in fixed mode
ladder = "stop_at_solve" # or "all": every model sees every item (needed for IRT and monotonicity)
labels = ["easy", "medium", "hard"]   # tier i -> labels[min(i, len - 1)]; unsolved -> "unsolved"
anchor_fraction = 0.10   # items every model solves are dropped, except this share kept as anchors

[[models]]               # ordered weak -> strong
name = "local-vllm"
base_url = "http://127.0.0.1:8000/v1"
model = "Qwen/Qwen2.5-7B-Instruct"
api_key_env = "VLLM_API_KEY"   # optional
max_concurrency = 8
temperature = 0.7
max_tokens = 1024
constrain = false        # true for a llama.cpp server: a grammar forces one <answer> tag
```
With no `[[models]]`, the embedded ladder is used: SmolLM2-135M, then Gemma 3 270M, both served
by llama.cpp on loopback with constrained decoding.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mintbench.errors import MintbenchError

DEFAULT_CONFIG = Path("mintbench.toml")


class ModelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    base_url: str
    model: str
    api_key_env: str | None = None
    max_concurrency: int = Field(default=4, ge=1, le=512)
    temperature: float = Field(default=0.7, ge=0.0, le=2.0)
    max_tokens: int = Field(default=512, ge=1)
    timeout_s: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=4, ge=0, le=20)
    # Constrain decoding to the answer format with a llama.cpp grammar (local llama.cpp servers
    # only: OpenAI's API rejects the field). On for the embedded models, off by default otherwise.
    constrain: bool = False
    reasoning_chars: int = Field(default=60, ge=0, le=4000)  # free text allowed before the tag when constrained

    def api_key(self) -> str:
        if self.api_key_env is None:
            return "not-needed"
        key = os.environ.get(self.api_key_env)
        if not key:
            raise MintbenchError(f"model {self.name!r}: environment variable {self.api_key_env} is not set")
        return key


class FilterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Literal["sequential", "fixed"] = "sequential"
    margin: int = Field(default=4, ge=1)
    cap: int = Field(default=12, ge=1)
    fixed_k: int = Field(default=12, ge=1)
    ladder: Literal["stop_at_solve", "all"] = "stop_at_solve"
    labels: list[str] = Field(default_factory=lambda: ["easy", "medium", "hard"], min_length=1)
    anchor_fraction: float = Field(default=0.10, ge=0.0, le=1.0)
    unparsed_flag_rate: float = Field(default=0.5, ge=0.0, le=1.0)
    seed: int = 0
    shard_size: int = Field(default=200, ge=1)


class Ladder(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    filter: FilterSettings = Field(default_factory=FilterSettings)
    models: list[ModelSpec] = Field(default_factory=list)
    # The embedded models' generation settings, used when `models` is empty.
    embedded: dict = Field(default_factory=lambda: {"max_tokens": 128, "temperature": 0.3, "max_concurrency": 2,
                                                    "constrain": True, "reasoning_chars": 0})


def load_ladder(path: str | Path | None = None) -> Ladder:
    """The ladder from `path`, else ./mintbench.toml if present, else defaults."""
    if path is None:
        if not DEFAULT_CONFIG.is_file():
            return Ladder()
        path = DEFAULT_CONFIG
    path = Path(path)
    if not path.is_file():
        raise MintbenchError(f"models config {str(path)!r} does not exist")
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise MintbenchError(f"{path}: not valid TOML ({exc})") from None
    try:
        ladder = Ladder.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        raise MintbenchError(f"{path}: bad value for {key}: {err['msg']}") from None
    names = [m.name for m in ladder.models]
    if len(set(names)) != len(names):
        raise MintbenchError(f"{path}: model names must be unique, got {names}")
    return ladder
