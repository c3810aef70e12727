"""The owner's keys: an age identity (answers are encrypted to its recipient) and an Ed25519
signing key (every manifest is signed). They live under $XDG_CONFIG_HOME/mintbench
(default ~/.config/mintbench), written 0600, and never inside a release store.

Trust is pinned, never read from a release: a manifest names its signer, but `verify` accepts
only keys listed in `trusted_keys` in the same directory (the owner's own keys are added when
they are made, a channel's key when it first publishes, others by `mintbench keys trust`) or
passed explicitly. A forger who re-signs a release with a fresh key fails there."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from datetime import datetime, timezone
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from mintbench.errors import MintbenchError
from mintbench.items.setdir import write_private

AGE_KEY, AGE_PUB, SIGN_KEY, SIGN_PUB = "age.key", "age.pub", "signing.key", "signing.pub"
TRUSTED = "trusted_keys"
KEY_RE = re.compile(r"^[0-9a-f]{64}$")


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mintbench"


def init_keys(directory: Path | None = None, force: bool = False) -> Path:
    directory = directory or config_dir()
    if (directory / AGE_KEY).exists() and not force:
        raise MintbenchError(f"keys already exist in {directory}; pass --force to replace them (old releases stay sealed to the old key)")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    identity = pyrage.x25519.Identity.generate()
    signing = Ed25519PrivateKey.generate()
    write_private(directory / AGE_KEY, str(identity).encode() + b"\n")
    (directory / AGE_PUB).write_text(str(identity.to_public()) + "\n")
    write_private(directory / SIGN_KEY, signing.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (directory / SIGN_PUB).write_text(public_hex(signing.public_key()) + "\n")
    # A replaced key stays trusted, so the releases it signed still verify (rotation).
    trust_key(public_hex(signing.public_key()), f"own key made {datetime.now(timezone.utc):%Y-%m-%d}", directory)
    return directory


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


@dataclass
class Keys:
    directory: Path

    def _read(self, name: str) -> bytes:
        path = self.directory / name
        if not path.is_file():
            raise MintbenchError(f"{path} is missing: run `mintbench keys init` first")
        return path.read_bytes()

    def recipient(self) -> pyrage.x25519.Recipient:
        return pyrage.x25519.Recipient.from_str(self._read(AGE_PUB).decode().strip())

    def identity(self) -> pyrage.x25519.Identity:
        return pyrage.x25519.Identity.from_str(self._read(AGE_KEY).decode().strip())

    def signer(self) -> Ed25519PrivateKey:
        return serialization.load_pem_private_key(self._read(SIGN_KEY), password=None)

    def verify_key_hex(self) -> str:
        return self._read(SIGN_PUB).decode().strip()

    def freshness_key(self) -> str:
        """A secret derived from the age identity that keys the problem hashes in public
        fingerprints: stable for as long as the identity, never written anywhere."""
        return hmac.new(self._read(AGE_KEY).strip(), b"mintbench freshness v1", hashlib.sha256).hexdigest()


def load_keys(directory: Path | None = None) -> Keys:
    return Keys(directory or config_dir())


def verify_signature(public_hex_key: str, data: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex_key)).verify(signature, data)
        return True
    except (InvalidSignature, ValueError):
        return False


def check_key(key: str) -> str:
    key = (key or "").strip().lower()
    if not KEY_RE.match(key):
        raise MintbenchError(f"bad signing key {key[:80]!r}; expected 64 hex digits (an Ed25519 public key, as in signing.pub)")
    return key


def trusted_keys(directory: Path | None = None, extra: tuple[str, ...] | list[str] = ()) -> dict[str, str]:
    """Signing keys this user trusts: key -> label. The owner's current key is always in."""
    directory = directory or config_dir()
    found = _listed(directory)
    if (directory / SIGN_PUB).is_file():
        found.setdefault((directory / SIGN_PUB).read_text().strip(), "own key")
    for key in extra:
        found.setdefault(check_key(key), "passed explicitly")
    return found


def _listed(directory: Path) -> dict[str, str]:
    path, found = directory / TRUSTED, {}
    for line in path.read_text().splitlines() if path.is_file() else []:
        key, _, label = line.strip().partition(" ")
        if KEY_RE.match(key):
            found[key] = label.strip()
    return found


def trust_key(key: str, label: str, directory: Path | None = None) -> None:
    directory = directory or config_dir()
    key = check_key(key)
    label = " ".join(label.split())[:120]
    listed = _listed(directory)
    if key not in listed:
        _write_listed(directory, {**listed, key: label})


def distrust_key(key: str, directory: Path | None = None) -> None:
    directory = directory or config_dir()
    key = check_key(key)
    _write_listed(directory, {k: v for k, v in _listed(directory).items() if k != key})


def _write_listed(directory: Path, keys: dict[str, str]) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private(directory / TRUSTED, "".join(f"{k} {v}\n" for k, v in keys.items()).encode())


def pin_channel(store: str, channel: str, key: str, directory: Path | None = None) -> None:
    """A channel's signing key is pinned the first time it publishes: later releases of that
    channel verify only under a trusted key, and rotation is an explicit `keys trust`."""
    trust_key(key, f"channel {channel} of {store}", directory)
