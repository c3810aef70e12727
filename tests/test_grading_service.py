"""The grading service on a real uvicorn server on loopback: auth, quotas, limits, validation,
aggregates only, and no sealed answer in any response or log line."""

import json
import logging
import subprocess
import sys
import threading
import time

import httpx
import pytest
import uvicorn

from streams import secret
from mintbench.create.build import SetSpec, run_local
from mintbench.difficulty.embedded import free_port
from mintbench.releases.keys import init_keys, load_keys
from mintbench.releases.release import publish, sealed_items
from mintbench.runners.service.app import Limits, create_app
from mintbench.runners.service.ledger import Ledger, Quota

VERSION = "2026.11"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("svc")
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CONFIG_HOME", str(tmp / "config"))
    init_keys()
    store = tmp / "store"
    publish(run_local(SetSpec(domain="math", count=12, secret=secret(8)), tmp / "set"), VERSION, store, load_keys())
    ledger = Ledger(tmp / "grader.sqlite")
    limits = Limits(max_body_bytes=64 * 1024, quota=Quota(per_day=3, total=4), min_coverage=0.5)
    port = free_port()
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    for name in ("uvicorn", "uvicorn.access", "uvicorn.error", "mintbench.grader"):
        logging.getLogger(name).addHandler(handler)
    logging.getLogger("mintbench.grader").setLevel(logging.INFO)
    server = uvicorn.Server(uvicorn.Config(create_app(str(store), ledger, load_keys(), limits), host="127.0.0.1", port=port, log_level="info"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    items = sealed_items(VERSION, store, load_keys())
    yield {"url": f"http://127.0.0.1:{port}", "ledger": ledger, "items": items, "logs": records, "store": store, "tmp": tmp}
    server.should_exit = True
    thread.join(10)
    mp.undo()


def _post(svc, body, token=None, version=VERSION, **kw):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{svc['url']}/releases/{version}/submissions", json=body, headers=headers, timeout=60, **kw)


def _gold(items, k):
    """Gold answers for the first k items, a wrong one for the rest."""
    return {i.item_id: (f"<answer>{i.answer}</answer>" if n < k else "<answer>12345</answer>") for n, i in enumerate(items)}


def test_public_endpoints_show_questions_never_answers(service):
    releases = httpx.get(f"{service['url']}/releases").json()
    assert [r["version"] for r in releases] == [VERSION]
    manifest = httpx.get(f"{service['url']}/releases/{VERSION}/manifest").json()
    assert manifest["counts"]["total"] == 12
    questions = httpx.get(f"{service['url']}/releases/{VERSION}/questions").json()
    assert {q["item_id"] for q in questions} == {i.item_id for i in service["items"]}
    assert all("answer" not in q for q in questions)


def test_submission_scores_aggregates_only_and_is_audited(service):
    token = service["ledger"].add_token("scorer")
    reply = _post(service, {"predictions": _gold(service["items"], 9)}, token)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["accuracy"] == pytest.approx(9 / 12)
    assert body["overall"]["correct"] == 9 and body["overall"]["wrong"] + body["overall"]["unparsed"] == 3
    assert set(body["by_domain"]) == {"math"} and body["by_label"]
    text = reply.text
    assert not any(i.item_id in text for i in service["items"])  # nothing per item
    stored = [s for s in service["ledger"].submissions(VERSION) if s["id"] == body["submission_id"]]
    assert stored and stored[0]["state"] == "scored" and stored[0]["report"]["accuracy"] == body["accuracy"]


def test_missing_wrong_and_revoked_tokens(service):
    preds = {"predictions": _gold(service["items"], 0)}
    assert _post(service, preds).status_code == 401
    assert _post(service, preds, "mbt_not-a-token").status_code == 401
    token = service["ledger"].add_token("leaver")
    service["ledger"].revoke("leaver")
    assert _post(service, preds, token).status_code == 403


def test_quota_exceeded_is_429_and_counts_only_scored_submissions(service):
    token = service["ledger"].add_token("quota")
    preds = {"predictions": _gold(service["items"], 2)}
    assert _post(service, {"predictions": {}}, token).status_code == 422  # refused: does not count
    assert [_post(service, preds, token).status_code for _ in range(3)] == [200, 200, 200]
    over = _post(service, preds, token)
    assert over.status_code == 429 and "daily quota" in over.json()["detail"] and int(over.headers["retry-after"]) > 0
    assert sum(s["token"] == "quota" for s in service["ledger"].submissions()) == 3


def test_oversized_body_is_413_with_or_without_content_length(service):
    token = service["ledger"].add_token("big")
    huge = {"predictions": {service["items"][0].item_id: "x" * 100_000}}
    assert _post(service, huge, token).status_code == 413

    def chunks():
        data = json.dumps(huge).encode()
        for k in range(0, len(data), 8192):
            yield data[k : k + 8192]

    reply = httpx.post(f"{service['url']}/releases/{VERSION}/submissions", content=chunks(),
                       headers={"Authorization": f"Bearer {token}", "content-type": "application/json"}, timeout=60)
    assert reply.status_code == 413


def test_malformed_json_unknown_ids_and_low_coverage_are_422_naming_the_problem(service):
    token = service["ledger"].add_token("sloppy")
    bad = httpx.post(f"{service['url']}/releases/{VERSION}/submissions", content=b'{"predictions": {',
                     headers={"Authorization": f"Bearer {token}", "content-type": "application/json"}, timeout=60)
    assert bad.status_code == 422 and "json" in bad.text.lower()
    unknown = _post(service, {"predictions": {**_gold(service["items"], 0), "nope-1": "x"}}, token)
    assert unknown.status_code == 422 and "unknown item id" in unknown.text and "nope-1" in unknown.text
    typed = _post(service, {"predictions": {service["items"][0].item_id: 5}}, token)
    assert typed.status_code == 422 and "predictions" in typed.text
    extra = _post(service, {"predictions": _gold(service["items"], 0), "answers": {}}, token)
    assert extra.status_code == 422 and "answers" in extra.text
    few = _post(service, {"predictions": dict(list(_gold(service["items"], 1).items())[:2])}, token)
    assert few.status_code == 422 and "cover 2 of 12" in few.text


@pytest.mark.parametrize("path", [
    "/releases/..%2F..%2Fetc/manifest", "/releases/../../etc/passwd", "/releases/2026.13/manifest",
    "/releases/2026.11.01-math-zzzzzzz/questions", "/releases/2099.01/manifest", "/releases/%00/manifest",
    "/releases/2026.11%2F..%2Fchannels/manifest",
])
def test_path_traversal_and_odd_versions_are_404(service, path):
    assert httpx.get(service["url"] + path).status_code == 404


def test_no_response_or_log_line_contains_a_sealed_answer(service):
    token = service["ledger"].add_token("auditor")
    replies = [
        _post(service, {"predictions": _gold(service["items"], 12)}, token),
        _post(service, {"predictions": {"zz": "x"}}, token),
        httpx.get(f"{service['url']}/releases/{VERSION}/questions"),
    ]
    answers = {i.answer for i in service["items"] if len(i.answer) >= 4}
    for reply in replies:
        assert not any(f"<answer>{a}</answer>" in reply.text or f'"{a}"' in reply.text for a in answers)
    logs = "\n".join(service["logs"])
    assert "submission" in logs
    assert not any(a in logs for a in answers)


def test_tokens_cli_prints_the_token_last_and_stores_only_its_hash(tmp_path):
    store = tmp_path / "store"
    out = subprocess.run([sys.executable, "-m", "mintbench.cli", "tokens", "add", "bob", "--store", str(store)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    token = out.stdout.strip().splitlines()[-1]
    assert token.startswith("mbt_")
    db = tmp_path / "store.grader.sqlite"
    assert db.is_file() and token.encode() not in db.read_bytes()
    assert Ledger(db).lookup(token) == ("bob", True)
    again = subprocess.run([sys.executable, "-m", "mintbench.cli", "tokens", "add", "bob", "--store", str(store)], capture_output=True, text=True)
    assert again.returncode == 2 and "already exists" in again.stderr
