"""What exported tasks call at evaluation time. Copied into every Inspect and lm-eval export as
`mintbench_runtime.py`: closed mode needs nothing but the Python standard library (the runner
may not have mintbench, and must not fetch a package by that name from an index); owner mode
imports mintbench, which its README says how to install."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable

TOKEN_ENV, URL_ENV = "MINTBENCH_TOKEN", "MINTBENCH_GRADER_URL"
_submitted: dict[str, dict] = {}


def export_info(data: Path) -> dict:
    return json.loads((Path(data) / "export.json").read_text())


def questions(data: Path) -> list[dict]:
    """The public rows (item_id, domain, level, format, lang, question, choices, difficulty_label)."""
    with open(Path(data) / "questions.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def owner_grader(data: Path) -> Callable[[str, str], str]:
    """item_id, response -> correct / wrong / unparsed, with answers decrypted in memory by the
    owner's age identity ($XDG_CONFIG_HOME/mintbench)."""
    try:
        from mintbench.releases.keys import load_keys, trusted_keys
        from mintbench.releases.release import items_in_dir, verify_dir
        from validators.sandbox import grade_guarded
    except ImportError:
        raise RuntimeError("an owner-mode export grades with mintbench: install it as this export's README says") from None

    problems = verify_dir(Path(data), trusted_keys(), allow=("export.json", "questions.jsonl"))
    if problems:
        raise RuntimeError(f"the exported release does not verify: {problems[0]}")
    items = {i.item_id: i for i in items_in_dir(Path(data), load_keys())}
    return lambda item_id, response: grade_guarded([(items[item_id], response)])[0].status


def submit(data: Path, predictions: dict[str, str]) -> dict:
    """Aggregate scores from the grading service; one submission per distinct prediction set,
    however many metrics ask (quotas count submissions)."""
    info = export_info(data)
    key = hashlib.sha256(json.dumps([info["version"], predictions], sort_keys=True).encode()).hexdigest()
    if key in _submitted:
        return _submitted[key]
    token = os.environ.get(TOKEN_ENV)
    if not token:
        raise RuntimeError(f"set {TOKEN_ENV} to a grading-service token (`mintbench tokens add NAME` on the service)")
    url = grader_url(info)
    request = urllib.request.Request(
        f"{url}/releases/{info['version']}/submissions", data=json.dumps({"predictions": predictions}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, method="POST",
    )
    try:
        with _NO_REDIRECTS.open(request, timeout=600) as reply:
            _submitted[key] = json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"grading service answered {exc.code} ({str(exc.reason)[:200]}): {exc.read()[:300].decode(errors='replace')}") from None
    return _submitted[key]


def released_accuracy(report: dict) -> float:
    """The service's released score, or NaN (with the service's reason on stderr) where it
    withheld one: a degenerate submission releases nothing."""
    if report.get("accuracy") is None:
        print(f"mintbench: the grading service released no score: {report.get('withheld', 'no reason given')}", file=sys.stderr)
        return float("nan")
    return float(report["accuracy"])


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def grader_url(info: dict) -> str:
    """Where the token may go: only the address the user gave in MINTBENCH_GRADER_URL. The
    export's own grader_url is a hint, never a destination: export.json is not signed, and a
    tampered one sent a lab's token to another listener, which replied with a score of 0.99.
    Plain http is refused except to this machine."""
    url = os.environ.get(URL_ENV, "").strip().rstrip("/")
    if not url:
        raise RuntimeError(
            f"set {URL_ENV} to your grading service's address: the token is sent only where you say. This export names "
            f"{str(info.get('grader_url'))[:100]!r}, but an export file is not signed: check that address with whoever issued your token"
        )
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        return url
    raise RuntimeError(f"{URL_ENV} must be an https:// address (plain http only to this machine): a token sent in the clear can be read on the way")


class _Refuse(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the Authorization header to wherever the reply points."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"grading service redirected to another address ({msg}); not followed", headers, fp)


_NO_REDIRECTS = urllib.request.build_opener(_Refuse)
