"""Versioned, sealed, signed releases in a release store (default `outputs/releases`).

A release directory holds only public files plus the sealed answers:
  questions.parquet   what a runner needs to ask (no answers, params or seeds)
  answers.sealed      age-encrypted JSON: answers, params, proofs' inputs, difficulty data, seed
  fingerprints.parquet  canonical-key hashes and MinHash signatures of the questions (freshness)
  manifest.json       counts, versions, knowledge window, file hashes, canary, seed commitment
  manifest.sig        Ed25519 signature of manifest.json
  CARD.md             dataset card
Published releases are immutable: a version is written once, into a temporary directory renamed
into place, so a half-written release is never visible.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import tempfile
import uuid
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pyrage
from datasketch import MinHash

from mintbench.errors import MintbenchError
from mintbench.keys import Keys, verify_signature
from mintbench.schema import SCHEMA_VERSION, Item, canonical_json
from mintbench.setdir import load_set, sha256_file, write_json

QUESTIONS, SEALED, FINGERPRINTS, MANIFEST, SIGNATURE, CARD, NOTES = (
    "questions.parquet", "answers.sealed", "fingerprints.parquet", "manifest.json", "manifest.sig", "CARD.md", "NOTES.md",
)
REVEALED = "revealed.json"
VERSION_RE = re.compile(r"^(\d{4}\.(0[1-9]|1[0-2]))$|^(\d{4}\.\d{2}\.\d{2}-(math|chemistry|biology|mixed)-[0-9a-f]{7,12})$")
NUM_PERM, NEAR_THRESHOLD = 64, 0.9
SCHEME = "affine32"  # stated, so stored signatures stay comparable across datasketch versions


def check_version(version: str) -> str:
    if not VERSION_RE.match(version or ""):
        raise MintbenchError(f"bad version {version!r}; monthly releases are YYYY.MM, on-demand sets YYYY.MM.DD-<domain>-<short hash>")
    return version


def channel_of(version: str) -> str:
    return "monthly" if re.fullmatch(r"\d{4}\.\d{2}", version) else "on-demand"


# -- freshness --------------------------------------------------------------------------------
def canonical_key(item: Item) -> str:
    """What makes two questions the same: the structure or sequence asked about when there is
    one (InChIKey, sequence hash), else the question text; plus the question's skeleton."""
    skeleton = re.sub(r"[-+]?\d+(\.\d+)?", "#", item.question.split("\n\n")[0])
    p = item.params
    if "smiles" in p:
        from rdkit import Chem

        mol = Chem.MolFromSmiles(p["smiles"])
        content = Chem.MolToInchiKey(mol) if mol is not None else p["smiles"]
    elif "sequence" in p:
        content = hashlib.sha256(p["sequence"].encode()).hexdigest()
    else:
        content = " ".join(item.question.split())
    return hashlib.sha256(f"{item.generator}|{skeleton}|{content}".encode()).hexdigest()


def minhash(text: str) -> MinHash:
    words = text.lower().split()
    shingles = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    m.update_batch([s.encode() for s in shingles])
    return m


BANDS, ROWS = 8, 8  # LSH banding of the 64 permutations: J = 0.9 collides with p = 0.99


def question_body(item: Item) -> str:
    """The question without its closing answer-format instruction, which every item shares."""
    return item.question.rsplit("\n\n", 1)[0]


def signatures(items: list[Item]) -> np.ndarray:
    return np.array([minhash(question_body(i)).hashvalues for i in items], dtype=np.uint32).reshape(-1, NUM_PERM)


