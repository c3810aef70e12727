"""The grading service on a real uvicorn server on loopback: auth, quotas, limits, validation,
aggregates only, and no sealed answer in any response or log line."""

import json
import logging
import math
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
from mintbench.results.stats import on_grid
from mintbench.runners.service.disclosure import Disclosure, public_part
from mintbench.runners.service.ledger import Ledger, Quota

VERSION = "2026.11"


def _start(tmp_path_factory, name, sets, limits, results=False):
    """A release of `sets` ((domain, count) pairs) served on loopback; yields the handles."""
    tmp = tmp_path_factory.mktemp(name)
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CONFIG_HOME", str(tmp / "config"))
    init_keys()
    store = tmp / "store"
    dirs = [run_local(SetSpec(domain=d, count=n, secret=secret(8)), tmp / d) for d, n in sets]
    publish(dirs, VERSION, store, load_keys())
    ledger = Ledger(tmp / "grader.sqlite")
    port = free_port()
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    for name in ("uvicorn", "uvicorn.access", "uvicorn.error", "mintbench.grader"):
        logging.getLogger(name).addHandler(handler)
    logging.getLogger("mintbench.grader").setLevel(logging.INFO)
    results_path = tmp / "results.sqlite" if results else None
    app = create_app(str(store), ledger, load_keys(), limits, results_path=results_path)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    items = sealed_items(VERSION, store, load_keys())
    yield {"url": f"http://127.0.0.1:{port}", "ledger": ledger, "items": items, "logs": records, "store": store, "tmp": tmp, "limits": limits,
           "results": results_path}
    server.should_exit = True
    thread.join(10)
    mp.undo()


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    limits = Limits(max_body_bytes=64 * 1024, quota=Quota(per_day=3, total=4), min_coverage=0.5,
                    disclosure=Disclosure(step=0.01, min_cell=5), reply_quantum_s=0.05)
    yield from _start(tmp_path_factory, "svc", [("math", 12)], limits)


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
    public = _public_ids(service)
    right = {i.item_id for i in service["items"][:9]}
    assert body["accuracy"] == on_grid(len(public & right) / len(public), 0.01) and body["improved"] is True
    assert body["scored_items"] == len(public) and body["answered"] == 12
    assert not any(key.startswith("by_") for key in body)  # no breakdown during the embargo
    assert "correct" not in reply.text and "overall" not in body  # no exact counts
    text = reply.text
    assert not any(i.item_id in text for i in service["items"])  # nothing per item
    stored = [s for s in service["ledger"].submissions(VERSION) if s["id"] == body["submission_id"]]
    assert stored and stored[0]["state"] == "scored" and stored[0]["report"]["accuracy"] == body["accuracy"]
    assert stored[0]["report"]["exact"]["overall"]["correct"] == 9  # the owner's audit trail keeps the exact figures


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
    assert unknown.status_code == 422 and "1 unknown item id" in unknown.text and "nope-1" not in unknown.text
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


# -- the outsider with a token, probing for single items ---------------------------------------
@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    """A 3-domain release large enough for breakdown cells, with room in the quota to probe."""
    # The slot must be longer than grading a submission takes: at 0.05 s, grading 44 right
    # answers on a machine loaded by a parallel test worker crossed into the next slot more often
    # than 44 wrong ones, and 200 submissions told them apart (p = 7e-5).
    limits = Limits(quota=Quota(per_day=1000, total=1000), min_coverage=0.5,
                    disclosure=Disclosure(step=0.05, min_cell=10), reply_quantum_s=0.25)
    yield from _start(tmp_path_factory, "probe", [("math", 20), ("biology", 12), ("chemistry", 12)], limits)


def _without(body, *keys):
    return {k: v for k, v in body.items() if k not in keys}


def _wrong(items) -> dict[str, str]:
    """A wrong answer of each item's own shape (another letter, the other truth value, a number
    elsewhere): a submission of these is answered, not degenerate, whatever the format mix."""
    out = {}
    for k, i in enumerate(items):
        if i.answer_type == "choice":
            w = next(c for c in "ABCD" if c != i.answer)
        elif i.answer_type == "boolean":
            w = "false" if i.answer == "true" else "true"
        else:
            w = str(7919 + k)
        out[i.item_id] = f"<answer>{w}</answer>"
    return out


def _public_ids(svc) -> frozenset[str]:
    """The owner's view of the split (the ledger holds its salt); an outsider has no way to it."""
    return public_part([i.item_id for i in svc["items"]], svc["ledger"].split_salt(VERSION), svc["limits"].disclosure.public_share)


