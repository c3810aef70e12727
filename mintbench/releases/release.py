"""Versioned, sealed, signed releases in a release store (default `outputs/releases`).

A release directory holds only public files plus the sealed answers:
  questions.parquet   what a runner needs to ask (no answers, params or seeds)
  answers.sealed      age-encrypted JSON: answers, params, proofs' inputs, difficulty data, specs
                      (with their secrets) and the nonce
  fingerprints.parquet  canonical-key hashes, keyed problem hashes and MinHash signatures (freshness)
  manifest.json       counts, versions, knowledge window, file hashes, canary, secret commitment
  manifest.sig        Ed25519 signature of manifest.json
  CARD.md             dataset card
Published releases are immutable: a version is written once, into a temporary directory renamed
into place, so a half-written release is never visible.

What the public files say about an item never lets anyone test a guessed answer: questions are
drawn from keyed streams (a secret of 256 bits, not a small seed), public item ids are keyed
by the release's nonce, and problem hashes by the owner's freshness key.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import tempfile
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pyrage

from mintbench.errors import MintbenchError
from mintbench.faults import checkpoint
from mintbench.releases.freshness import (
    FINGERPRINTS,
    NUM_PERM,
    canonical_ints,
    fingerprint_table,
    fresh_mask,
    problem_ints,
    signatures,
    template_ints,
)
from mintbench.items.rng import keyed_digest
from mintbench.releases.keys import Keys, pin_channel, trusted_keys
from mintbench.releases.signed import MANIFEST, SIGNATURE, channel_of, manifest_problems, signed_releases
from mintbench.items.schema import SCHEMA_VERSION, Item, canonical_json
from mintbench.items.space import ATTEMPTS, THRESHOLD, recall_generators
from mintbench.releases.selection import Candidate, candidate, select
from mintbench.items.setdir import iter_set_items, read_manifest, sha256_file, write_json
from mintbench.releases.store import Store, as_store

QUESTIONS, SEALED, CARD, NOTES = "questions.parquet", "answers.sealed", "CARD.md", "NOTES.md"
REVEALED = "revealed.json"
VERSION_RE = re.compile(r"^(\d{4}\.(0[1-9]|1[0-2]))$|^(\d{4}\.\d{2}\.\d{2}-(math|chemistry|biology|mixed)-[0-9a-f]{7,12})$")


def check_version(version: str) -> str:
    if not VERSION_RE.match(version or ""):
        raise MintbenchError(f"bad version {version!r}; monthly releases are YYYY.MM, on-demand sets YYYY.MM.DD-<domain>-<short hash>")
    return version


# -- publishing -------------------------------------------------------------------------------
QUESTIONS_SCHEMA = pa.schema([
    ("item_id", pa.string()), ("domain", pa.string()), ("level", pa.string()), ("format", pa.string()),
    ("lang", pa.string()), ("question", pa.string()), ("choices", pa.list_(pa.string())), ("difficulty_label", pa.string()),
])


def public_id(nonce: str, item_id: str) -> str:
    """An item's id in public files: keyed by the release's secret nonce, because the internal
    id hashes the item's content, answer included, and would confirm a guessed answer."""
    return keyed_digest(nonce, "public item id", item_id).hex()[:24]


def questions_batch(items: list[Item], nonce: str) -> pa.RecordBatch:
    rows = [{name: getattr(i, name) for name in QUESTIONS_SCHEMA.names} | {"item_id": public_id(nonce, i.item_id)} for i in items]
    return pa.RecordBatch.from_pylist(rows, schema=QUESTIONS_SCHEMA)


class SealedWriter:
    """Streams the sealed payload (answers, params, difficulty data, specs and seeds) item by
    item to a private temporary file outside the store, then encrypts it file to file with age:
    no copy of the whole payload, plain or encrypted, sits in memory."""

    def __init__(self, specs: dict[str, dict], nonce: str):
        self.nonce = nonce
        self.plain = tempfile.TemporaryFile()
        self.plain.write(f'{{"nonce":{json.dumps(nonce)},"specs":{canonical_json(specs)},"items":['.encode())
        self.count = 0

    def add(self, item: Item, spec_digest: str) -> None:
        row = {**item.model_dump(mode="json", exclude={"question", "choices"}), "spec_digest": spec_digest,
               "item_id": public_id(self.nonce, item.item_id), "source_item_id": item.item_id}
        self.plain.write((b"," if self.count else b"") + canonical_json(row).encode())
        self.count += 1

    def seal(self, path: Path, recipient) -> None:
        self.plain.write(b"]}")
        self.plain.seek(0)
        with open(path, "wb") as out:
            pyrage.encrypt_io(self.plain, out, [recipient])
        self.plain.close()


