"""Sealed, signed releases: publish, verify, tamper, freshness, reveal and reproduce."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import leaked
from streams import secret
from mintbench.create.build import SetSpec, run_local
from mintbench.errors import MintbenchError
from mintbench.releases.keys import config_dir, init_keys, load_keys
from mintbench.releases.release import publish, reproduce, reveal, verify
from mintbench.items.setdir import load_set

CLI = [sys.executable, "-m", "mintbench.cli"]


def _set(tmp_path, seed, name):
    return run_local(SetSpec(domain="math", count=40, secret=secret(seed)), tmp_path / name)


def test_keys_are_private_and_outside_the_store(keys, tmp_path):
    for name in ("age.key", "signing.key"):
        mode = stat.S_IMODE(os.stat(config_dir() / name).st_mode)
        assert mode == 0o600
    with pytest.raises(MintbenchError, match="already exist"):
        init_keys()


def test_published_release_verifies_and_leaks_no_answer(keys, tmp_path):
    store = tmp_path / "store"
    rel = Path(publish(_set(tmp_path, 1, "a"), "2026.11", store, keys))
    assert verify("2026.11", store) == []
    names = {p.name for p in rel.iterdir()}
    assert names == {"questions.parquet", "answers.sealed", "fingerprints.parquet", "manifest.json", "manifest.sig", "CARD.md", "NOTES.md"}
    items, _ = load_set(tmp_path / "a")
    manifest = json.loads((rel / "manifest.json").read_text())
    canary = manifest["canary"]
    public = {n: (rel / n).read_bytes() for n in names if n != "answers.sealed"}
    for name, data in public.items():
        if name != "manifest.sig":  # 64 raw signature bytes over the manifest, which carries it
            assert canary.encode() in data, f"{name} lacks the canary"
    columns = pq.read_table(rel / "questions.parquet").column_names
    assert "answer" not in columns and "params" not in columns and "seed" not in columns
    by_q = {r["question"]: r for r in pq.read_table(rel / "questions.parquet").to_pylist()}
    open_items = [i for i in items if i.format == "open" and len(i.answer) >= 4]
    assert open_items
    # An open item's answer is nowhere in its own public row, nor in the other public files.
    assert not [i.item_id for i in open_items if i.question in by_q and (i.answer in i.question or i.answer in by_q[i.question]["choices"])]
    # Public ids are keyed: the content hash of an item (which covers its answer) is not among them.
    assert not {i.item_id for i in items} & {r["item_id"] for r in by_q.values()}
    # The other public files, as the text they hold (a Parquet file read, not its compressed
    # bytes), matched by whole token: '7524' inside a file size of 17524 is no leak, and failed a
    # run by coincidence. manifest.sig is 64 signature bytes over the manifest, and holds no text.
    text = "\n".join(
        json.dumps(pq.read_table(rel / name).to_pylist(), default=str) if name.endswith(".parquet") else data.decode("utf-8")
        for name, data in public.items() if name not in ("questions.parquet", "manifest.sig")
    )
    assert not leaked([i.answer for i in open_items], text)
    assert not any(i.answer.encode() in (rel / "answers.sealed").read_bytes() for i in open_items)
    assert json.loads((store / "channels" / "monthly.json").read_text()) == {"latest": "2026.11"}


@pytest.mark.parametrize("name", ["questions.parquet", "answers.sealed", "fingerprints.parquet", "manifest.json", "CARD.md", "NOTES.md", "manifest.sig"])
def test_flipping_one_byte_fails_verify_naming_the_file(keys, tmp_path, name):
    store = tmp_path / "store"
    rel = Path(publish(_set(tmp_path, 1, "a"), "2026.11", store, keys))
    data = bytearray((rel / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (rel / name).write_bytes(bytes(data))
    problems = verify("2026.11", store)
    assert problems and any(name in p or (name == "manifest.sig" and "signature" in p) for p in problems)
    proc = subprocess.run([*CLI, "verify", "2026.11", "--store", str(store)], capture_output=True, text=True)
    assert proc.returncode == 1


def test_same_version_twice_is_refused_and_bad_versions_are_named(keys, tmp_path):
    store = tmp_path / "store"
    publish(_set(tmp_path, 1, "a"), "2026.11", store, keys)
    with pytest.raises(MintbenchError, match="immutable"):
        publish(_set(tmp_path, 2, "b"), "2026.11", store, keys)
    with pytest.raises(MintbenchError, match="bad version '2026.13'"):
        publish(_set(tmp_path, 2, "b"), "2026.13", store, keys)
    with pytest.raises(MintbenchError, match="bad version"):
        verify("../../etc", store)


def test_a_working_copy_in_the_store_never_verifies(keys, tmp_path):
    store = tmp_path / "store"
    rel = Path(publish(_set(tmp_path, 1, "a"), "2026.11", store, keys))
    (rel / "items.parquet").write_bytes((tmp_path / "a" / "items.parquet").read_bytes())
    assert any("items.parquet" in p for p in verify("2026.11", store))


def test_consecutive_releases_share_no_items(keys, tmp_path):
    store = tmp_path / "store"
    publish(_set(tmp_path, 1, "a"), "2026.10", store, keys)
    # The same seed again: every candidate repeats the first release and is dropped.
    with pytest.raises(MintbenchError, match="repeats an earlier release"):
        publish(_set(tmp_path, 1, "again"), "2026.11", store, keys)
    second = Path(publish(_set(tmp_path, 2, "b"), "2026.11", store, keys))
    first_q = set(pq.read_table(store / "2026.10" / "fingerprints.parquet").column("canonical").to_pylist())
    second_q = set(pq.read_table(second / "fingerprints.parquet").column("canonical").to_pylist())
    assert not first_q & second_q
    manifest = json.loads((second / "manifest.json").read_text())
    assert set(manifest["freshness"]) == {"exact_duplicates", "near_duplicates"}
    release_notes = (second / "NOTES.md").read_text()
    assert "Compared with 2026.10" in release_notes and "New generators" in release_notes


def test_quotas_select_stratified_and_seeded(keys, tmp_path):
    math = run_local(SetSpec(domain="math", count=60, secret=secret(7)), tmp_path / "m")
    bio = run_local(SetSpec(domain="biology", count=60, secret=secret(7)), tmp_path / "b")
    a = Path(publish([math, bio], "2026.10.01-mixed-abcdef1", tmp_path / "s1", keys, quotas={"math": 20, "biology": 15}, selection_seed=3))
    b = Path(publish([math, bio], "2026.10.01-mixed-abcdef1", tmp_path / "s2", keys, quotas={"math": 20, "biology": 15}, selection_seed=3))
    ids = lambda rel: pq.read_table(rel / "questions.parquet").column("question").to_pylist()  # noqa: E731
    assert ids(a) == ids(b)
    manifest = json.loads((a / "manifest.json").read_text())
    assert manifest["counts"]["by_domain"] == {"biology": 15, "math": 20}
    assert len(manifest["selection"]["math"]) >= 4  # spread over several levels
    with pytest.raises(MintbenchError, match=r"only \d+ eligible math candidates for a quota of 100"):
        publish([math], "2026.10.02-math-abcdef1", tmp_path / "s3", keys, quotas={"math": 100})
    reveal("2026.10.01-mixed-abcdef1", tmp_path / "s1", keys, force=True)
    assert reproduce("2026.10.01-mixed-abcdef1", tmp_path / "s1") == {"items": 35, "reproduced": 35, "problems": []}


def test_reveal_then_reproduce_regenerates_the_released_items(keys, tmp_path):
    store = tmp_path / "store"
    publish(_set(tmp_path, 5, "a"), "2026.11", store, keys)
    with pytest.raises(MintbenchError, match="not revealed"):
        reproduce("2026.11", store)
    with pytest.raises(MintbenchError, match="under embargo until"):
        reveal("2026.11", store, keys)
    reveal("2026.11", store, keys, force=True)
    report = reproduce("2026.11", store)
    total = json.loads((store / "2026.11" / "manifest.json").read_text())["counts"]["total"]
    assert report == {"items": total, "reproduced": total, "problems": []} and total >= 38