def test_the_filler_and_probe_campaign_learns_nothing(probed):
    """Filler that is wrong for every answer type and never repeats ('maybe 123', 'maybe 124',
    ...) around three probes, right or wrong, over five pairs of submissions from fresh tokens
    (each token's first reply once released full figures): every reply is the same. Hedged
    filler makes the submission degenerate, and a degenerate submission releases nothing."""
    items = sorted(probed["items"], key=lambda i: i.item_id)
    replies = {True: [], False: []}
    for round_ in range(5):
        probes = items[3 * round_ : 3 * round_ + 3]
        for right in (True, False):
            token = probed["ledger"].add_token(f"filler-{round_}-{right}")
            preds = {i.item_id: f"<answer>maybe {123 + k}</answer>" for k, i in enumerate(items)}
            preds.update({i.item_id: f"<answer>{i.answer if right else 7919}</answer>" for i in probes})
            reply = _post(probed, {"predictions": preds}, token)
            assert reply.status_code == 200, reply.text
            replies[right].append(_without(reply.json(), "submission_id"))
    assert replies[True] == replies[False]
    assert all(r["accuracy"] is None and "hedged" in r["withheld"] and not r["improved"] for r in replies[True])


def test_the_ladder_threshold_probe_learns_only_public_bits_within_the_bound(probed):
    """The lab sits one public item below the Ladder's next step (it had to know the answers and
    the split to get there: the owner's view plays it), then flips one item per submission. A
    private item never changes a reply; a public item changes only `improved` and the grid value,
    within log2(1 + 1/step) bits per reply. No reply carries a breakdown cell."""
    items = sorted(probed["items"], key=lambda i: i.item_id)
    public = _public_ids(probed)
    assert 0 < len(public) < len(items)
    step = probed["limits"].disclosure.step
    token = probed["ledger"].add_token("threshold")
    wrong = _wrong(items)
    first = _post(probed, {"predictions": wrong}, token).json()
    assert first["accuracy"] == 0.0 and first["improved"] is True
    assert not any(key.startswith("by_") for key in first) and first["scored_items"] == len(public)
    replies = []
    # Every private item, then a public one (the owner's view orders them; the lab cannot).
    for item in [i for i in items if i.item_id not in public] + [next(i for i in items if i.item_id in public)]:
        flipped = {**wrong, item.item_id: f"<answer>{item.answer}</answer>"}
        reply = _without(_post(probed, {"predictions": flipped}, token).json(), "submission_id")
        replies.append((item.item_id in public, reply))
    private = [reply for in_public, reply in replies if not in_public]
    assert private and all(reply == {**_without(first, "submission_id"), "improved": False} for reply in private)
    in_public, last = replies[-1]
    assert in_public and last["improved"] == (on_grid(1 / len(public), step) >= step)
    # The whole campaign drew at most two distinct replies: one bit, inside the stated bound.
    assert len({json.dumps(r, sort_keys=True) for _, r in replies}) <= 2 <= 2 ** probed["limits"].disclosure.bits_per_reply()


def test_a_near_copy_of_an_earlier_submission_gets_the_same_reply(probed):
    """The Ladder: flipping one item of a submission moves its score by less than the step, so
    the reply repeats the released figures and says nothing new."""
    items = probed["items"]
    token = probed["ledger"].add_token("ladder")
    base = {i.item_id: (f"<answer>{i.answer}</answer>" if k % 2 else f"<answer>{1000 + k}</answer>") for k, i in enumerate(items)}
    first = _post(probed, {"predictions": base}, token).json()
    assert first["improved"] is True and not any(key.startswith("by_") for key in first)
    for k, i in enumerate(items):
        if k % 2 == 0:
            flipped = {**base, i.item_id: f"<answer>{i.answer}</answer>"}
            again = _post(probed, {"predictions": flipped}, token).json()
            if again["improved"]:  # one public item was worth a step here: the new figures stand
                first = again
                continue
            assert _without(again, "submission_id", "improved") == _without(first, "submission_id", "improved")
            break