def commitment(specs: dict[str, dict], nonce: str) -> str:
    """Commits to every spec used (one per candidate set, secret included) without revealing any."""
    return hashlib.sha256(f"{canonical_json(dict(sorted(specs.items())))}:{nonce}".encode()).hexdigest()


def previous_release(store: Store, channel: str, before: str, trusted: dict[str, str]) -> dict | None:
    """The latest earlier release of the channel that a trusted key signed (NOTES.md compares
    with it: a planted one's text once reached the owner's signed notes)."""
    manifests = [m for v, m in signed_releases(store, trusted) if m["channel"] == channel and v < before]
    return max(manifests, key=lambda m: m["version"]) if manifests else None


def notes(version: str, manifest: dict, previous: dict | None, canary: str) -> str:
    """Release notes: counts, new and retired generators, and the difficulty shift."""
    lines = [f"# Release notes {version}", ""]
    if previous is None:
        lines += ["First release in this channel.", ""]
    else:
        pv = previous["version"]
        gens, old = set(manifest["generator_versions"]), set(previous["generator_versions"])
        lines += [f"Compared with {pv}:", "", "| | " + pv + " | " + version + " |", "| --- | --- | --- |"]
        for key in ("by_domain", "by_level", "by_label"):
            for name in sorted(set(manifest["counts"][key]) | set(previous["counts"][key])):
                lines.append(f"| {key[3:]} {name} | {previous['counts'][key].get(name, 0)} | {manifest['counts'][key].get(name, 0)} |")
        lines += ["", f"New generators: {', '.join(sorted(gens - old)) or 'none'}", f"Retired generators: {', '.join(sorted(old - gens)) or 'none'}"]
        changed = sorted(g for g in gens & old if manifest["generator_versions"][g] != previous["generator_versions"][g])
        lines += [f"Changed generator versions: {', '.join(changed) or 'none'}", ""]
    lines += [*live_lines(manifest), ""] if manifest.get("live") else []
    f = manifest["freshness"]
    lines += [f"Freshness: {f['exact_duplicates']} exact and {f['near_duplicates']} near repeats of earlier releases dropped.", "", f"Canary GUID: {canary}", ""]
    return "\n".join(lines)


LIVE_SOURCE_NAME = {"pubchem": "pubchem_live", "ncbi": "ncbi_live"}


def live_section(chosen: list[Candidate], sources: dict[str, dict]) -> dict:
    """Per live source: its status, the window asked, the API, and the earliest and latest record
    dates actually used; per domain and generator, how many items cite a live record."""
    out: dict = {"sources": {}, "items": {}, "share": {}}
    for name, summary in sorted(sources.items()):
        used = sorted(c.record_date for c in chosen if c.source == LIVE_SOURCE_NAME[name] and c.record_date)
        out["sources"][name] = {
            "status": summary["status"], "reason": summary.get("reason"), "api": summary.get("api"),
            "window": summary["window"], "records_fetched": summary.get("records", 0), "skipped": summary.get("skipped", {}),
            "records_used": [used[0], used[-1]] if used else None, "items": len(used),
        }
    for domain in sorted({c.domain for c in chosen}):
        live_items = [c for c in chosen if c.domain == domain and c.record_date]
        if live_items:
            out["items"][domain] = dict(sorted(Counter(c.generator for c in live_items).items()))
        out["share"][domain] = round(len(live_items) / sum(c.domain == domain for c in chosen), 4)
    return out


