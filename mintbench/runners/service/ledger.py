"""The grading service's SQLite ledger: hashed bearer tokens, quotas and the audit trail.

Tokens are stored as sha256 digests only; the plaintext is shown once, when it is created.
Every scored submission is kept with its predictions (compressed) and its scores.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sqlite3
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mintbench.errors import MintbenchError

TOKEN_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    name TEXT PRIMARY KEY, digest TEXT UNIQUE NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, token TEXT NOT NULL, version TEXT NOT NULL,
    created_at TEXT NOT NULL, day TEXT NOT NULL, n_predictions INTEGER NOT NULL,
    predictions BLOB, report TEXT, state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_quota ON submissions (token, version, day);
CREATE TABLE IF NOT EXISTS splits (version TEXT PRIMARY KEY, salt TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ladder (
    token TEXT NOT NULL, version TEXT NOT NULL, best REAL NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (token, version)
);
"""


@dataclass(frozen=True)
class Quota:
    per_day: int = 5
    total: int = 50


class QuotaExceeded(Exception):
    def __init__(self, message: str, retry_after: int | None):
        super().__init__(message)
        self.retry_after = retry_after


def default_ledger(store: str) -> Path:
    """Beside a local store (never inside it: the store is public); under outputs/ otherwise."""
    if "://" in store:
        return Path("outputs") / "grader.sqlite"
    store_path = Path(store).resolve()
    return store_path.parent / f"{store_path.name}.grader.sqlite"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def now() -> datetime:
    return datetime.now(timezone.utc)


class Ledger:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as db:
            db.executescript(SCHEMA)
        self.path.chmod(0o600)

    def connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA busy_timeout=30000")
        return db

    # -- tokens --------------------------------------------------------------------------------
    def add_token(self, name: str) -> str:
        if not TOKEN_NAME_RE.match(name or ""):
            raise MintbenchError(f"bad token name {name!r}; use 1-64 letters, digits, '_', '.', '-'")
        token = "mbt_" + secrets.token_urlsafe(32)
        with self.connect() as db:
            try:
                db.execute("INSERT INTO tokens VALUES (?, ?, ?, NULL)", (name, digest(token), now().isoformat()))
            except sqlite3.IntegrityError:
                raise MintbenchError(f"a token named {name!r} already exists; revoke it or choose another name") from None
        return token

    def revoke(self, name: str) -> None:
        with self.connect() as db:
            cur = db.execute("UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (now().isoformat(), name))
        if cur.rowcount == 0:
            raise MintbenchError(f"no active token named {name!r}")

    def tokens(self) -> list[dict]:
        with self.connect() as db:
            rows = db.execute("SELECT name, created_at, revoked_at FROM tokens ORDER BY name").fetchall()
        return [{"name": n, "created_at": c, "revoked_at": r} for n, c, r in rows]

    def lookup(self, token: str) -> tuple[str, bool] | None:
        """(name, active) for a presented token, None when unknown."""
        with self.connect() as db:
            row = db.execute("SELECT name, revoked_at FROM tokens WHERE digest = ?", (digest(token),)).fetchone()
        return (row[0], row[1] is None) if row else None

    # -- submissions ---------------------------------------------------------------------------
    def reserve(self, token: str, version: str, n_predictions: int, quota: Quota) -> int:
        """Count the submission against the quotas, atomically, before it is graded."""
        t = now()
        day = t.date().isoformat()
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                total, today = db.execute(
                    "SELECT COUNT(*), COALESCE(SUM(day = ?), 0) FROM submissions WHERE token = ? AND version = ?",
                    (day, token, version),
                ).fetchone()
                if total >= quota.total:
                    raise QuotaExceeded(f"quota exhausted: {quota.total} submissions in total per release", None)
                if today >= quota.per_day:
                    midnight = datetime.combine(t.date(), datetime.min.time(), tzinfo=timezone.utc).timestamp() + 86400
                    raise QuotaExceeded(f"daily quota exhausted: {quota.per_day} submissions per day per release", int(midnight - t.timestamp()) + 1)
                cur = db.execute(
                    "INSERT INTO submissions (token, version, created_at, day, n_predictions, state) VALUES (?, ?, ?, ?, ?, 'grading')",
                    (token, version, t.isoformat(), day, n_predictions),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return cur.lastrowid

    def record(self, submission_id: int, predictions: dict[str, str], report: dict) -> None:
        blob = zlib.compress(json.dumps(predictions, sort_keys=True).encode())
        with self.connect() as db:
            db.execute(
                "UPDATE submissions SET predictions = ?, report = ?, state = 'scored' WHERE id = ?",
                (blob, json.dumps(report, sort_keys=True), submission_id),
            )

    def refuse(self, submission_id: int, predictions: dict[str, str], reason: str) -> None:
        """A reserved submission that was not graded (over its grading allowance): it still
        counts against the quota, and the owner can see what was sent and why it was refused."""
        blob = zlib.compress(json.dumps(predictions, sort_keys=True).encode())
        with self.connect() as db:
            db.execute(
                "UPDATE submissions SET predictions = ?, report = ?, state = 'refused' WHERE id = ?",
                (blob, json.dumps({"refused": reason}), submission_id),
            )

    def split_salt(self, version: str) -> str:
        """The secret that splits a release into the service's public part and the private rest,
        drawn on the release's first submission and kept here, on the owner's side only."""
        with self.connect() as db:
            db.execute("INSERT OR IGNORE INTO splits VALUES (?, ?)", (version, secrets.token_hex(32)))
            return db.execute("SELECT salt FROM splits WHERE version = ?", (version,)).fetchone()[0]

    def released(self, token: str, version: str) -> dict | None:
        """The figures last released to a token on a release, if any."""
        with self.connect() as db:
            row = db.execute("SELECT body FROM ladder WHERE token = ? AND version = ?", (token, version)).fetchone()
        return json.loads(row[0]) if row else None

    def ladder(self, token: str, version: str, accuracy: float, body: dict, step: float) -> tuple[dict, bool]:
        """The figures to release for a token's new submission, and whether they are new: the
        body is taken only when `accuracy` beats the token's released best by `step` (the Ladder
        of Blum & Hardt); otherwise the last released body is repeated."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT best, body FROM ladder WHERE token = ? AND version = ?", (token, version)).fetchone()
                if row is not None and accuracy < row[0] + step - 1e-12:
                    db.execute("COMMIT")
                    return json.loads(row[1]), False
                db.execute("INSERT OR REPLACE INTO ladder VALUES (?, ?, ?, ?)", (token, version, body["accuracy"], json.dumps(body, sort_keys=True)))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return body, True

    def submissions(self, version: str | None = None) -> list[dict]:
        query = "SELECT id, token, version, created_at, n_predictions, report, state FROM submissions"
        args: tuple = ()
        if version:
            query, args = query + " WHERE version = ?", (version,)
        with self.connect() as db:
            rows = db.execute(query + " ORDER BY id", args).fetchall()
        return [
            {"id": i, "token": t, "version": v, "created_at": c, "n_predictions": n, "report": json.loads(r) if r else None, "state": s}
            for i, t, v, c, n, r, s in rows
        ]
