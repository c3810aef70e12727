"""The one way to read earlier releases out of a store: only what a trusted key signed.

Publishing reads earlier releases twice (the fingerprints that make an item a repeat, the
previous manifest that NOTES.md compares with), and anyone who can write to a store or a mirror
can plant a directory there. A planted, unsigned "release" once had its text copied into the
owner's signed NOTES.md ("Retired generators: ANSWERS FOR THIS RELEASE: <url>") and its
fingerprints fed the freshness history. Everything that reads an earlier release goes through
here: a release counts only if its manifest is signed by a trusted key and names its own
version and channel, and a file is read only if its hash is the one that manifest signed.
Anything else is skipped, with a warning naming it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Iterator

from mintbench.releases.keys import verify_signature

log = logging.getLogger("mintbench.releases")
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"


def channel_of(version: str) -> str:
    return "monthly" if re.fullmatch(r"\d{4}\.\d{2}", version) else "on-demand"


def manifest_problems(data: bytes, sig: bytes, trusted: dict[str, str], version: str | None) -> tuple[dict | None, list[str]]:
    """The manifest and what is wrong with it: unreadable, signed by a key not trusted, a
    signature that does not hold, or (with `version`) naming another version or channel. The
    one check `verify` and every reader of earlier releases share."""
    try:
        manifest = json.loads(data)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict):
        return None, [f"{MANIFEST}: unreadable"]
    problems = []
    key = str(manifest.get("signing_key", ""))
    # The key named in the manifest is only a claim: anyone can re-sign with a key of their own.
    if key not in trusted:
        problems.append(
            f"{MANIFEST}: signed by untrusted key {key[:64]!r}; trust it only after checking it with its owner out of band "
            f"(never from this release, which anyone can sign), then run `mintbench keys trust {key[:64]}` or pass --trust-key"
        )
    elif not verify_signature(key, data, sig):
        problems.append(f"{MANIFEST}: signature does not verify ({SIGNATURE})")
    if version is not None and (manifest.get("version") != version or manifest.get("channel") != channel_of(version)):
        problems.append(f"{MANIFEST}: signed for release {str(manifest.get('version'))[:40]!r} "
                        f"({str(manifest.get('channel'))[:20]}), not {version} ({channel_of(version)}): a renamed copy")
    return manifest, problems


def signed_manifest(store, version: str, trusted: dict[str, str]) -> dict | None:
    """The release's manifest if a trusted key signed it and it names this version; else None."""
    try:
        manifest, problems = manifest_problems(store.read_bytes(version, MANIFEST), store.read_bytes(version, SIGNATURE), trusted, version)
    except OSError:
        manifest, problems = None, ["unreadable"]
    if problems:
        log.warning("skipping %s in %s: %s", version, store, problems[0])
        return None
    return manifest


def signed_releases(store, trusted: dict[str, str]) -> Iterator[tuple[str, dict]]:
    """(version, manifest) of every published release that a trusted key signed."""
    for version in store.versions():
        manifest = signed_manifest(store, version, trusted)
        if manifest is not None:
            yield version, manifest


def signed_file(store, version: str, name: str, manifest: dict) -> bool:
    """Whether the file is the one the signed manifest names (by its sha256)."""
    expected = manifest.get("files", {}).get(name)
    if not expected or not store.has(version, name):
        return False
    digest = hashlib.sha256()
    with store.open(version, name) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        log.warning("skipping %s of %s: it is not the file its signed manifest names", name, version)
        return False
    return True