def live_lines(manifest: dict) -> list[str]:
    """'live: pubchem ok, 12 items, records 2026-10-02..2026-10-29' per source: never silent."""
    lines = []
    for name, s in manifest.get("live", {}).get("sources", {}).items():
        used = f", records dated {s['records_used'][0]}..{s['records_used'][1]}" if s["records_used"] else ""
        why = f" ({s['reason']})" if s["status"] != "ok" and s.get("reason") else ""
        fallback = "; the embedded snapshots stood in" if s["status"] != "ok" else ""
        lines.append(f"live: {name} {s['status']}{why}, {s['items']} items{used} (window {s['window'][0]}..{s['window'][1]}){fallback}")
    return lines


def live_sentence(manifest: dict) -> str:
    live = manifest.get("live")
    if live is None:
        return "- knowledge: embedded snapshots only (no live sources configured)\n"
    n = sum(sum(g.values()) for g in live["items"].values())
    domains = [d for d in ("chemistry", "biology") if d in manifest["counts"]["by_domain"]]
    total = sum(manifest["counts"]["by_domain"][d] for d in domains)
    windows = sorted({tuple(s["window"]) for s in live["sources"].values()})
    window = ", ".join(f"{a} to {b}" for a, b in windows) or "none"
    return f"- knowledge: {n} of {total} {' and '.join(domains)} items ({100 * n / max(1, total):.0f} %) ask about records first published in {window}\n"


RECALL_CHOICES = ("mark", "exclude")


def recall_section(chosen: list) -> dict[str, dict]:
    """The release's generators whose questions public draws reproduce above the threshold
    (mintbench.items.space): their items are knowledge recall, not fresh by construction."""
    versions = {c.generator: c.generator_version for c in chosen}
    items = Counter(c.generator for c in chosen)
    return {g: {"items": items[g], "reproduce_chance": p} for g, p in recall_generators(versions).items()}


def recall_sentence(manifest: dict) -> str:
    recall = manifest.get("recall") or {}
    excluded = manifest.get("recall_excluded") or {}
    if excluded:
        shown = ", ".join(f"{g} ({n})" for g, n in excluded.items())
        return (f"- fresh by construction: {sum(excluded.values())} candidate items from knowledge-recall generators (questions "
                f"{ATTEMPTS} public draws reproduce with a chance above {THRESHOLD:g}) were left out: {shown}\n")
    if not recall:
        return ""
    n = sum(r["items"] for r in recall.values())
    shown = ", ".join(f"{g} ({r['items']}, {r['reproduce_chance']:.2g})" for g, r in recall.items())
    return (f"- knowledge recall, not fresh by construction: {n} of {manifest['counts']['total']} items come from generators whose "
            f"questions {ATTEMPTS} public draws reproduce with a chance above {THRESHOLD:g} (items, chance): {shown}\n")


def card(version: str, manifest: dict, canary: str) -> str:
    c = manifest["counts"]
    sealed = (
        "- answers: sealed in `answers.sealed` (age); graded by mintbench's graders, never shipped in the clear"
        if manifest.get("sealed", True) else
        "- answers: NOT sealed. A public practice set: its seeds are public, so anyone can rebuild its answers"
    )
    kind = "A sealed science test set" if manifest.get("sealed", True) else "A public practice set (answers not sealed)"
    return f"""# mintbench {version}

{kind} minted by mintbench: fresh questions whose gold answers were proven by code,
with difficulty measured on reference models where available.

- items: {c['total']} ({', '.join(f'{k} {v}' for k, v in c['by_domain'].items())})
- levels: {', '.join(f'{k} {v}' for k, v in c['by_level'].items())} (SciKnowEval: L1 recall ... L5 design)
{sealed}
- licence: questions CC-BY-4.0; knowledge sources keep their own terms (see manifest `sources`)
- verify: `mintbench verify {version}` checks every file hash and the Ed25519 signature
{live_sentence(manifest)}{recall_sentence(manifest)}
Do not train on this data. Canary GUID: {canary}
"""


@dataclass
class Pool:
    """The candidate sets, scanned once into compact columns; items are re-read to write."""

    sets: list[tuple[Path, str]] = field(default_factory=list)  # (set dir, spec digest), in pool order
    specs: dict[str, dict] = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    canonical: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    templates: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    sigs: np.ndarray = field(default_factory=lambda: np.zeros((0, NUM_PERM), np.uint32))
    problems: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    unproven: int = 0


