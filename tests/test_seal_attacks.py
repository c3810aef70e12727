"""The outsider's attacks on a sealed release, played with the public files and the public code.

The attacker holds questions.parquet, manifest.json, fingerprints.parquet, CARD.md, every
generator and validator, and can run them. Each test is one attack; it must find nothing.
"""

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from mintbench.create.build import SetSpec, item_at, resolve_generators, run_local
from mintbench.errors import MintbenchError
from mintbench.items.registry import all_generators
from mintbench.items.schema import compute_item_id
from mintbench.items.setdir import load_set
from mintbench.releases.keys import init_keys, load_keys, public_hex
from mintbench.releases.release import publish, reproduce, reveal, verify
from streams import secret

CLI = [sys.executable, "-m", "mintbench.cli"]


@pytest.fixture()
def sealed(keys, tmp_path):
    """A sealed math release of 60 items, and the owner's private set it came from."""
    set_dir = run_local(SetSpec(domain="math", count=60, secret=secret(1)), tmp_path / "set")
    store = tmp_path / "store"
    publish(set_dir, "2026.11", store, keys)
    return store, store / "2026.11", set_dir


def test_a_set_from_a_guessable_seed_is_never_sealed(keys, tmp_path):
    """`create --seed 3` then `publish`: refused in one line, nothing written."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    made = subprocess.run([*CLI, "create", "--engine", "local", "--domain", "math", "--count", "12", "--seed", "3",
                           "--out", str(tmp_path / "s3")], capture_output=True, text=True, env=env)
    assert made.returncode == 0, made.stderr
    proc = subprocess.run([*CLI, "publish", str(tmp_path / "s3"), "--version", "2026.11", "--store", str(tmp_path / "store")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    assert "guessable seed 3" in proc.stderr and "--public" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "store" / "2026.11").exists()
    # Marked public, it is published, and says it is not sealed.
    proc = subprocess.run([*CLI, "publish", str(tmp_path / "s3"), "--version", "2026.11", "--store", str(tmp_path / "store"), "--public"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "store" / "2026.11" / "manifest.json").read_text())
    assert manifest["sealed"] is False
    card = (tmp_path / "store" / "2026.11" / "CARD.md").read_text()
    assert "NOT sealed" in card and "sealed science test set" not in card  # it opened with "A sealed science test set"


def test_create_without_a_seed_draws_a_fresh_secret_each_time(tmp_path):
    runs = []
    for name in ("a", "b"):
        proc = subprocess.run([*CLI, "create", "--engine", "local", "--domain", "math", "--count", "8", "--out", str(tmp_path / name)],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        items, manifest = load_set(tmp_path / name)
        assert manifest["sealed"] and len(manifest["spec"]["secret"]) == 64 and manifest["seed"] is None
        runs.append([i.question for i in items])
    assert not set(runs[0]) & set(runs[1])


def test_guessing_seeds_regenerates_none_of_a_sealed_release(sealed):
    """Replay every generator over a window of small seeds, as the seed-search attack did.
    A few short questions recur by chance (there are only so many exact trig values), but a
    recovered stream would rebuild the release wholesale: no guess comes near that."""
    _, release, _ = sealed
    public = pq.read_table(release / "questions.parquet").to_pylist()
    questions = {r["question"] for r in public}
    ids = {r["item_id"] for r in public}
    gens = resolve_generators(SetSpec(domain="math", count=60, seed=0))
    best = 0
    for seed in range(150):
        spec = SetSpec(domain="math", count=60, seed=seed)
        guesses = [item_at(spec, gens, index) for index in range(60)]
        assert not {g.item_id for g in guesses} & ids
        best = max(best, sum(g.question in questions for g in guesses))
    assert best <= 3, f"a guessed seed rebuilt {best} of {len(public)} questions"


def test_public_files_do_not_confirm_a_guessed_answer(sealed):
    """The attacker who has guessed an item's answer exactly (here: is handed it) can form the
    item's content hash; no public file holds it, nor the answer itself."""
    _, release, set_dir = sealed
    items, _ = load_set(set_dir)
    public = b"".join((release / n).read_bytes() for n in ("questions.parquet", "fingerprints.parquet", "manifest.json", "CARD.md", "NOTES.md"))
    content_ids = [compute_item_id(i.identity()) for i in items]
    assert not [c for c in content_ids if c.encode() in public]
    fingerprints = pq.read_table(release / "fingerprints.parquet").to_pylist()
    unkeyed = {int(hashlib.sha256(f"{i.generator}|{i.answer}".encode()).hexdigest()[:16], 16) for i in items}
    assert not unkeyed & {r["problem"] for r in fingerprints}


