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
from typing import Iterator

from mintbench.releases.keys import verify_signature

log = logging.getLogger("mintbench.releases")
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"


def _channel_of(version: str) -> str:
    import re

    return "monthly" if re.fullmatch(r"\d{4}\.\d{2}", version) else "on-demand"


def signed_manifest(store, version: str, trusted: dict[str, str]) -> dict | None:
    """The release's manifest if a trusted key signed it and it names this version; else None."""
    try:
        data, sig = store.read_bytes(version, MANIFEST), store.read_bytes(version, SIGNATURE)
        manifest = json.loads(data)
    except (OSError, ValueError):
        manifest = None
    if (not isinstance(manifest, dict) or manifest.get("signing_key") not in trusted
            or not verify_signature(str(manifest["signing_key"]), data, sig)
            or manifest.get("version") != version or manifest.get("channel") != _channel_of(version)):
        log.warning("skipping %s in %s: not a release signed by a trusted key", version, store)
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
