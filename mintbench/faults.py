"""Named crash points, for the kill-and-rerun tests of crash safety.

`MINTBENCH_KILL_AT=<name>` makes the process SIGKILL itself the first time it reaches the
checkpoint of that name: no cleanup handler, `finally` block or flush runs, exactly as when
the machine dies there. Unset (always, outside those tests) a checkpoint does nothing.
"""

from __future__ import annotations

import os
import signal

ENV = "MINTBENCH_KILL_AT"
POINTS = ("create:shard", "refresh:fetched-page", "refresh:created", "refresh:filtered", "publish:staged", "publish:published")


def checkpoint(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
