"""Prefect defaults mintbench relies on, applied before Prefect is imported.

Each is only a default: a value already in the environment wins.
"""

import os
from pathlib import Path

DEFAULTS = {
    # The temporary API needs ~20 s on an idle 2-core machine; under load it needs more.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


def apply_defaults() -> None:
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    make_home_private()


def make_home_private() -> None:
    """Prefect's home holds its database: flow runs, task runs, logs and events. mintbench
    keeps secrets out of it, but it is still the owner's business alone: 0700, files 0600."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(home, 0o700)
        for path in home.glob("prefect.db*"):
            os.chmod(path, 0o600)
    except OSError:
        pass  # an unwritable home is Prefect's own error to report, with its own message
