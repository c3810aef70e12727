import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from conftest import leaked
from mintbench.create.build import SetSpec, item_at, resolve_generators, run_local
from mintbench.errors import MintbenchError
from mintbench.items.setdir import load_set, sha256_file

CLI = [sys.executable, "-m", "mintbench.cli"]


def _without_created_at(path):
    return pq.read_table(path).drop_columns(["created_at"])


def test_same_command_twice_gives_identical_items(tmp_path):
    spec = SetSpec(domain="math", count=150, seed=4, shard_size=40)
    a, b = run_local(spec, tmp_path / "a"), run_local(spec, tmp_path / "b")
    assert _without_created_at(a / "items.parquet").equals(_without_created_at(b / "items.parquet"))


def test_different_seed_gives_disjoint_items(tmp_path):
    """Disjoint items always; a question repeats across seeds only from a generator whose
    question space is small (totients of a few hundred numbers, two dice summing to 7), which
    repeats by the birthday bound: knowledge recall, measured and marked as such
    (mintbench/items/space.py), not a fault of the seed."""
    from mintbench.items.space import recall_generators

    a, _ = load_set(run_local(SetSpec(domain="math", count=150, seed=1), tmp_path / "a"))
    b, _ = load_set(run_local(SetSpec(domain="math", count=150, seed=2), tmp_path / "b"))
    assert not {i.item_id for i in a} & {i.item_id for i in b}
    recall = recall_generators({i.generator: i.generator_version for i in a + b})
    first = {i.question for i in a}
    repeated = {i.generator for i in b if i.question in first}
    assert repeated <= set(recall), repeated - set(recall)


def test_item_i_rebuilt_alone_equals_item_i_of_the_set(math_set):
    items, manifest = load_set(math_set)
    spec = SetSpec(**manifest["spec"])
    gens = resolve_generators(spec)
    for item in items[::17]:
        assert item_at(spec, gens, item.index) == item.model_copy(update={"created_at": None})


def test_manifest_counts_versions_and_hashes(math_set):
    items, manifest = load_set(math_set)
    assert manifest["counts"]["total"] == len(items) == 120
    assert sum(manifest["counts"]["by_generator"].values()) == 120
    assert manifest["files"]["items.parquet"]["sha256"] == sha256_file(math_set / "items.parquet")
    assert set(manifest["generator_versions"]) == {i.generator for i in items}
    assert manifest["seed"] == 11 and manifest["created_at"].endswith("Z")
    assert len({i.item_id for i in items}) == len(items)
    # The manifest is public-safe: no gold answer appears in it.
    text = (math_set / "manifest.json").read_text()
    assert not leaked([i.answer for i in items if len(i.answer) > 3 and i.answer_type != "boolean"], text)


def test_level_and_format_filters(tmp_path):
    items, _ = load_set(run_local(SetSpec(domain="math", count=30, seed=1, level="L3", format="mcq"), tmp_path / "s"))
    assert {i.level for i in items} == {"L3"} and {i.format for i in items} == {"mcq"}


