"""The release store: a local directory (default `outputs/releases`) or any fsspec URL
(`s3://bucket/prefix`, with `AWS_ENDPOINT_URL` for S3-compatible servers such as MinIO).

A release is published when its `manifest.sig` exists. Locally the whole directory appears
at once (a temporary directory renamed into place); on object storage, where there is no
rename, every other file is uploaded first and the signature last, so a half-uploaded release
is never seen as published and publishing it again replaces the remains.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import fsspec
from fsspec.implementations.local import LocalFileSystem

from mintbench.errors import MintbenchError

MARKER = "manifest.sig"  # written last: its presence is what "published" means


class Store:
    def __init__(self, location: str | Path):
        self.location = str(location)
        try:
            self.fs, self.root = fsspec.core.url_to_fs(self.location)
        except (ImportError, ValueError) as exc:
            raise MintbenchError(f"cannot open release store {self.location!r}: {exc}") from None
        self.local = isinstance(self.fs, LocalFileSystem)
        self.fs.invalidate_cache()  # fsspec shares instances; other writers may have changed the store
        self.root = self.root.rstrip("/")

    def __str__(self) -> str:
        return self.location

    def path(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def is_published(self, version: str) -> bool:
        return self.fs.exists(self.path(version, MARKER))

    def has(self, version: str, name: str) -> bool:
        return self.fs.exists(self.path(version, name))

    def exists(self, version: str) -> bool:
        """Anything at all under the version: locally a directory is never half there."""
        return self.fs.exists(self.path(version)) if self.local else self.is_published(version)

    def versions(self) -> list[str]:
        """Published versions, sorted."""
        try:
            found = self.fs.glob(self.path("*", MARKER))
        except FileNotFoundError:
            return []
        names = (p.rstrip("/").split("/")[-2] for p in found)
        return sorted(n for n in names if not n.startswith("."))  # dot directories: unfinished stages

    def open(self, version: str, name: str, mode: str = "rb") -> IO:
        return self.fs.open(self.path(version, name), mode)

    def read_bytes(self, version: str, name: str) -> bytes:
        with self.open(version, name) as fh:
            return fh.read()

    def manifests(self) -> list[dict]:
        out = []
        for version in self.versions():
            try:
                out.append(json.loads(self.read_bytes(version, "manifest.json")))
            except (ValueError, FileNotFoundError):
                continue
        return out

    def write_bytes(self, version: str, name: str, data: bytes) -> None:
        tmp = self.path(version, f".{name}.tmp")
        with self.fs.open(tmp, "wb") as fh:
            fh.write(data)
        self.fs.mv(tmp, self.path(version, name))

    @contextmanager
    def staging(self, version: str) -> Iterator[Path]:
        """A local directory to write release `version` into; on success it is published."""
        if self.local:
            Path(self.root).mkdir(parents=True, exist_ok=True)
            for stale in Path(self.root).glob(f".{version}.*"):  # left by a killed publish
                shutil.rmtree(stale, ignore_errors=True)
            stage = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=self.root))
        else:
            stage = Path(tempfile.mkdtemp(prefix=f"mintbench-{version}."))
        try:
            yield stage
            self._publish(stage, version)
        finally:
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)

    def _publish(self, stage: Path, version: str) -> None:
        if self.local:
            stage.chmod(0o755)
            stage.rename(Path(self.root) / version)  # all or nothing
            return
        names = sorted(p.name for p in stage.iterdir())
        for name in [n for n in names if n != MARKER] + [MARKER]:
            self.fs.put_file(str(stage / name), self.path(version, name))

    @contextmanager
    def local_copy(self, version: str) -> Iterator[Path]:
        """The release as a local directory: the directory itself, or a temporary download."""
        if self.local:
            yield Path(self.root) / version
            return
        with tempfile.TemporaryDirectory(prefix=f"mintbench-{version}.") as tmp:
            if self.fs.exists(self.path(version)):
                for remote in self.fs.find(self.path(version)):
                    rel = remote[len(self.path(version)) + 1 :]
                    if "/" not in rel and not rel.startswith("."):
                        self.fs.get_file(remote, str(Path(tmp) / rel))
            yield Path(tmp)

    def set_pointer(self, channel: str, version: str) -> None:
        data = (json.dumps({"latest": version}, indent=2, sort_keys=True) + "\n").encode()
        if self.local:
            (Path(self.root) / "channels").mkdir(parents=True, exist_ok=True)
        self.write_bytes("channels", f"{channel}.json", data)


def as_store(location: str | Path | Store) -> Store:
    return location if isinstance(location, Store) else Store(location)
