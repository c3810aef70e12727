import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from mintbench.prefect_env import apply_defaults  # noqa: E402

apply_defaults()


@pytest.fixture(scope="session")
def math_set(tmp_path_factory):
    """A small proven math set built once for the grading tests."""
    from mintbench.create import SetSpec, run_local

    out = tmp_path_factory.mktemp("sets") / "math"
    run_local(SetSpec(domain="math", count=120, seed=11, shard_size=50), out)
    return out