def test_exhausted_space_is_a_clear_error_and_leaves_nothing(tmp_path):
    # Easy trig recall has only a few dozen distinct questions.
    spec = SetSpec(domain="math", count=500, seed=1, generators=("math.trig_values",), difficulty="easy", format="open")
    with pytest.raises(MintbenchError, match="distinct proven items"):
        run_local(spec, tmp_path / "s")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--domain", "physics"], "unknown domain 'physics'; allowed: math, chemistry, biology"),
        (["--domain", "math", "--count", "0"], "count must be a positive integer"),
        (["--domain", "math", "--level", "L7"], "unknown level 'L7'; allowed: L1, L2, L3, L4, L5"),
        (["--domain", "math", "--difficulty", "brutal"], "unknown difficulty 'brutal'; allowed: easy, medium, hard"),
        (["--domain", "math", "--lang", "fr"], "unknown lang 'fr'; allowed: en, zh"),
        (["--domain", "math", "--render", "html"], "unknown render 'html'; allowed: plain, latex"),
        (["--domain", "math", "--generator", "math.nope"], "unknown generator in domain math 'math.nope'"),
        (["--domain", "math", "--knob", "math.derivative.colour=1"], "unknown knob for math.derivative 'colour'"),
        (["--domain", "math", "--out", "/proc/forbidden/set"], "is not writable"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path, args, message):
    proc = subprocess.run([*CLI, "create", "--engine", "local", *args], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert not (tmp_path / "outputs").exists()


def test_cli_create_prints_the_directory_last(tmp_path):
    proc = subprocess.run(
        [*CLI, "create", "--engine", "local", "--domain", "math", "--count", "20", "--seed", "3", "--lang", "zh"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    set_dir = tmp_path / proc.stdout.strip().splitlines()[-1]
    items, manifest = load_set(set_dir)
    assert len(items) == 20 and {i.lang for i in items} == {"zh"}
    assert json.loads((set_dir / "manifest.json").read_text())["spec"]["lang"] == "zh"


def test_a_latex_set_is_the_plain_set_printed_otherwise(tmp_path):
    """Same problems, same keys, same ids of generators and order; only the printing of the
    math-heavy questions differs, and a plain spec keeps the directory name it always had."""
    plain_spec = SetSpec(domain="math", count=40, seed=6, format="open")
    latex_spec = SetSpec(domain="math", count=40, seed=6, format="open", render="latex")
    assert plain_spec.digest() == SetSpec(**{k: v for k, v in plain_spec.model_dump().items() if k != "render"}).digest()
    assert latex_spec.digest() != plain_spec.digest()
    plain, _ = load_set(run_local(plain_spec, tmp_path / "p"))
    latex, _ = load_set(run_local(latex_spec, tmp_path / "l"))
    assert [(i.generator, i.answer) for i in latex] == [(i.generator, i.answer) for i in plain]
    printed = [i for i in latex if i.params.get("render") == "latex"]
    assert len(printed) >= 10 and all("\\(" in i.question for i in printed)
    assert all(i.question == p.question for i, p in zip(latex, plain) if i not in printed)


def test_biology_set_is_offline_deterministic_and_records_provenance(tmp_path):
    spec = SetSpec(domain="biology", count=500, seed=5, shard_size=200)
    a, b = run_local(spec, tmp_path / "a"), run_local(spec, tmp_path / "b")
    assert _without_created_at(a / "items.parquet").equals(_without_created_at(b / "items.parquet"))
    items, manifest = load_set(a)
    assert len(items) == 500 and manifest["counts"]["by_domain"] == {"biology": 500}
    assert {i.source.name for i in items} == {"synthetic_sequences", "biopython_data"}
    assert all(i.source.version for i in items)
    from_data = [i for i in items if i.source.name == "biopython_data"]
    assert from_data and all(i.source.record_id and i.source.version.startswith("biopython-") for i in from_data)
    assert set(manifest["sources"]) == {"synthetic_sequences", "biopython_data"}


def test_chemistry_set_is_offline_deterministic_with_snapshot_provenance(tmp_path):
    spec = SetSpec(domain="chemistry", count=500, seed=3, shard_size=250)
    a, b = run_local(spec, tmp_path / "a"), run_local(spec, tmp_path / "b")
    assert _without_created_at(a / "items.parquet").equals(_without_created_at(b / "items.parquet"))
    items, manifest = load_set(a)
    assert len(items) == 500
    from_snapshot = [i for i in items if i.source.name == "pubchem_snapshot"]
    assert len(from_snapshot) > 400
    assert all(i.source.record_id.startswith("CID") and i.source.version.startswith("chemicals-") for i in from_snapshot)
    stats = manifest["source_records"]["pubchem_snapshot"]
    assert stats["read"] > 70_000 and stats["skipped"]["rdkit_unparseable"] > 0  # bad records skipped and counted
