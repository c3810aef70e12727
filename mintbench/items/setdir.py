"""A set directory on disk: `items.parquet` (the owner's working copy, answers included)
and `manifest.json` (counts, versions, the spec with its seed or secret, hashes).

Both hold what must stay the owner's, so a set directory is private: 0700, its files 0600,
and so are the work directories its shards are built in."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from mintbench.errors import MintbenchError
from mintbench.items.schema import ITEM_SCHEMA, Item, items_to_table, table_to_items

ITEMS_FILE = "items.parquet"
MANIFEST_FILE = "manifest.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def private_dir(path: Path) -> Path:
    """A directory only its owner can enter (0700), made if missing."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)  # mkdir's mode is masked by the umask, and an existing one kept its own
    return path


def make_private(root: Path) -> None:
    """A directory tree readable by its owner only: directories 0700, files 0600."""
    os.chmod(root, 0o700)
    for base, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(base, name), 0o700)
        for name in files:
            os.chmod(os.path.join(base, name), 0o600)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write atomically (temp file + rename) with fixed options, so bytes are reproducible.
    Item files hold answers: they are created 0600."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(tmp, 0o600)
    pq.write_table(table, tmp, compression="zstd", write_statistics=False)
    os.replace(tmp, path)


def write_json(data: Any, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def write_private(path: Path, data: bytes) -> None:
    """Atomically (temp file + rename), readable by the owner only (0600): keys and secrets."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o600)  # O_CREAT's mode does not apply to a file left by a crashed attempt
    os.replace(tmp, path)


def write_items(items: list[Item], path: Path) -> None:
    write_parquet(items_to_table(items), path)


def read_items(path: Path) -> list[Item]:
    return table_to_items(pq.read_table(path, schema=ITEM_SCHEMA))


def read_manifest(set_dir: str | Path) -> dict:
    """The manifest of a set directory, with a clear error for anything that is not one."""
    set_dir = Path(set_dir)
    if not set_dir.is_dir():
        raise MintbenchError(f"set directory {str(set_dir)!r} does not exist")
    for name in (ITEMS_FILE, MANIFEST_FILE):
        if not (set_dir / name).is_file():
            raise MintbenchError(f"{str(set_dir)!r} is not a set directory: {name} is missing")
    try:
        return json.loads((set_dir / MANIFEST_FILE).read_text())
    except ValueError as exc:
        raise MintbenchError(f"cannot read set {str(set_dir)!r}: {type(exc).__name__}") from None


def load_set(set_dir: str | Path) -> tuple[list[Item], dict]:
    """Items and manifest of a set directory."""
    manifest = read_manifest(set_dir)
    try:
        items = read_items(Path(set_dir) / ITEMS_FILE)
    except (ValueError, pa.ArrowException) as exc:
        raise MintbenchError(f"cannot read set {str(set_dir)!r}: {type(exc).__name__}") from None
    return items, manifest


def iter_set_items(set_dir: str | Path, batch_size: int = 2048) -> Iterator[list[Item]]:
    """The set's items in batches, so a large set never sits in memory as objects at once."""
    try:
        parquet = pq.ParquetFile(Path(set_dir) / ITEMS_FILE)
        for batch in parquet.iter_batches(batch_size=batch_size, columns=ITEM_SCHEMA.names):
            yield table_to_items(pa.Table.from_batches([batch]).cast(ITEM_SCHEMA))
    except (ValueError, pa.ArrowException) as exc:
        raise MintbenchError(f"cannot read set {str(set_dir)!r}: {type(exc).__name__}") from None


def check_hashes(set_dir: Path, manifest: dict) -> list[str]:
    """Names of files whose sha256 differs from the manifest."""
    bad = []
    for name, meta in manifest.get("files", {}).items():
        path = set_dir / name
        if not path.is_file() or sha256_file(path) != meta["sha256"]:
            bad.append(name)
    return bad


def ensure_writable_parent(out: Path) -> None:
    """Fail early, naming the directory, if the set cannot be written there.
    A real probe file, not os.access: root passes every access check."""
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise MintbenchError(f"output directory {str(parent)!r} is not writable ({exc.strerror})") from None
    if out.exists() and not out.is_dir():
        raise MintbenchError(f"output path {str(out)!r} exists and is not a directory")


@contextmanager
def staged_dir(out: Path) -> Iterator[Path]:
    """A sibling temp directory that replaces `out` only when the block succeeds:
    a failed run leaves nothing half-written behind. The set is private: 0700, files 0600."""
    ensure_writable_parent(out)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))  # 0700
    try:
        yield stage
        make_private(stage)
        if out.exists():
            trash = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, trash / out.name)
            os.replace(stage, out)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.replace(stage, out)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