def check_sealable(set_dir, manifest: dict, public: bool) -> None:
    """A set drawn from a small public seed can be rebuilt by anyone holding the code: sealing
    it would promise a secrecy it does not have."""
    if public or manifest["spec"].get("secret"):
        return
    raise MintbenchError(
        f"set {str(set_dir)!r} was made from the guessable seed {manifest['spec'].get('seed')}: anyone with the code "
        "can rebuild its answers; create it without --seed (a secret stream) to seal it, or publish with --public "
        "as an open practice set"
    )


def scan(set_dirs: list, fresh_key: str, public: bool = False) -> Pool:
    """Prove and fingerprint every candidate, batch by batch, keeping only compact columns."""
    from validators.proofs import prove_item

    pool, canon, templates, sigs, problems = Pool(), [], [], [], []
    for set_dir in set_dirs:
        manifest = read_manifest(set_dir)
        check_sealable(set_dir, manifest, public)
        pool.sets.append((Path(set_dir), manifest["spec_digest"]))
        pool.specs[manifest["spec_digest"]] = manifest["spec"]
        pool.sources.update(manifest.get("sources", {}))
        pool.created.append(manifest.get("created_at") or "")
        for batch in iter_set_items(set_dir):
            pool.unproven += sum(prove_item(i) is not None for i in batch)
            canon.append(canonical_ints(batch))
            templates.append(template_ints(batch))
            sigs.append(signatures(batch))
            problems.append(problem_ints(batch, fresh_key))
            base = len(pool.candidates)
            pool.candidates += [candidate(base + k, item) for k, item in enumerate(batch)]
    if pool.candidates:
        pool.canonical, pool.templates, pool.sigs = np.concatenate(canon), np.concatenate(templates), np.concatenate(sigs)
        pool.problems = np.concatenate(problems)
    return pool


def write_items_files(stage: Path, pool: Pool, chosen: np.ndarray, canary: str, nonce: str, recipient) -> None:
    """Second pass over the sets: the chosen items' questions (Parquet, written batch by batch),
    their sealed answers, and their fingerprints."""
    meta = {b"mintbench.canary": canary.encode()}
    sealed = SealedWriter(pool.specs, nonce)
    with pq.ParquetWriter(stage / QUESTIONS, QUESTIONS_SCHEMA.with_metadata(meta), compression="zstd") as writer:
        pos = 0
        for set_dir, digest in pool.sets:
            for batch in iter_set_items(set_dir):
                kept = []
                for item in batch:
                    if item.item_id != pool.candidates[pos].item_id:
                        raise MintbenchError(f"set {str(set_dir)!r} changed while it was being published")
                    if chosen[pos]:
                        kept.append(item)
                    pos += 1
                if kept:
                    writer.write_batch(questions_batch(kept, nonce))
                    for item in kept:
                        sealed.add(item, digest)
    sealed.seal(stage / SEALED, recipient)
    rows = np.flatnonzero(chosen)
    ids = [public_id(nonce, pool.candidates[k].item_id) for k in rows]
    fp = fingerprint_table(ids, pool.canonical[rows], pool.templates[rows], pool.sigs[rows], pool.problems[rows])
    pq.write_table(fp.replace_schema_metadata(meta), stage / FINGERPRINTS)


def counts(chosen: list[Candidate]) -> dict:
    return {
        "total": len(chosen),
        "by_domain": dict(sorted(Counter(c.domain for c in chosen).items())),
        "by_level": dict(sorted(Counter(c.level for c in chosen).items())),
        "by_format": dict(sorted(Counter(c.format for c in chosen).items())),
        "by_label": dict(sorted(Counter(c.label for c in chosen).items())),
    }