def test_a_response_that_breaks_a_grader_is_unparsed_in_a_normal_reply_and_counts(probed, monkeypatch):
    """'1,894' made the integer grader raise AttributeError (a 500 that released the quota: free
    probes). Now any grader failure is an `unparsed` verdict in a normal reply, and it counts;
    so is a response that runs past the grading budget (the hung worker is replaced)."""
    monkeypatch.setenv("MINTBENCH_GRADER_STALL", "<answer>hang</answer>")  # read by a newly started sandbox worker
    monkeypatch.setenv("MINTBENCH_GRADE_WALL_S", "3")  # the backstop for a hang, short for the test
    import validators.sandbox

    validators.sandbox.close_all()  # the next grading starts a worker that sees the variable
    token = probed["ledger"].add_token("crasher")
    items = probed["items"]
    hostile = {i.item_id: "<answer>hang</answer>" if k < 2 else ("<answer>1, 2</answer>", "<answer>1,894</answer>")[k % 2]
               for k, i in enumerate(items)}
    before = sum(s["token"] == "crasher" for s in probed["ledger"].submissions())
    reply = _post(probed, {"predictions": hostile}, token)
    assert reply.status_code == 200, reply.text
    scored = [s for s in probed["ledger"].submissions() if s["token"] == "crasher" and s["state"] == "scored"]
    assert len(scored) == before + 1
    exact = scored[-1]["report"]["exact"]["overall"]
    assert exact["correct"] == 0 and exact["unparsed"] >= len(items) // 2
    validators.sandbox.close_all()


def test_reply_time_does_not_depend_on_correctness(probed):
    """200 timed submissions, all right or all wrong in turn: no measurable difference. Power:
    Mann-Whitney on 100 + 100 replies at the 0.01 level finds a shift of half the replies'
    spread (0.49 SD) 80 % of the time, and fails an honest service 1 % of the time."""
    from scipy.stats import mannwhitneyu

    items = probed["items"]
    right = {i.item_id: f"<answer>{i.answer}</answer>" for i in items}
    wrong = _wrong(items)
    times = {"right": [], "wrong": []}
    with httpx.Client(timeout=60) as client:
        tokens = {kind: probed["ledger"].add_token(f"timer-{kind}") for kind in times}
        for n in range(200):
            kind = "right" if n % 2 else "wrong"
            started = time.perf_counter()
            reply = client.post(f"{probed['url']}/releases/{VERSION}/submissions", json={"predictions": right if kind == "right" else wrong},
                                headers={"Authorization": f"Bearer {tokens[kind]}"})
            times[kind].append(time.perf_counter() - started)
            assert reply.status_code == 200
    p = mannwhitneyu(times["right"], times["wrong"]).pvalue
    assert p > 0.01, (p, sorted(times["right"])[50], sorted(times["wrong"])[50])


def test_slow_responses_void_no_honest_answer_in_a_submission(probed, monkeypatch):
    """Three responses over the CPU budget, then the gold answers: every gold is credited (it was
    0 of 20 once three overruns had voided the rest of the submission)."""
    import validators.sandbox

    monkeypatch.setenv("MINTBENCH_GRADER_BURN", "1")
    validators.sandbox.close_all()  # the next grading starts a worker that sees the variable
    token = probed["ledger"].add_token("slow-then-gold")
    items = sorted(probed["items"], key=lambda i: i.item_id)
    predictions = {i.item_id: "<answer>burn 3</answer>" if k < 3 else f"<answer>{i.answer}</answer>" for k, i in enumerate(items)}
    reply = _post(probed, {"predictions": predictions}, token)
    assert reply.status_code == 200, reply.text
    scored = [s for s in probed["ledger"].submissions() if s["token"] == "slow-then-gold"]
    exact = scored[-1]["report"]["exact"]["overall"]
    assert exact["correct"] == len(items) - 3 and exact["unparsed"] == 3
    validators.sandbox.close_all()


def test_an_overrunning_submission_does_not_delay_another_tokens_reply(probed, monkeypatch):
    """Token A sends three responses over the CPU budget; token B, an honest submission, arrives
    just after: B's reply leaves in its own first slots, not after A's overruns (one shared
    worker made B wait 12 s instead of 0.5 s)."""
    import concurrent.futures
    import validators.sandbox

    monkeypatch.setenv("MINTBENCH_GRADER_BURN", "1")
    validators.sandbox.close_all()  # the next gradings start workers that see the variable
    items = sorted(probed["items"], key=lambda i: i.item_id)
    slow = {i.item_id: "<answer>burn 1.5</answer>" if k < 3 else f"<answer>{i.answer}</answer>" for k, i in enumerate(items)}
    honest = {i.item_id: f"<answer>{i.answer}</answer>" for i in items}
    tokens = {name: probed["ledger"].add_token(name) for name in ("overrunner", "bystander")}
    _post(probed, {"predictions": honest}, probed["ledger"].add_token("warm-up"))  # both workers warm, after the restart

    def timed(predictions, token):
        started = time.perf_counter()
        reply = _post(probed, {"predictions": predictions}, token)
        return reply.status_code, time.perf_counter() - started

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow_reply = pool.submit(timed, slow, tokens["overrunner"])
        time.sleep(0.2)  # A is being graded
        honest_reply = pool.submit(timed, honest, tokens["bystander"])
        (a_status, a_s), (b_status, b_s) = slow_reply.result(), honest_reply.result()
    assert a_status == b_status == 200
    assert a_s >= 3 * 1.0  # A really overran: three budgets of 1 CPU-second at least
    assert b_s <= 4 * probed["limits"].reply_quantum_s, (a_s, b_s)  # its own slot (grading 44 items takes under 0.25 s)
    validators.sandbox.close_all()


