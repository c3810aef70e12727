"""Freshness against earlier releases: exact repeats by canonical key, near repeats by MinHash.

Everything here works on compact NumPy arrays (a uint64 key and 64 uint32 MinHash values per
item), so a million-item history and a hundred-thousand-item candidate pool fit side by side.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from datasketch import MinHash

from mintbench.items.rng import keyed_digest
from mintbench.items.schema import Item, canonical_json

FINGERPRINTS = "fingerprints.parquet"
NUM_PERM, NEAR_THRESHOLD = 64, 0.9
SCHEME = "affine32"  # stated, so stored signatures stay comparable across datasketch versions
BANDS, ROWS = 8, 8  # LSH banding of the 64 permutations: J = 0.9 collides with p = 0.99


def printed_plain(item: Item) -> str:
    """The question as plain text: a LaTeX printing (`--render latex`) is the same problem as
    the plain one, and must be found so."""
    plain = item.params.get("plain_question")
    if not plain:
        return item.question
    return plain + item.question[len(item.question.split("\n\n")[0]):]


def canonical_key(item: Item) -> str:
    """What makes two questions the same: the structure or sequence asked about when there is
    one (InChIKey, sequence hash), else the question text; plus the question's skeleton."""
    question = printed_plain(item)
    skeleton = re.sub(r"[-+]?\d+(\.\d+)?", "#", question.split("\n\n")[0])
    p = item.params
    if "smiles" in p:
        from rdkit import Chem

        mol = Chem.MolFromSmiles(p["smiles"])
        content = Chem.MolToInchiKey(mol) if mol is not None else p["smiles"]
    elif "sequence" in p:
        content = hashlib.sha256(p["sequence"].encode()).hexdigest()
    else:
        content = " ".join(question.split())
    return hashlib.sha256(f"{item.generator}|{skeleton}|{content}".encode()).hexdigest()


# Parameters that say how a problem is asked, not which problem it is.
_PRESENTATION = {"difficulty", "config", "choices", "open_answer", "open_answer_type", "open_grader_args", "render", "plain_question"}


def problem_key(item: Item, key: str) -> str:
    """The underlying problem, whatever the language or format it is asked in: the generator,
    its drawn parameters, and the numbers and nucleotide sequences of the question's first
    paragraph (the same in every language; options and the answer-format line come after it). Parameters may hold the answer (the InChIKey behind
    a name, a recurrence's roots), so the hash is keyed by the owner's freshness secret: the
    public fingerprints never let anyone test a guessed answer offline."""
    params = {k: v for k, v in item.params.items() if k not in _PRESENTATION}
    body = printed_plain(item).split("\n\n")[0]
    # Sorted: word order differs between languages. A minus is a sign only where no number
    # precedes it ("-3*x", "(-2"), not in a range ("52-64", written "52 and 64" elsewhere).
    numbers = sorted(re.findall(r"(?:(?<![\w.)])-)?\d+(?:\.\d+)?", body))
    sequences = sorted(re.findall(r"[ACGTU]{8,}", body.replace(" ", "")))
    return keyed_digest(key, "problem", item.generator, canonical_json([params, numbers, sequences])).hex()


def problem_ints(items: list[Item], key: str) -> np.ndarray:
    return np.array([int(problem_key(i, key)[:16], 16) for i in items], dtype=np.uint64)


def minhash(text: str) -> MinHash:
    words = text.lower().split()
    shingles = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    m.update_batch([s.encode() for s in shingles])
    return m


def question_body(item: Item) -> str:
    """The question without its closing answer-format instruction, which every item shares."""
    return printed_plain(item).rsplit("\n\n", 1)[0]


def signatures(items: list[Item]) -> np.ndarray:
    return np.array([minhash(question_body(i)).hashvalues for i in items], dtype=np.uint32).reshape(-1, NUM_PERM)


def canonical_ints(items: list[Item]) -> np.ndarray:
    return np.array([int(canonical_key(i)[:16], 16) for i in items], dtype=np.uint64)


def template_ints(items: list[Item]) -> np.ndarray:
    """One value per (generator, version): items sharing it share their template word for word."""
    return np.array([int(hashlib.sha256(f"{i.generator}@{i.generator_version}".encode()).hexdigest()[:16], 16) for i in items], dtype=np.uint64)


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


def fingerprint_table(item_ids: list[str], canonical: np.ndarray, templates: np.ndarray, sigs: np.ndarray,
                      problems: np.ndarray | None = None) -> pa.Table:
    problems = np.zeros(len(item_ids), np.uint64) if problems is None else problems
    return pa.table({
        "item_id": item_ids,
        "canonical": pa.array(canonical, type=pa.uint64()),
        "problem": pa.array(problems, type=pa.uint64()),
        "template": pa.array(templates, type=pa.uint64()),
        "minhash": pa.FixedSizeListArray.from_arrays(pa.array(sigs.ravel(), type=pa.uint32()), NUM_PERM),
    })