def publish(
    set_dirs: str | Path | list, version: str, store: str | Path | Store, keys: Keys,
    quotas: dict[str, int] | None = None, selection_seed: int = 0, embargo_days: int = 30,
    nonce: str | None = None, canary: str | None = None, public: bool = False,
    live_quotas: dict[str, int] | None = None, live: dict[str, dict] | None = None, recall: str = "mark",
) -> str:
    """Seal, sign and publish candidate sets as release `version` (all or nothing).

    `recall`: what to do with items of generators whose questions public draws reproduce above
    mintbench.items.space.THRESHOLD: "mark" them as knowledge recall in the manifest and CARD.md,
    or "exclude" them, so that every item of the release is fresh by construction.

    Candidates are read twice, batch by batch: once to prove and fingerprint them, once to
    write the chosen ones; in between only compact columns are held, so memory stays flat in
    the pool's size."""
    check_version(version)
    if recall not in RECALL_CHOICES:
        raise MintbenchError(f"bad recall {recall!r}; allowed: {', '.join(RECALL_CHOICES)}")
    store = as_store(store)
    if store.exists(version):
        raise MintbenchError(f"release {version} already exists in {store}: published releases are immutable")
    set_dirs = [set_dirs] if isinstance(set_dirs, (str, Path)) else list(set_dirs)
    pool = scan(set_dirs, keys.freshness_key(), public)
    if not pool.candidates:
        raise MintbenchError("the candidate sets hold no items")
    if pool.unproven:
        raise MintbenchError(f"{pool.unproven} candidate item(s) fail their proofs; run `mintbench validate` and rebuild")
    trusted = trusted_keys(keys.directory)
    keep, freshness = fresh_mask(pool.canonical, pool.templates, pool.sigs, store, pool.problems, trusted)
    eligible = [c for c in pool.candidates if keep[c.pos]]
    if not eligible:
        raise MintbenchError("every item repeats an earlier release; nothing to publish")
    excluded: Counter = Counter()
    if recall == "exclude":
        small = recall_generators({c.generator: c.generator_version for c in eligible})
        excluded = Counter(c.generator for c in eligible if c.generator in small)
        eligible = [c for c in eligible if c.generator not in small]
        if not eligible:
            raise MintbenchError(f"every candidate item comes from a knowledge-recall generator ({', '.join(sorted(excluded))}); "
                                 "nothing is left to publish with --recall exclude")
    chosen, selection = (select(eligible, quotas, selection_seed, live_quotas) if quotas else (eligible, None))
    mask = np.zeros(len(pool.candidates), dtype=bool)
    mask[[c.pos for c in chosen]] = True
    chosen = [pool.candidates[k] for k in np.flatnonzero(mask)]  # pool order, as the files are written
    # Fresh secrets unless the caller fixed them (a resumed refresh makes the same release).
    canary = canary or f"mintbench:{uuid.UUID(bytes=secrets.token_bytes(16), version=4)}"
    nonce = nonce or secrets.token_hex(16)
    dates = sorted(c.date for c in chosen if c.date)
    manifest = {
        "kind": "mintbench-release", "version": version, "channel": channel_of(version), "schema_version": SCHEMA_VERSION,
        "created_at": max(pool.created), "canary": canary, "embargo_days": embargo_days, "sealed": not public,
        "knowledge_window": [dates[0], dates[-1]] if dates else None,
        "counts": counts(chosen),
        "generator_versions": dict(sorted({c.generator: c.generator_version for c in chosen}.items())),
        "recall": recall_section(chosen),
        "recall_excluded": dict(sorted(excluded.items())),
        "sources": dict(sorted(pool.sources.items())),
        "freshness": freshness,
        "selection": selection,
        "seed_commitment": commitment(pool.specs, nonce),
        "signing_key": keys.verify_key_hex(),
    }
    if live is not None:  # a refresh that was configured with live sources says what they gave
        manifest["live"] = live_section(chosen, live)
    with store.staging(version) as stage:
        write_items_files(stage, pool, mask, canary, nonce, keys.recipient())
        (stage / CARD).write_text(card(version, manifest, canary))
        (stage / NOTES).write_text(notes(version, manifest, previous_release(store, manifest["channel"], version, trusted), canary))
        manifest["files"] = {name: sha256_file(stage / name) for name in (QUESTIONS, FINGERPRINTS, SEALED, CARD, NOTES)}
        write_json(manifest, stage / MANIFEST)
        (stage / SIGNATURE).write_bytes(keys.signer().sign((stage / MANIFEST).read_bytes()))
        checkpoint("publish:staged")
    store.set_pointer(channel_of(version), version)
    pin_channel(str(store), channel_of(version), manifest["signing_key"], keys.directory)
    return store.path(version)