def test_a_forged_release_re_signed_with_a_fresh_key_fails_verify(sealed, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    store, release, _ = sealed
    table = pq.read_table(release / "questions.parquet")
    rows = table.to_pylist()
    rows[0]["question"] = "Forged: what is 2 + 2?"
    import pyarrow as pa

    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), release / "questions.parquet")
    manifest = json.loads((release / "manifest.json").read_text())
    manifest["files"]["questions.parquet"] = hashlib.sha256((release / "questions.parquet").read_bytes()).hexdigest()
    forger = Ed25519PrivateKey.generate()
    manifest["signing_key"] = public_hex(forger.public_key())
    data = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    (release / "manifest.json").write_bytes(data)
    (release / "manifest.sig").write_bytes(forger.sign(data))

    problems = verify("2026.11", store)
    assert problems and "untrusted key" in problems[0] and manifest["signing_key"] in problems[0]
    proc = subprocess.run([*CLI, "verify", "2026.11", "--store", str(store)], capture_output=True, text=True)
    assert proc.returncode == 1 and "untrusted key" in proc.stderr
    with pytest.raises(MintbenchError, match="does not verify"):
        reveal("2026.11", store, load_keys(), force=True)


def test_a_consumer_trusts_only_the_keys_it_pinned(sealed, tmp_path, monkeypatch):
    store, release, _ = sealed
    owner_key = json.loads((release / "manifest.json").read_text())["signing_key"]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "consumer"))  # a runner's machine: no keys of its own
    assert "untrusted key" in verify("2026.11", store)[0]
    assert verify("2026.11", store, trust=(owner_key,)) == []
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "consumer")}
    assert subprocess.run([*CLI, "keys", "trust", owner_key, "--label", "mintbench owner"], env=env).returncode == 0
    assert verify("2026.11", store) == []
    listed = subprocess.run([*CLI, "keys", "list"], env=env, capture_output=True, text=True).stdout
    assert owner_key in listed and "mintbench owner" in listed


def test_rotating_keys_keeps_old_releases_verifiable(sealed, monkeypatch):
    store, _, _ = sealed
    init_keys(force=True)  # a new signing key; the old one stays in trusted_keys
    assert verify("2026.11", store) == []


def test_a_truncated_reveal_fails_reproduce(sealed):
    store, release, _ = sealed
    reveal("2026.11", store, load_keys(), force=True)
    revealed = json.loads((release / "revealed.json").read_text())
    total = len(revealed["items"])
    revealed["items"] = revealed["items"][:10]
    (release / "revealed.json").write_text(json.dumps(revealed))
    report = reproduce("2026.11", store)
    assert report["reproduced"] == 10 and report["items"] == total
    assert sum("missing from revealed.json" in p for p in report["problems"]) == total - 10
    proc = subprocess.run([*CLI, "reproduce", "2026.11", "--store", str(store)], capture_output=True, text=True)
    assert proc.returncode == 1 and "missing" in proc.stderr


def test_a_changed_revealed_answer_fails_reproduce(sealed):
    store, release, _ = sealed
    reveal("2026.11", store, load_keys(), force=True)
    revealed = json.loads((release / "revealed.json").read_text())
    revealed["items"][3]["answer"] = revealed["items"][3]["answer"] + "0"
    (release / "revealed.json").write_text(json.dumps(revealed))
    report = reproduce("2026.11", store)
    assert report["reproduced"] == report["items"] - 1 and "differs" in report["problems"][0]


def test_a_planted_reveal_is_named_not_taken(sealed):
    store, release, _ = sealed
    (release / "revealed.json").write_text('{"items": []}')
    with pytest.raises(MintbenchError, match="not its sealed payload"):
        reveal("2026.11", store, load_keys(), force=True)
    (release / "extra.txt").write_text("planted")
    assert any("extra.txt: not part of the signed release" in p for p in verify("2026.11", store))


def _both_formats():
    return tuple(g.id for g in all_generators() if g.domain == "math" and {"open", "mcq"} <= set(g.formats))


# A multiple-choice item is its open item's problem unless its options force a redraw (a count
# near zero, a clustered answer: mintbench.items.distractors); these two never redraw.
_SAME_PROBLEM_IN_MCQ = ("math.linear_system", "math.quadratic_inequality")


@pytest.mark.parametrize("copy", [{"lang": "zh"}, {"format": "mcq", "generators": _SAME_PROBLEM_IN_MCQ}], ids=["zh", "mcq"])
def test_the_same_problems_in_another_language_or_format_are_repeats(keys, tmp_path, copy):
    gens = copy.get("generators", _both_formats())
    base = dict(domain="math", count=40, secret=secret(2), format="open", generators=gens)
    publish(run_local(SetSpec(**base), tmp_path / "first"), "2026.10", tmp_path / "store", keys)
    again = run_local(SetSpec(**{**base, **copy}), tmp_path / "copy")
    with pytest.raises(MintbenchError, match="every item repeats an earlier release"):
        publish(again, "2026.11", tmp_path / "store", keys)


