"""Prefect defaults mintbench relies on, applied before Prefect is imported.

Each is only a default: a value already in the environment wins.
"""

import os

DEFAULTS = {
    # The temporary API needs ~20 s on an idle 2-core machine; under load it needs more.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


def apply_defaults() -> None:
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