def verify(version: str, store: str | Path | Store, trust: tuple[str, ...] = (), keys_dir: Path | None = None) -> list[str]:
    """Problems found, each naming a file; empty when the release is intact and signed by a
    trusted key (see `mintbench.releases.keys`)."""
    with verified_copy(version, store, check=False, trust=trust, keys_dir=keys_dir) as (_, problems):
        return problems


@contextmanager
def verified_copy(
    version: str, store: str | Path | Store, check: bool = True, trust: tuple[str, ...] = (), keys_dir: Path | None = None,
) -> Iterator[tuple[Path, list[str]]]:
    """The release as a local directory (downloaded once from object storage) and the problems
    verify finds in it; with `check`, a release that does not verify is refused."""
    check_version(version)
    store = as_store(store)
    if not store.fs.exists(store.path(version)):
        raise MintbenchError(f"release {version} does not exist in {store}")
    with store.local_copy(version) as release:
        problems = verify_dir(release, trusted_keys(keys_dir, trust), version=version)
        if check and problems:
            raise MintbenchError(f"release {version} does not verify: {problems[0]}")
        yield release, problems


def verify_dir(release: Path, trusted: dict[str, str], allow: tuple[str, ...] = (), version: str | None = None) -> list[str]:
    """Problems with a release directory, each naming a file. With `version`, the signed
    manifest must name that version and its channel: a copy of last month's revealed release
    renamed to this month's verified, and was graded with public answers."""
    problems = []
    if (release / "items.parquet").exists():
        problems.append("items.parquet: an owner's working copy with answers must never be in a release")
    manifest_bytes = (release / MANIFEST).read_bytes() if (release / MANIFEST).is_file() else b""
    sig = (release / SIGNATURE).read_bytes() if (release / SIGNATURE).is_file() else b""
    manifest, found = manifest_problems(manifest_bytes, sig, trusted, version)
    problems += found
    if manifest is None:
        return problems
    files = manifest.get("files", {})
    for name, digest in files.items():
        path = release / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: sha256 differs from the manifest")
    # revealed.json is written after signing; reproduce checks it against the commitment.
    expected = {*files, MANIFEST, SIGNATURE, REVEALED, *allow}
    for path in sorted(release.iterdir()):  # dot-files too: '.items.parquet' passed unseen
        if path.name not in expected:
            problems.append(f"{path.name[:80]}: not part of the signed release")
    return problems


def decrypt_payload(release: Path, keys: Keys) -> dict:
    """The sealed payload, decrypted through a private temporary file (owner only)."""
    with open(release / SEALED, "rb") as sealed, tempfile.TemporaryFile() as plain:
        try:
            pyrage.decrypt_io(sealed, plain, [keys.identity()])
        except pyrage.DecryptError:
            raise MintbenchError("cannot decrypt answers.sealed with this age identity: not a recipient") from None
        plain.seek(0)
        return json.load(plain)


def sealed_items(version: str, store: str | Path | Store, keys: Keys) -> list[Item]:
    """The owner's view of a release: its items with answers, rebuilt in memory from the
    public questions and the decrypted payload. Refused if the release does not verify."""
    with verified_copy(version, store, keys_dir=keys.directory) as (release, _):
        return items_in_dir(release, keys)


def items_in_dir(release: Path, keys: Keys) -> list[Item]:
    """Items with answers from a release directory's questions and decrypted payload."""
    payload = decrypt_payload(release, keys)
    questions = {r["item_id"]: r for r in pq.read_table(release / QUESTIONS).to_pylist()}
    items = []
    for row in payload["items"]:
        row = dict(row)
        row.pop("spec_digest", None)
        row.pop("source_item_id", None)
        q = questions[row["item_id"]]
        items.append(Item(**row, question=q["question"], choices=q["choices"] or []))
    return items


