"""Every model response, cached in SQLite so a re-run or a crashed run never pays twice.

Key: (model, prompt hash, sample index, sampling-params hash). Only successful calls are
stored; a failed call is retried on the next run. The cache holds model outputs for the
owner's use and lives beside the owner's set, never in a release.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

from mintbench.items.schema import canonical_json

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    model TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    sample INTEGER NOT NULL,
    params_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (model, prompt_hash, sample, params_hash)
)
"""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def params_hash(params: dict) -> str:
    return text_hash(canonical_json(params))[:16]


class ResponseCache:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # responses quote the items
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        os.chmod(self.path, 0o600)

    def get(self, model: str, prompt_hash: str, sample: int, phash: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT response FROM responses WHERE model=? AND prompt_hash=? AND sample=? AND params_hash=?",
                (model, prompt_hash, sample, phash),
            ).fetchone()
        return row[0] if row else None

    def put(self, model: str, prompt_hash: str, sample: int, phash: str, seed: int, response: str) -> None:
        # Committed at once (autocommit): a kill right after loses nothing already paid for.
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (model, prompt_hash, sample, params_hash, seed, response) VALUES (?, ?, ?, ?, ?, ?)",
                (model, prompt_hash, sample, phash, seed, response),
            )

    def seeds(self) -> set[int]:
        with self._lock:
            return {r[0] for r in self._db.execute("SELECT seed FROM responses")}

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