def canonical_ints(items: list[Item]) -> np.ndarray:
    return np.array([int(canonical_key(i)[:16], 16) for i in items], dtype=np.uint64)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 keys, one per band of ROWS signature values (wrapping arithmetic).
    Band by band, so a million-row history never needs a 64-bit copy of all its signatures."""
    keys = np.zeros((len(sigs), BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for b in range(BANDS):
            key = np.zeros(len(sigs), dtype=np.uint64)
            for j in range(ROWS):
                key = key * np.uint64(1_000_003) + sigs[:, b * ROWS + j].astype(np.uint64) + np.uint64(1)
            keys[:, b] = key * np.uint64(BANDS) + np.uint64(b)  # keep bands apart
    return keys


def fingerprints(items: list[Item]) -> pa.Table:
    sigs = signatures(items)
    return pa.table({
        "item_id": [i.item_id for i in items],
        "canonical": pa.array(canonical_ints(items), type=pa.uint64()),
        "minhash": pa.FixedSizeListArray.from_arrays(pa.array(sigs.ravel(), type=pa.uint32()), NUM_PERM),
    })


class History:
    """Every earlier release's fingerprints as NumPy arrays: about 300 bytes per item, so a
    million-item history fits in a few hundred MB, and lookups are sorted-array searches."""

    def __init__(self, canonical: np.ndarray, sigs: np.ndarray):
        self.canonical = np.sort(canonical)
        self.sigs = sigs
        keys = band_keys(sigs).ravel()
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows = (order // BANDS).astype(np.int64)

    @classmethod
    def load(cls, store: Path) -> "History":
        files = sorted(store.glob(f"*/{FINGERPRINTS}"))
        total = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        canon = np.zeros(total, dtype=np.uint64)
        sigs = np.zeros((total, NUM_PERM), dtype=np.uint32)
        at = 0
        for fp in files:  # filled in place: no second copy of the history
            table = pq.read_table(fp, columns=["canonical", "minhash"])
            n = table.num_rows
            canon[at : at + n] = table.column("canonical").to_numpy()
            sigs[at : at + n] = table.column("minhash").combine_chunks().flatten().to_numpy().reshape(n, NUM_PERM)
            at += n
            del table
        return cls(canon, sigs)

    def seen(self, canonical: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self.canonical, canonical)
        pos[pos >= len(self.canonical)] = 0
        return (self.canonical[pos] == canonical) if len(self.canonical) else np.zeros(len(canonical), bool)

    def near(self, sigs: np.ndarray) -> np.ndarray:
        """True where some history item shares a band and estimates Jaccard >= threshold."""
        out = np.zeros(len(sigs), dtype=bool)
        if not len(self.keys):
            return out
        keys = band_keys(sigs)
        lo = np.searchsorted(self.keys, keys, side="left")
        hi = np.searchsorted(self.keys, keys, side="right")
        for i in np.flatnonzero((hi > lo).any(axis=1)):
            rows = np.unique(np.concatenate([self.rows[a:b] for a, b in zip(lo[i], hi[i]) if b > a]))
            out[i] = bool(((self.sigs[rows] == sigs[i]).mean(axis=1) >= NEAR_THRESHOLD).any())
        return out


def fresh(items: list[Item], store: Path) -> tuple[list[Item], dict[str, int]]:
    """Candidates minus exact repeats (canonical key) and near repeats (MinHash) of earlier
    releases and of earlier candidates."""
    history = History.load(store)
    canon, sigs = canonical_ints(items), signatures(items)
    exact = history.seen(canon)
    near = history.near(sigs) & ~exact
    # Repeats among the candidates themselves: the first (in set order) is kept.
    own_keys, first_band = set(), {}
    bands = band_keys(sigs)
    for k in range(len(items)):
        if exact[k] or near[k]:
            continue
        if canon[k] in own_keys:
            exact[k] = True
            continue
        hits = {first_band[b] for b in bands[k] if b in first_band}
        if any((sigs[j] == sigs[k]).mean() >= NEAR_THRESHOLD for j in hits):
            near[k] = True
            continue
        own_keys.add(canon[k])
        for b in bands[k]:
            first_band.setdefault(b, k)
    kept = [item for k, item in enumerate(items) if not (exact[k] or near[k])]
    return kept, {"exact_duplicates": int(exact.sum()), "near_duplicates": int(near.sum())}


# -- publishing -------------------------------------------------------------------------------
def questions_table(items: list[Item], canary: str) -> pa.Table:
    table = pa.table({
        "item_id": [i.item_id for i in items], "domain": [i.domain for i in items], "level": [i.level for i in items],
        "format": [i.format for i in items], "lang": [i.lang for i in items], "question": [i.question for i in items],
        "choices": pa.array([i.choices for i in items], type=pa.list_(pa.string())),
        "difficulty_label": [i.difficulty_label for i in items],
    })
    return table.replace_schema_metadata({b"mintbench.canary": canary.encode()})


def write_sealed(path: Path, items: list[Item], digests: dict[str, str], specs: dict[str, dict], nonce: str, recipient) -> None:
    """Stream the payload (answers, params, difficulty data, specs and seeds) through age.

    The plaintext goes item by item to a private temporary file outside the store, then is
    encrypted file to file: no copy of the whole payload, plain or encrypted, sits in memory.
    """
    with tempfile.TemporaryFile() as plain:
        plain.write(f'{{"nonce":{json.dumps(nonce)},"specs":{canonical_json(specs)},"items":['.encode())
        for k, item in enumerate(items):
            row = {**item.model_dump(mode="json", exclude={"question", "choices"}), "spec_digest": digests[item.item_id]}
            plain.write((b"," if k else b"") + canonical_json(row).encode())
        plain.write(b"]}")
        plain.seek(0)
        with open(path, "wb") as out:
            pyrage.encrypt_io(plain, out, [recipient])


def commitment(specs: dict[str, dict], nonce: str) -> str:
    """Commits to every seed used (one per candidate set) without revealing any."""
    seeds = {digest: spec["seed"] for digest, spec in sorted(specs.items())}
    return hashlib.sha256(f"{canonical_json(seeds)}:{nonce}".encode()).hexdigest()


def previous_release(store: Path, channel: str, before: str) -> dict | None:
    manifests = []
    for path in store.glob(f"*/{MANIFEST}"):
        try:
            m = json.loads(path.read_text())
        except ValueError:
            continue
        if m.get("channel") == channel and m.get("version", "") < before:
            manifests.append(m)
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
    f = manifest["freshness"]
    lines += [f"Freshness: {f['exact_duplicates']} exact and {f['near_duplicates']} near repeats of earlier releases dropped.", "", f"Canary GUID: {canary}", ""]
    return "\n".join(lines)


def card(version: str, manifest: dict, canary: str) -> str:
    c = manifest["counts"]
    return f"""# mintbench {version}