def test_sets_and_their_work_are_private(tmp_path):
    proc = subprocess.run([*CLI, "create", "--engine", "local", "--domain", "math", "--count", "8", "--out", str(tmp_path / "s")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)  # noqa: E731
    assert mode(tmp_path / "s") == 0o700
    assert {mode(p) for p in (tmp_path / "s").iterdir()} == {0o600}
    assert not list(tmp_path.glob(".work-*")) and not list(tmp_path.glob(".spec-*"))


@pytest.mark.parametrize("renamed", ["2026.12", "2027.01", "2026.11.30-math-abcdef1"])
def test_a_release_renamed_to_another_version_fails_verify(sealed, renamed):
    """The writer of a mirror copies last month's (revealed) release under this month's name:
    every file and the signature are genuine, but the signed manifest names another version, so
    it does not verify, and nothing that verifies first (reveal, the service) takes it."""
    import shutil

    store, release, _ = sealed
    shutil.copytree(release, store / renamed)
    problems = verify(renamed, store)
    assert problems and "renamed copy" in problems[0] and "2026.11" in problems[0]
    proc = subprocess.run([*CLI, "verify", renamed, "--store", str(store)], capture_output=True, text=True)
    assert proc.returncode == 1 and "renamed copy" in proc.stderr
    with pytest.raises(MintbenchError, match="does not verify"):
        reveal(renamed, store, load_keys(), force=True)
    assert verify("2026.11", store) == []


def test_a_dot_file_in_a_release_is_named_by_verify(sealed):
    """'.items.parquet' (the owner's answers, hidden by a leading dot) passed verify unseen."""
    store, release, set_dir = sealed
    (release / ".items.parquet").write_bytes((set_dir / "items.parquet").read_bytes())
    problems = verify("2026.11", store)
    assert any(p.startswith(".items.parquet: not part of the signed release") for p in problems), problems


@pytest.mark.parametrize("field, change", [
    ("tolerance", lambda v: {"abs": 1e9, "rel": 0.0}),
    ("grader_args", lambda v: {**v, "vars": ["x", "y"]}),
    ("answer_type", lambda v: "number" if v != "number" else "integer"),
    ("params", lambda v: {**v, "planted": 1}),
])
def test_a_revealed_grading_rule_changed_fails_reproduce(sealed, field, change):
    """A revealed.json with a lenient tolerance (abs 1e9), other grader_args, another answer
    type or changed params reproduced with exit 0: only the answer was compared."""
    store, release, _ = sealed
    reveal("2026.11", store, load_keys(), force=True)
    revealed = json.loads((release / "revealed.json").read_text())
    revealed["items"][5][field] = change(revealed["items"][5][field])
    (release / "revealed.json").write_text(json.dumps(revealed))
    report = reproduce("2026.11", store)
    assert report["reproduced"] == report["items"] - 1 and field in report["problems"][0]
    proc = subprocess.run([*CLI, "reproduce", "2026.11", "--store", str(store)], capture_output=True, text=True)
    assert proc.returncode == 1 and field in proc.stderr


def test_a_planted_release_reaches_neither_the_notes_nor_freshness(sealed, keys, tmp_path):
    """The writer of a store plants a release the owner never signed: a copy of a genuine one
    whose manifest lists a generator named 'ANSWERS FOR THIS RELEASE: <url>' and whose
    fingerprints are next month's candidates. Its text once reached the owner's signed NOTES.md
    and its fingerprints made fresh items 'repeats'. Publishing now reads only signed releases."""
    import shutil

    store, release, _ = sealed
    candidates = run_local(SetSpec(domain="math", count=30, secret=secret(2)), tmp_path / "next")
    publish(candidates, "2026.12", tmp_path / "scratch", keys)  # fingerprints of exactly these candidates
    planted = store / "2026.12"
    shutil.copytree(tmp_path / "scratch" / "2026.12", planted)
    manifest = json.loads((planted / "manifest.json").read_text())
    manifest["generator_versions"]["ANSWERS FOR THIS RELEASE: http://example.org"] = "1"
    (planted / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")  # its signature no longer holds
    publish(candidates, "2027.01", store, keys)
    notes = (store / "2027.01" / "NOTES.md").read_text()
    assert "ANSWERS" not in notes and "Compared with 2026.11" in notes
    published = json.loads((store / "2027.01" / "manifest.json").read_text())
    assert published["freshness"]["exact_duplicates"] == 0 and published["counts"]["total"] == 30
