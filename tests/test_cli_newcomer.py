"""The traps a newcomer met: a generator list cut to fragments at 80 columns, errors that named
the wrong mismatch, a snapshot cache tied to the working directory."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "mintbench.cli"]
SNAPSHOT = Path(__file__).parent / "fixtures" / "generators_list_80.txt"


def _run(*args, env=None, cwd=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=cwd)


def test_generators_list_at_80_columns_matches_its_snapshot():
    proc = _run("generators", "list", env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == SNAPSHOT.read_text(), "regenerate with: COLUMNS=80 mintbench generators list > " + str(SNAPSHOT)
    lines = proc.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert "…" not in proc.stdout
    rows = json.loads(_run("generators", "list", "--json").stdout)
    for row in rows:  # every id, format list and answer type whole, on the generator's own line
        line = next(x for x in lines if x.startswith(row["id"] + " "))
        assert ",".join(row["formats"]) in line and line.rstrip().endswith(row["answer_type"])
    assert {"id", "version", "domain", "topic", "levels", "formats", "answer_type", "knobs", "reproduce_chance"} == set(rows[0])
    # each generator states how likely public draws are to reproduce a released question
    assert all(set(row["reproduce_chance"]) == {"easy", "medium", "hard"} for row in rows)


@pytest.mark.parametrize("args, message", [
    (["--domain", "biology", "--generator", "biology.gc_content", "--format", "true_false"],
     "no biology (generators biology.gc_content) generator offers format true_false; formats available: mcq, open"),
    (["--domain", "math", "--level", "L5", "--format", "mcq"], "no math generator at level L5 offers format mcq"),
    (["--domain", "math", "--level", "L9"], "unknown level 'L9'; allowed: L1, L2, L3, L4, L5"),
])
def test_create_names_the_actual_mismatch(args, message, tmp_path):
    proc = _run("create", "--engine", "local", "--count", "3", "--out", str(tmp_path / "s"), *args)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert "levels available" not in proc.stderr or "level" in " ".join(args)
    assert not (tmp_path / "s").exists()


def test_the_snapshot_cache_is_per_user_and_shared_by_every_folder(tmp_path):
    cache = tmp_path / "xdg-cache"
    env = {"XDG_CACHE_HOME": str(cache), "MINTBENCH_CACHE_DIR": ""}
    made = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        proc = _run("create", "--engine", "local", "--domain", "chemistry", "--count", "5", "--generator", "chemistry.formula",
                    "--out", str(folder / "set"), env={**env, "PYTHONPATH": str(Path(__file__).parents[1])}, cwd=folder)
        assert proc.returncode == 0, proc.stderr
        assert not (folder / "outputs").exists()
        files = sorted((cache / "mintbench").glob("pubchem_snapshot-*.parquet"))
        assert len(files) == 1
        made.append(files[0].stat().st_mtime_ns)
    assert made[0] == made[1]  # the second folder read the first one's cache, it did not rebuild it
    assert not list((cache / "mintbench").glob(".*.tmp"))