A sealed science test set minted by mintbench: fresh questions whose gold answers were proven by code,
with difficulty measured on reference models where available.

- items: {c['total']} ({', '.join(f'{k} {v}' for k, v in c['by_domain'].items())})
- levels: {', '.join(f'{k} {v}' for k, v in c['by_level'].items())} (SciKnowEval: L1 recall ... L5 design)
- answers: sealed in `answers.sealed` (age); graded by mintbench's graders, never shipped in the clear
- licence: questions CC-BY-4.0; knowledge sources keep their own terms (see manifest `sources`)
- verify: `mintbench verify {version}` checks every file hash and the Ed25519 signature

Do not train on this data. Canary GUID: {canary}
"""


def publish(
    set_dirs: str | Path | list, version: str, store: str | Path, keys: Keys,
    quotas: dict[str, int] | None = None, selection_seed: int = 0, embargo_days: int = 30,
) -> Path:
    """Seal, sign and publish candidate sets as release `version` (all or nothing)."""
    from mintbench.selection import select
    from validators.proofs import prove_item

    check_version(version)
    store = Path(store)
    target = store / version
    if target.exists():
        raise MintbenchError(f"release {version} already exists in {store}: published releases are immutable")
    set_dirs = [set_dirs] if isinstance(set_dirs, (str, Path)) else list(set_dirs)
    items, digests, specs, sources, created = [], {}, {}, {}, []
    for set_dir in set_dirs:
        set_items, set_manifest = load_set(set_dir)
        specs[set_manifest["spec_digest"]] = set_manifest["spec"]
        sources.update(set_manifest.get("sources", {}))
        created.append(set_manifest.get("created_at") or "")
        for item in set_items:
            digests[item.item_id] = set_manifest["spec_digest"]
        items += set_items
    if not items:
        raise MintbenchError("the candidate sets hold no items")
    unproven = sum(prove_item(i) is not None for i in items)
    if unproven:
        raise MintbenchError(f"{unproven} candidate item(s) fail their proofs; run `mintbench validate` and rebuild")
    store.mkdir(parents=True, exist_ok=True)
    items, freshness = fresh(items, store)
    if not items:
        raise MintbenchError("every item repeats an earlier release; nothing to publish")
    selection = None
    if quotas:
        items, selection = select(items, quotas, selection_seed)
    canary = f"mintbench:{uuid.UUID(bytes=secrets.token_bytes(16), version=4)}"
    nonce = secrets.token_hex(16)
    dates = sorted(d for i in items for d in [i.source.retrieved_at or i.created_at] if d)
    manifest = {
        "kind": "mintbench-release", "version": version, "channel": channel_of(version), "schema_version": SCHEMA_VERSION,
        "created_at": max(created), "canary": canary, "embargo_days": embargo_days,
        "knowledge_window": [dates[0], dates[-1]] if dates else None,
        "counts": {
            "total": len(items),
            "by_domain": dict(sorted(Counter(i.domain for i in items).items())),
            "by_level": dict(sorted(Counter(i.level for i in items).items())),
            "by_format": dict(sorted(Counter(i.format for i in items).items())),
            "by_label": dict(sorted(Counter(i.difficulty_label or "unmeasured" for i in items).items())),
        },
        "generator_versions": dict(sorted({i.generator: i.generator_version for i in items}.items())),
        "sources": dict(sorted(sources.items())),
        "freshness": freshness,
        "selection": selection,
        "seed_commitment": commitment(specs, nonce),
        "signing_key": keys.verify_key_hex(),
    }
    stage = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=store))
    try:
        pq.write_table(questions_table(items, canary), stage / QUESTIONS)
        fp = fingerprints(items).replace_schema_metadata({b"mintbench.canary": canary.encode()})
        pq.write_table(fp, stage / FINGERPRINTS)
        write_sealed(stage / SEALED, items, digests, specs, nonce, keys.recipient())
        (stage / CARD).write_text(card(version, manifest, canary))
        (stage / NOTES).write_text(notes(version, manifest, previous_release(store, manifest["channel"], version), canary))
        manifest["files"] = {name: sha256_file(stage / name) for name in (QUESTIONS, FINGERPRINTS, SEALED, CARD, NOTES)}
        write_json(manifest, stage / MANIFEST)
        (stage / SIGNATURE).write_bytes(keys.signer().sign((stage / MANIFEST).read_bytes()))
        stage.chmod(0o755)
        stage.rename(target)  # all or nothing
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    pointer = store / "channels" / f"{channel_of(version)}.json"
    pointer.parent.mkdir(exist_ok=True)
    write_json({"latest": version}, pointer)
    return target


def verify(version: str, store: str | Path, signing_key: str | None = None) -> list[str]:
    """Problems found, each naming a file; empty when the release is intact."""
    check_version(version)
    release = Path(store) / version
    if not release.is_dir():
        raise MintbenchError(f"release {version} does not exist in {store}")
    problems = []
    if (release / "items.parquet").exists():
        problems.append("items.parquet: an owner's working copy with answers must never be in a release")
    manifest_bytes = (release / MANIFEST).read_bytes() if (release / MANIFEST).is_file() else b""
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        return [*problems, f"{MANIFEST}: unreadable"]
    key = signing_key or manifest.get("signing_key", "")
    sig = (release / SIGNATURE).read_bytes() if (release / SIGNATURE).is_file() else b""
    if not verify_signature(key, manifest_bytes, sig):
        problems.append(f"{MANIFEST}: signature does not verify ({SIGNATURE})")
    for name, digest in manifest.get("files", {}).items():
        path = release / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: sha256 differs from the manifest")
    return problems


def reveal(version: str, store: str | Path, keys: Keys, force: bool = False) -> Path:
    """Publish the answers and the seed, once the embargo in the manifest has passed."""
    from datetime import datetime, timedelta, timezone

    release = Path(store) / check_version(version)
    if verify(version, store):
        raise MintbenchError(f"release {version} does not verify; refusing to reveal")
    manifest = json.loads((release / MANIFEST).read_text())
    created = datetime.fromisoformat(manifest["created_at"].replace("Z", "+00:00"))
    until = created + timedelta(days=manifest.get("embargo_days", 0))
    if datetime.now(timezone.utc) < until and not force:
        raise MintbenchError(f"release {version} is under embargo until {until:%Y-%m-%d}; pass --force to reveal early")
    with open(release / SEALED, "rb") as sealed, tempfile.TemporaryFile() as plain:
        pyrage.decrypt_io(sealed, plain, [keys.identity()])
        plain.seek(0)
        payload = json.load(plain)
    out = release / REVEALED
    if out.exists():
        raise MintbenchError(f"release {version} is already revealed")
    write_json(payload, out)
    return out


def reproduce(version: str, store: str | Path) -> dict:
    """Check the seed commitment and regenerate every released item from the revealed seed."""
    from mintbench.create import SetSpec, item_at, resolve_generators

    release = Path(store) / check_version(version)
    if not (release / REVEALED).is_file():
        raise MintbenchError(f"release {version} is not revealed yet")
    manifest = json.loads((release / MANIFEST).read_text())
    revealed = json.loads((release / REVEALED).read_text())
    if commitment(revealed["specs"], revealed["nonce"]) != manifest["seed_commitment"]:
        raise MintbenchError("the revealed seeds do not match the commitment in the manifest")
    specs = {d: SetSpec(**s) for d, s in revealed["specs"].items()}
    gens = {d: resolve_generators(s) for d, s in specs.items()}
    questions = {r["item_id"]: r for r in pq.read_table(release / QUESTIONS).to_pylist()}
    mismatched = 0
    for sealed in revealed["items"]:
        d = sealed["spec_digest"]
        rebuilt = item_at(specs[d], gens[d], sealed["index"])
        if rebuilt.item_id != sealed["item_id"] or rebuilt.answer != sealed["answer"] or rebuilt.question != questions[sealed["item_id"]]["question"]:
            mismatched += 1
    return {"items": len(revealed["items"]), "reproduced": len(revealed["items"]) - mismatched}
