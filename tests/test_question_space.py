"""Question spaces (issue #26): an examiner's 300 public draws reproduced 35 of 299 released
questions verbatim, and freshness checks only the store's history. Every generator version is
measured (bench/question_space.py --write), and a release says which of its items are recall."""

from __future__ import annotations

import json

import pytest

from mintbench.items.registry import DIFFICULTIES, all_generators
from mintbench.items.space import THRESHOLD, load_table, recall_generators


def test_every_generator_version_has_its_measured_chance():
    table = load_table()
    missing = [f"{g.id}@{g.version}" for g in all_generators() if f"{g.id}@{g.version}" not in table]
    assert not missing, f"run `.venv/bin/python bench/question_space.py --write` for {missing[:5]}"
    assert all(set(row) == set(DIFFICULTIES) and all(0 <= p <= 1 for p in row.values()) for row in table.values())


def test_small_tables_are_recall_and_large_spaces_are_not():
    versions = {g.id: g.version for g in all_generators()}
    recall = recall_generators(versions)
    # A table of 20 amino acids, of 64 codons, of 16 trig values: reproduced by anyone's draws.
    assert {"biology.amino_acid_codes", "biology.codon_to_amino", "math.trig_values"} <= set(recall)
    # Random sequences: no repeat in 1,000 public draws at any difficulty (an operation defined in
    # the prompt repeats about once in 1,000 easy draws, at the threshold itself).
    assert not {"biology.reverse_complement", "biology.longest_orf", "biology.translate"} & set(recall)
    assert all(p > THRESHOLD for p in recall.values())


def test_a_release_card_marks_its_recall_items(tmp_path, monkeypatch):
    from mintbench.create.build import SetSpec, run_local
    from mintbench.releases.keys import init_keys, load_keys
    from mintbench.releases.release import publish
    from streams import secret

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    init_keys()
    sets = [run_local(SetSpec(domain="biology", count=6, secret=secret(9), generators=("biology.amino_acid_codes", "biology.reverse_complement")), tmp_path / "set")]
    publish(sets, "2026.12", tmp_path / "store", load_keys())
    manifest = json.loads((tmp_path / "store" / "2026.12" / "manifest.json").read_text())
    assert set(manifest["recall"]) == {"biology.amino_acid_codes"}
    card = (tmp_path / "store" / "2026.12" / "CARD.md").read_text()
    assert "knowledge recall, not fresh by construction" in card and "biology.amino_acid_codes" in card
    assert "biology.reverse_complement" not in card


def test_a_release_can_leave_recall_out_and_says_so(tmp_path, monkeypatch):
    """The examiner's choice (issue #26, item 7): `--recall exclude` publishes only generators
    whose questions public draws do not reproduce, and the card counts what it left out; a
    release made of recall alone is refused by name, and an unknown choice names the allowed."""
    from mintbench.create.build import SetSpec, run_local
    from mintbench.errors import MintbenchError
    from mintbench.releases.keys import init_keys, load_keys
    from mintbench.releases.release import publish
    from streams import secret

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    init_keys()
    sets = [run_local(SetSpec(domain="biology", count=6, secret=secret(9), generators=("biology.amino_acid_codes", "biology.reverse_complement")), tmp_path / "set")]
    publish(sets, "2026.12", tmp_path / "store", load_keys(), recall="exclude")
    release = tmp_path / "store" / "2026.12"
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["recall"] == {} and manifest["recall_excluded"] == {"biology.amino_acid_codes": 3}
    assert set(manifest["generator_versions"]) == {"biology.reverse_complement"} and manifest["counts"]["total"] == 3
    assert "3 candidate items from knowledge-recall generators" in (release / "CARD.md").read_text()
    only_recall = [run_local(SetSpec(domain="biology", count=3, secret=secret(10), generators=("biology.amino_acid_codes",)), tmp_path / "recall")]
    with pytest.raises(MintbenchError, match="knowledge-recall generator .*biology.amino_acid_codes"):
        publish(only_recall, "2027.01", tmp_path / "store", load_keys(), recall="exclude")
    with pytest.raises(MintbenchError, match="bad recall 'drop'; allowed: mark, exclude"):
        publish(sets, "2027.02", tmp_path / "store", load_keys(), recall="drop")
