"""Per-user directories mintbench reads and writes outside any working directory."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """Rebuildable data shared by every working directory of this user (the parsed PubChem
    snapshot, assembled model weights): `$MINTBENCH_CACHE_DIR`, else `$XDG_CACHE_HOME/mintbench`,
    else `~/.cache/mintbench`. Read when used, so a setting takes effect at once."""
    if os.environ.get("MINTBENCH_CACHE_DIR"):
        return Path(os.environ["MINTBENCH_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mintbench"