class History:
    """Every earlier release's fingerprints as NumPy arrays: about 300 bytes per item, so a
    million-item history fits in a few hundred MB, and lookups are sorted-array searches.

    Near repeats are only sought across templates: two items of one generator version share
    their template word for word, so their text similarity says nothing the canonical key
    does not (a long fixed template around two different molecules looks alike)."""

    def __init__(self, canonical: np.ndarray, templates: np.ndarray, sigs: np.ndarray, problems: np.ndarray | None = None):
        # Problem keys share one sorted array with the canonical keys: both are 64-bit hashes,
        # and a candidate matching either kind of key is a repeat.
        keys = canonical if problems is None else np.concatenate([canonical, problems[problems != 0]])
        self.canonical = np.sort(keys)
        self.templates = templates
        self.sigs = sigs
        keys = band_keys(sigs).ravel()
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows = (order // BANDS).astype(np.int64)

    @classmethod
    def load(cls, store, trusted: dict[str, str] | None = None) -> "History":
        """From every published release in a `mintbench.releases.store.Store` that a trusted
        key signed (`mintbench.releases.signed`); with `trusted` None, from every one."""
        if trusted is None:
            files = [store.path(v, FINGERPRINTS) for v in store.versions() if store.has(v, FINGERPRINTS)]
        else:
            from mintbench.releases.signed import signed_file, signed_releases

            files = [store.path(v, FINGERPRINTS) for v, m in signed_releases(store, trusted) if signed_file(store, v, FINGERPRINTS, m)]
        # One footer read per file gives both its row count and its columns.
        metadata = [pq.read_metadata(f, filesystem=store.fs) for f in files]
        total = sum(m.num_rows for m in metadata)
        canon = np.zeros(total, dtype=np.uint64)
        templates = np.zeros(total, dtype=np.uint64)  # 0: unknown, compared with everything
        problems = np.zeros(total, dtype=np.uint64)  # 0: written before problem keys
        sigs = np.zeros((total, NUM_PERM), dtype=np.uint32)
        at = 0
        for fp, meta in zip(files, metadata):  # filled in place: no second copy of the history
            names = ["canonical", "minhash"] + [c for c in ("template", "problem") if c in meta.schema.names]
            table = pq.read_table(fp, columns=names, filesystem=store.fs)
            n = table.num_rows
            canon[at : at + n] = table.column("canonical").to_numpy()
            if "template" in names:
                templates[at : at + n] = table.column("template").to_numpy()
            if "problem" in names:
                problems[at : at + n] = table.column("problem").to_numpy()
            sigs[at : at + n] = table.column("minhash").combine_chunks().flatten().to_numpy().reshape(n, NUM_PERM)
            at += n
            del table
        return cls(canon, templates, sigs, problems)

    def seen(self, canonical: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self.canonical, canonical)
        pos[pos >= len(self.canonical)] = 0
        return (self.canonical[pos] == canonical) if len(self.canonical) else np.zeros(len(canonical), bool)

    def near(self, sigs: np.ndarray, templates: np.ndarray) -> np.ndarray:
        """True where some history item of another template shares a band and estimates
        Jaccard >= threshold."""
        out = np.zeros(len(sigs), dtype=bool)
        if not len(self.keys):
            return out
        keys = band_keys(sigs)
        lo = np.searchsorted(self.keys, keys, side="left")
        hi = np.searchsorted(self.keys, keys, side="right")
        for i in np.flatnonzero((hi > lo).any(axis=1)):
            rows = np.unique(np.concatenate([self.rows[a:b] for a, b in zip(lo[i], hi[i]) if b > a]))
            rows = rows[self.templates[rows] != templates[i]]
            out[i] = bool(((self.sigs[rows] == sigs[i]).mean(axis=1) >= NEAR_THRESHOLD).any())
        return out


def fresh_mask(canon: np.ndarray, templates: np.ndarray, sigs: np.ndarray, store, problems: np.ndarray | None = None,
               trusted: dict[str, str] | None = None) -> tuple[np.ndarray, dict[str, int]]:
    """Which candidates to keep: not exact repeats (canonical or problem key) or near repeats
    (MinHash, across templates) of earlier releases, nor of earlier candidates (the first is
    kept). The problem key sees through language and format: the same problem asked in zh,
    or as multiple choice, is a repeat."""
    from mintbench.releases.store import as_store

    problems = np.zeros(len(canon), dtype=np.uint64) if problems is None else problems
    history = History.load(as_store(store), trusted)
    exact = history.seen(canon) | (history.seen(problems) & (problems != 0))
    near = history.near(sigs, templates) & ~exact
    del history
    own_keys: set = set()
    first: dict[int, dict[int, int]] = {}  # band key -> template -> first kept item with it
    bands = band_keys(sigs)
    for k in range(len(canon)):
        if exact[k] or near[k]:
            continue
        if canon[k] in own_keys or (problems[k] and problems[k] in own_keys):
            exact[k] = True
            continue
        hits = {j for b in bands[k] for t, j in first.get(int(b), {}).items() if t != templates[k]}
        if any((sigs[j] == sigs[k]).mean() >= NEAR_THRESHOLD for j in hits):
            near[k] = True
            continue
        own_keys.add(canon[k])
        if problems[k]:
            own_keys.add(problems[k])
        for b in bands[k]:
            first.setdefault(int(b), {}).setdefault(int(templates[k]), k)
    return ~(exact | near), {"exact_duplicates": int(exact.sum()), "near_duplicates": int(near.sum())}