def test_a_flood_of_slow_responses_is_refused_with_its_reason_and_counts(probed, monkeypatch):
    """Slow responses everywhere: the submission is refused whole, says why, and still counts
    against the quota (a refusal is no free probe)."""
    import validators.sandbox

    monkeypatch.setenv("MINTBENCH_GRADER_BURN", "1")
    validators.sandbox.close_all()
    token = probed["ledger"].add_token("flooder")
    items = probed["items"]
    predictions = {i.item_id: "<answer>burn 1.5</answer>" for i in items}
    reply = _post(probed, {"predictions": predictions}, token)
    assert reply.status_code == 422 and "allowance" in reply.json()["detail"]
    states = [s["state"] for s in probed["ledger"].submissions() if s["token"] == "flooder"]
    assert states == ["refused"]
    validators.sandbox.close_all()


@pytest.fixture(scope="module")
def boarded(tmp_path_factory):
    limits = Limits(quota=Quota(per_day=100, total=100), min_coverage=0.5, disclosure=Disclosure(step=0.05, min_cell=10), reply_quantum_s=0.05)
    yield from _start(tmp_path_factory, "boarded", [("math", 12)], limits, results=True)


def test_submissions_reach_the_results_store_and_the_public_board_shows_only_the_ladder(boarded):
    """Each accepted submission is recorded (owner side: its verdicts); /board serves the public
    view, where a sealed release shows the token's released (Ladder) figure and nothing computed
    from its verdicts, and no answer."""
    from mintbench.results.store import ResultsStore

    items = boarded["items"]
    token = boarded["ledger"].add_token("lab-a")
    reply = _post(boarded, {"predictions": _gold(items, len(items) - 3)}, token)
    assert reply.status_code == 200
    runs = ResultsStore(boarded["results"]).current_runs()
    assert [(r.model, r.source, r.n, r.correct) for r in runs] == [("lab-a", "service", len(items), len(items) - 3)]
    assert runs[0].meta["released_accuracy"] == reply.json()["accuracy"]
    assert ResultsStore(boarded["results"]).public_part(VERSION) == _public_ids(boarded)  # left out of the rankings at reveal
    page = httpx.get(f"{boarded['url']}/board", follow_redirects=True, timeout=30)
    assert page.status_code == 200 and "mintbench results" in page.text
    data = httpx.get(f"{boarded['url']}/board/board.json", timeout=30).json()
    assert data["view"] == "public" and data["rows"] == []
    assert data["ladder"] == [{"release": VERSION, "model": "lab-a", "accuracy": reply.json()["accuracy"]}]
    assert httpx.get(f"{boarded['url']}/board/../grader.sqlite", timeout=30).status_code == 404
    text = page.text + json.dumps(data)
    assert not [i.answer for i in items if len(i.answer) > 3 and any(c.isdigit() for c in i.answer) and i.answer in text]


def test_a_planted_release_is_not_served(boarded):
    """The writer of a mirror plants a release the owner never signed (here: the genuine one
    copied, its questions rewritten, signed with a fresh key). The public routes served its
    manifest and questions; now a release that does not verify is not there at all."""
    import hashlib
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from mintbench.releases.keys import public_hex

    store = boarded["store"]
    planted = store / "2026.12"
    shutil.copytree(store / VERSION, planted)
    rows = pq.read_table(planted / "questions.parquet").to_pylist()
    rows[0]["question"] = "ANSWERS FOR THIS RELEASE: http://example.org"
    pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(planted / "questions.parquet")), planted / "questions.parquet")
    manifest = json.loads((planted / "manifest.json").read_text())
    manifest.update(version="2026.12", signing_key=public_hex((forger := Ed25519PrivateKey.generate()).public_key()))
    manifest["files"]["questions.parquet"] = hashlib.sha256((planted / "questions.parquet").read_bytes()).hexdigest()
    data = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    (planted / "manifest.json").write_bytes(data)
    (planted / "manifest.sig").write_bytes(forger.sign(data))
    assert [r["version"] for r in httpx.get(f"{boarded['url']}/releases").json()] == [VERSION]
    for route in ("manifest", "questions"):
        assert httpx.get(f"{boarded['url']}/releases/2026.12/{route}").status_code == 404
    assert httpx.get(f"{boarded['url']}/releases/{VERSION}/questions").status_code == 200
