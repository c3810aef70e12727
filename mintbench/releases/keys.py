"""The owner's keys: an age identity (answers are encrypted to its recipient) and an Ed25519
signing key (every manifest is signed). They live under $XDG_CONFIG_HOME/mintbench
(default ~/.config/mintbench), written 0600, and never inside a release store."""

from __future__ import annotations

import os
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


def load_keys(directory: Path | None = None) -> Keys:
    return Keys(directory or config_dir())


def verify_signature(public_hex_key: str, data: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex_key)).verify(signature, data)
        return True
    except (InvalidSignature, ValueError):
        return False
