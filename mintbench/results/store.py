"""The results store: one SQLite file, append-only, every graded run of a model on a release.

Rows are only ever inserted. A replaced run stays, with the run that replaces it pointing back at
it; the board reads the newest run of each (release, model). Per-item verdicts live here and on
the owner's side only: no public view ever reads them out. No answer is stored at all (a verdict
is `correct`, `wrong` or `unparsed`), so neither view can leak one.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mintbench.errors import MintbenchError

SCHEMA = """
CREATE TABLE IF NOT EXISTS releases (
    release TEXT PRIMARY KEY, created_at TEXT, source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reveals (
    release TEXT PRIMARY KEY, revealed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    release TEXT NOT NULL, item_id TEXT NOT NULL, domain TEXT, level TEXT, format TEXT, lang TEXT, generator TEXT,
    PRIMARY KEY (release, item_id)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, release TEXT NOT NULL, model TEXT NOT NULL, meta TEXT NOT NULL, source TEXT NOT NULL,
    recorded_at TEXT NOT NULL, digest TEXT NOT NULL, n INTEGER NOT NULL, correct INTEGER NOT NULL, supersedes INTEGER
);
CREATE TABLE IF NOT EXISTS public_parts (
    release TEXT NOT NULL, item_id TEXT NOT NULL, PRIMARY KEY (release, item_id)
);
CREATE TABLE IF NOT EXISTS verdicts (
    run INTEGER NOT NULL, item_id TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (run, item_id)
);
"""
STATUSES = ("correct", "wrong", "unparsed")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
META_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")


def parse_meta(pairs: list[str]) -> dict[str, str]:
    """`--meta key=value` pairs; `cutoff` must be a date (the contamination panel reads it)."""
    meta: dict[str, str] = {}
    for raw in pairs:
        key, sep, value = raw.partition("=")
        if not sep or not META_KEY.match(key):
            raise MintbenchError(f"bad --meta {raw!r}; expected KEY=VALUE with a key of letters, digits, '_', '.', '-'")
        meta[key] = value
    if "cutoff" in meta and not _DATE.match(meta["cutoff"]):
        raise MintbenchError(f"bad --meta cutoff={meta['cutoff']!r}; expected a date YYYY-MM-DD (the model's declared training cutoff)")
    return meta


@dataclass(frozen=True)
class ItemInfo:
    item_id: str
    domain: str
    level: str
    format: str
    lang: str
    generator: str


@dataclass
class Run:
    id: int
    release: str
    model: str
    meta: dict
    source: str
    recorded_at: str
    n: int
    correct: int
    verdicts: dict[str, str] = field(default_factory=dict)


def default_results_path(store: str) -> Path:
    """Beside a local release store, never inside it (the store is public and the results hold
    per-item verdicts); under outputs/ for a remote store, unless the user names a path."""
    if "://" in store:
        return Path("outputs") / "results.sqlite"
    store_path = Path(store).resolve()
    return store_path.parent / f"{store_path.name}.results.sqlite"


def responses_digest(verdicts: dict[str, str], responses: dict[str, str] | None) -> str:
    body = {"responses": responses} if responses is not None else {"verdicts": verdicts}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class ResultsStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def record(
        self, release: str, model: str, verdicts: dict[str, str], items: list[ItemInfo], *, meta: dict | None = None,
        source: str = "grade", responses: dict[str, str] | None = None, replace: bool = False,
        created_at: str | None = None, revealed_at: str | None = None,
    ) -> tuple[int, bool]:
        """Record one graded run, in one transaction: (run id, whether it is new). The same
        responses again are a no-op; other responses under the same model name are refused
        unless `replace`. Every verdict must name an item of the release and every item of the
        release needs a verdict."""
        if not model.strip():
            raise MintbenchError("a run needs a model name")
        known = {i.item_id for i in items}
        unknown = sorted(set(verdicts) - known)
        if unknown:
            raise MintbenchError(f"{len(unknown)} verdict(s) name items that are not in release {release}, e.g. {unknown[0]!r}")
        missing = sorted(known - set(verdicts))
        if missing:
            raise MintbenchError(f"{len(missing)} item(s) of release {release} have no verdict, e.g. {missing[0]!r}")
        bad = sorted({s for s in verdicts.values() if s not in STATUSES})
        if bad:
            raise MintbenchError(f"unknown verdict {bad[0]!r}; allowed: {', '.join(STATUSES)}")
        digest = responses_digest(verdicts, responses)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                stored = {r[0] for r in db.execute("SELECT item_id FROM items WHERE release = ?", (release,))}
                if stored and stored != known:
                    # Rankings compare models on the same items: another set under the same name
                    # (two set directories both called 'math') would be compared with this one.
                    raise MintbenchError(f"release {release!r} in the results store holds other items ({len(stored)}) than these ({len(known)}): "
                                         "a different set under the same name; rename the set directory or use another --results file")
                current = db.execute(
                    "SELECT id, digest FROM runs WHERE release = ? AND model = ? ORDER BY id DESC LIMIT 1", (release, model)
                ).fetchone()
                if current and current[1] == digest:
                    db.execute("ROLLBACK")
                    return current[0], False
                if current and not replace:
                    raise MintbenchError(
                        f"model {model!r} already has other results on {release}; pass --replace to record these instead "
                        "(the earlier run is kept, marked as replaced)"
                    )
                db.execute("INSERT OR IGNORE INTO releases (release, created_at, source) VALUES (?, ?, ?)", (release, created_at, source))
                if revealed_at:  # a release is revealed once: the first date seen stands
                    db.execute("INSERT OR IGNORE INTO reveals (release, revealed_at) VALUES (?, ?)", (release, revealed_at))
                db.executemany(
                    "INSERT OR IGNORE INTO items (release, item_id, domain, level, format, lang, generator) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(release, i.item_id, i.domain, i.level, i.format, i.lang, i.generator) for i in items],
                )
                cur = db.execute(
                    "INSERT INTO runs (release, model, meta, source, recorded_at, digest, n, correct, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (release, model, json.dumps(meta or {}, sort_keys=True), source, now, digest, len(verdicts),
                     sum(s == "correct" for s in verdicts.values()), current[0] if current else None),
                )
                run_id = cur.lastrowid
                db.executemany("INSERT INTO verdicts (run, item_id, status) VALUES (?, ?, ?)", [(run_id, k, v) for k, v in verdicts.items()])
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return run_id, True

    def releases(self) -> dict[str, dict]:
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT r.release, r.created_at, v.revealed_at, r.source FROM releases r LEFT JOIN reveals v ON v.release = r.release ORDER BY r.release"
            ).fetchall()
        return {r[0]: {"created_at": r[1], "revealed_at": r[2], "source": r[3]} for r in rows}

    def mark_public(self, release: str, item_ids) -> None:
        """The part of a release the grading service scored during its embargo (Kaggle's public
        part): rankings leave it out, since a token may have probed it within the Ladder's bound."""
        with closing(self._connect()) as db, db:
            db.executemany("INSERT OR IGNORE INTO public_parts (release, item_id) VALUES (?, ?)", [(release, i) for i in item_ids])

    def public_part(self, release: str) -> set[str]:
        with closing(self._connect()) as db:
            return {r[0] for r in db.execute("SELECT item_id FROM public_parts WHERE release = ?", (release,))}

    def items(self, release: str) -> list[ItemInfo]:
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT item_id, domain, level, format, lang, generator FROM items WHERE release = ? ORDER BY item_id", (release,)
            ).fetchall()
        return [ItemInfo(*r) for r in rows]

    def current_runs(self, with_verdicts: bool = True) -> list[Run]:
        """The newest run of every (release, model)."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT id, release, model, meta, source, recorded_at, n, correct FROM runs WHERE id IN "
                "(SELECT MAX(id) FROM runs GROUP BY release, model) ORDER BY release, model"
            ).fetchall()
            runs = [Run(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6], r[7]) for r in rows]
            if with_verdicts:
                by_id = {r.id: r for r in runs}
                for run_id, item_id, status in db.execute(
                    "SELECT run, item_id, status FROM verdicts WHERE run IN (SELECT MAX(id) FROM runs GROUP BY release, model)"
                ):
                    by_id[run_id].verdicts[item_id] = status
        return runs

    def history(self) -> list[dict]:
        """Every run ever recorded, replaced ones included (the owner's audit trail)."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, release, model, source, recorded_at, n, correct, supersedes FROM runs ORDER BY id").fetchall()
        keys = ("id", "release", "model", "source", "recorded_at", "n", "correct", "supersedes")
        return [dict(zip(keys, r)) for r in rows]