def reveal(version: str, store: str | Path | Store, keys: Keys, force: bool = False) -> str:
    """Publish the answers and the secrets, once the embargo in the manifest has passed."""
    from datetime import datetime, timedelta, timezone

    store = as_store(store)
    with verified_copy(version, store, keys_dir=keys.directory) as (release, _):
        manifest = json.loads((release / MANIFEST).read_text())
        payload = decrypt_payload(release, keys)
        if (release / REVEALED).exists():
            try:
                same = json.loads((release / REVEALED).read_text()) == payload
            except ValueError:
                same = False
            if same:
                raise MintbenchError(f"release {version} is already revealed")
            raise MintbenchError(f"release {version} holds a {REVEALED} that is not its sealed payload; remove it and reveal again")
        created = datetime.fromisoformat(manifest["created_at"].replace("Z", "+00:00"))
        until = created + timedelta(days=manifest.get("embargo_days", 0))
        if datetime.now(timezone.utc) < until and not force:
            raise MintbenchError(f"release {version} is under embargo until {until:%Y-%m-%d}; pass --force to reveal early")
    store.write_bytes(version, REVEALED, (json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())
    return store.path(version, REVEALED)


def reproduce(version: str, store: str | Path | Store, trust: tuple[str, ...] = (), keys_dir: Path | None = None) -> dict:
    """Check the signed release, the secret commitment, and rebuild every released item."""
    check_version(version)
    store = as_store(store)
    if not store.has(version, REVEALED):
        raise MintbenchError(f"release {version} is not revealed yet")
    with verified_copy(version, store, trust=trust, keys_dir=keys_dir) as (release, _):
        return reproduce_dir(release)


GRADING_FIELDS = ("answer", "answer_type", "tolerance", "grader_args", "params", "format", "generator", "generator_version")


def reproduce_dir(release: Path) -> dict:
    """Counts of released items rebuilt exactly; `problems` names every missing, extra or
    changed one. Every question in questions.parquet must be covered, once."""
    from mintbench.create.build import SetSpec, item_at, resolve_generators

    manifest = json.loads((release / MANIFEST).read_text())
    try:
        revealed = json.loads((release / REVEALED).read_text())
        specs_raw, nonce, rows = revealed["specs"], revealed["nonce"], revealed["items"]
    except (ValueError, KeyError, TypeError):
        raise MintbenchError(f"{REVEALED} is not a revealed payload") from None
    if commitment(specs_raw, nonce) != manifest["seed_commitment"]:
        raise MintbenchError("the revealed secrets do not match the commitment in the manifest")
    specs = {d: SetSpec(**s) for d, s in specs_raw.items()}
    gens = {d: resolve_generators(s) for d, s in specs.items()}
    questions = {r["item_id"]: r for r in pq.read_table(release / QUESTIONS).to_pylist()}
    problems: list[str] = []
    seen: set[str] = set()
    reproduced = 0
    for sealed in rows:
        pid = sealed.get("item_id")
        if pid not in questions:
            problems.append(f"extra item {str(pid)[:24]!r}: not among the released questions")
            continue
        if pid in seen:
            problems.append(f"item {pid}: revealed twice")
            continue
        seen.add(pid)
        d = sealed.get("spec_digest")
        if d not in specs:
            problems.append(f"item {pid}: names no revealed spec")
            continue
        rebuilt = item_at(specs[d], gens[d], sealed["index"])
        q = questions[pid]
        built = rebuilt.model_dump(mode="json")
        # Every field grading reads, not the answer alone: a revealed tolerance of 1e9 or other
        # grader_args once reproduced with exit 0, stamping lenient rules "reproduced".
        changed = [f for f in GRADING_FIELDS if built[f] != sealed.get(f)]
        if (public_id(nonce, rebuilt.item_id) != pid or changed
                or rebuilt.question != q["question"] or rebuilt.choices != (q["choices"] or [])):
            problems.append(f"item {pid}: rebuilt item differs from the release" + (f" ({', '.join(changed)})" if changed else ""))
        else:
            reproduced += 1
    problems += [f"item {pid}: missing from {REVEALED}" for pid in sorted(set(questions) - seen)]
    if len(questions) != manifest["counts"]["total"]:
        problems.append(f"{QUESTIONS} holds {len(questions)} items, the manifest {manifest['counts']['total']}")
    return {"items": len(questions), "reproduced": reproduced, "problems": problems}
