"""What exported tasks call at evaluation time: local grading for the owner, submission to
the grading service otherwise. Kept small: exported tasks import only this module."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

TOKEN_ENV, URL_ENV = "MINTBENCH_TOKEN", "MINTBENCH_GRADER_URL"
_submitted: dict[str, dict] = {}


def export_info(data: Path) -> dict:
    return json.loads((data / "export.json").read_text())


def owner_grader(data: Path) -> Callable[[str, str], str]:
    """item_id, response -> correct / wrong / unparsed, with answers decrypted in memory by the
    owner's age identity ($XDG_CONFIG_HOME/mintbench)."""
    from mintbench.releases.keys import load_keys, trusted_keys
    from mintbench.releases.release import items_in_dir, verify_dir
    from validators.grade import grade_response

    problems = verify_dir(data, trusted_keys(), allow=("export.json",))
    if problems:
        raise RuntimeError(f"the exported release does not verify: {problems[0]}")
    items = {i.item_id: i for i in items_in_dir(data, load_keys())}
    return lambda item_id, response: grade_response(items[item_id], response).status


def submit(data: Path, predictions: dict[str, str]) -> dict:
    """Aggregate scores from the grading service; one submission per distinct prediction set,
    however many metrics ask (quotas count submissions)."""
    import httpx

    info = export_info(data)
    key = hashlib.sha256(json.dumps([info["version"], predictions], sort_keys=True).encode()).hexdigest()
    if key in _submitted:
        return _submitted[key]
    token = os.environ.get(TOKEN_ENV)
    if not token:
        raise RuntimeError(f"set {TOKEN_ENV} to a grading-service token (`mintbench tokens add NAME` on the service)")
    url = os.environ.get(URL_ENV, info["grader_url"]).rstrip("/")
    reply = httpx.post(
        f"{url}/releases/{info['version']}/submissions",
        json={"predictions": predictions}, headers={"Authorization": f"Bearer {token}"}, timeout=600,
    )
    if reply.status_code != 200:
        raise RuntimeError(f"grading service answered {reply.status_code}: {reply.text[:300]}")
    _submitted[key] = reply.json()
    return _submitted[key]
