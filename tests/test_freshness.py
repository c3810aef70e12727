"""Freshness: exact repeats by canonical key, near repeats (reworded) by MinHash across templates."""

import numpy as np
import pyarrow.parquet as pq

from mintbench.create.build import SetSpec, item_at, resolve_generators
from mintbench.releases.freshness import FINGERPRINTS, canonical_ints, fingerprint_table, fresh_mask, signatures, template_ints


def _items(gid, n, seed=5):
    spec = SetSpec(domain=gid.split(".")[0], generators=[gid], count=n, seed=seed)
    gens = resolve_generators(spec)
    return [item_at(spec, gens, i) for i in range(n)]


def _mask(items, store):
    return fresh_mask(canonical_ints(items), template_ints(items), signatures(items), store)


def _release(store, name, items):
    (store / name).mkdir(parents=True)
    table = fingerprint_table([i.item_id for i in items], canonical_ints(items), template_ints(items), signatures(items))
    pq.write_table(table, store / name / FINGERPRINTS)
    (store / name / "manifest.sig").write_bytes(b"")  # published: only published releases count


def test_one_long_template_around_different_molecules_is_not_a_near_repeat(tmp_path):
    # functional_groups: a fixed SMARTS table around one SMILES; text similarity is ~0.9.
    items = _items("chemistry.functional_groups", 300)
    keep, counts = _mask(items, tmp_path)
    assert counts["near_duplicates"] == 0
    assert keep.sum() == 300 - counts["exact_duplicates"]


def test_a_reworded_repeat_from_a_new_generator_version_is_caught(tmp_path):
    old = _items("chemistry.functional_groups", 50)
    _release(tmp_path, "2026.10", old)
    # Version 2 of the generator asks the same questions with one stop dropped.
    reworded = [i.model_copy(update={"generator_version": "99", "question": i.question.replace("answer none.", "answer none")}) for i in old]
    keep, counts = _mask(reworded, tmp_path)
    assert counts["exact_duplicates"] == 0  # the skeleton changed, so the canonical key did
    assert counts["near_duplicates"] == 50 and not keep.any()


def test_exact_repeats_within_and_across_releases(tmp_path):
    items = _items("math.derivative", 40)
    _release(tmp_path, "2026.10", items[:20])
    keep, counts = _mask(items + items[20:25], tmp_path)
    assert counts == {"exact_duplicates": 25, "near_duplicates": 0}
    assert np.flatnonzero(keep).tolist() == list(range(20, 40))


def test_history_without_template_column_compares_with_everything(tmp_path):
    old = _items("math.derivative", 10)
    (tmp_path / "2025.01").mkdir()
    table = fingerprint_table([i.item_id for i in old], canonical_ints(old), template_ints(old), signatures(old))
    pq.write_table(table.drop(["template"]), tmp_path / "2025.01" / FINGERPRINTS)
    (tmp_path / "2025.01" / "manifest.sig").write_bytes(b"")
    reworded = [i.model_copy(update={"question": i.question.replace("Differentiate", "differentiate")}) for i in old]
    keep, counts = _mask(reworded, tmp_path)
    assert counts["near_duplicates"] + counts["exact_duplicates"] == 10
