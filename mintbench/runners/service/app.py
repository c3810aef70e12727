"""The grading service: a FastAPI app over a release store.

Public: the list of releases, their manifests and questions. Authenticated (bearer token):
submissions of predictions, scored against the sealed answers, which the service decrypts in
memory with the owner's age identity. A reply carries only what `disclosure` allows (the score
on a secret public part, grid-rounded under the Ladder; nothing new for a degenerate submission;
no breakdowns before reveal), never per-item correctness or answers, and never the submitted
values. Its timing does not depend on the grades: grading work depends on the response alone,
each submission grades in its own sandbox, and replies leave on a fixed schedule (multiples of
`reply_quantum_s` after arrival).
A response that breaks a grader is `unparsed`, inside a normal reply that counts against the quota.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from mintbench.errors import MintbenchError
from mintbench.runners.grading import grade_items, summarize
from mintbench.releases.keys import Keys
from mintbench.releases.release import MANIFEST, QUESTIONS, VERSION_RE, sealed_items, verify
from mintbench.runners.service.disclosure import Disclosure, degenerate, public_part, public_report
from mintbench.runners.service.ledger import Ledger, Quota, QuotaExceeded
from mintbench.releases.store import Store, as_store
from validators import sandbox
from validators.sandbox import Allowance, TooCostly

log = logging.getLogger("mintbench.grader")
RESPONSE_MAX = 32_768


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 16 * 1024 * 1024
    quota: Quota = field(default_factory=Quota)
    # A submission must answer at least this share of the release: a one-item submission
    # would tell its sender whether that item was right.
    min_coverage: float = 0.5
    disclosure: Disclosure = field(default_factory=Disclosure)
    # Replies leave at a multiple of this after the request arrived: grading time, which
    # differs between right and wrong answers, is hidden inside the slot.
    reply_quantum_s: float = 0.5
    # Sandboxes grading at once; one token's submissions take one at a time, so a token's slow
    # responses delay its own submissions, never another token's (while tokens waiting at once
    # are fewer than this).
    grading_workers: int = 2


def slot_wait(started: float, quantum: float) -> float:
    """Seconds until the next multiple of `quantum` after `started` (at least one quantum)."""
    elapsed = time.monotonic() - started
    slot = quantum * max(1, math.ceil(elapsed / quantum)) if quantum > 0 else 0.0
    return max(0.0, slot - elapsed)


class ReplySlot:
    """A submission's reply leaves at a multiple of the quantum after its request arrived,
    whole. The clock starts before the body is read and stops after the reply is serialised:
    held inside the handler, the slot left parsing and serialising outside it, and a submission
    of wrong answers replied measurably later than one of right answers (0.1 ms in 54 ms, told
    apart at p < 0.001 over 200 submissions)."""

    def __init__(self, app: ASGIApp, quantum: float):
        self.app, self.quantum = app, quantum

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].endswith("/submissions"):
            return await self.app(scope, receive, send)
        started = time.monotonic()
        held: list[dict] = []

        async def hold(message: dict) -> None:
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                await asyncio.sleep(slot_wait(started, self.quantum))
                for m in held:
                    await send(m)

        await self.app(scope, receive, hold)


class Submission(BaseModel):
    model_config = ConfigDict(extra="forbid")
    predictions: dict[str, str] = Field(description="item_id -> the model's full response")


class BodyLimit:
    """413 for a request body over the limit, whether or not it declares its length."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await self._too_large(scope, receive, send)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await self._too_large(scope, receive, send)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse({"detail": f"request body larger than {self.max_bytes} bytes"}, status_code=413)
        await response(scope, receive, send)


class Releases:
    """Published releases of the store: public parts read on demand, owner items cached."""

    def __init__(self, store: Store, keys: Keys):
        self.store, self.keys = store, keys
        self._items: dict[str, dict] = {}
        self._verified: dict[str, bool] = {}
        self._lock = threading.Lock()

    def verified(self, version: str) -> bool:
        """Whether the release verifies against the trusted keys (checked once per version:
        a published release never changes). The public routes served planted, unsigned and
        forged manifests and questions; a release that does not verify is not there."""
        with self._lock:
            if version not in self._verified:
                problems = verify(version, self.store, keys_dir=self.keys.directory)
                if problems:
                    log.warning("release %s does not verify and is not served: %s", version, problems[0])
                self._verified[version] = not problems
            return self._verified[version]

    def check(self, version: str) -> str:
        # Only well-formed versions ever reach the store: no traversal, no odd names.
        if not VERSION_RE.match(version) or not self.store.is_published(version) or not self.verified(version):
            raise HTTPException(404, "no such release")
        return version

    def manifest(self, version: str) -> dict:
        return json.loads(self.store.read_bytes(self.check(version), MANIFEST))

    def questions(self, version: str) -> list[dict]:
        with self.store.open(self.check(version), QUESTIONS) as fh:
            return pq.read_table(fh).to_pylist()

    def items(self, version: str) -> dict:
        self.check(version)
        with self._lock:
            if version not in self._items:
                self._items[version] = {i.item_id: i for i in sealed_items(version, self.store, self.keys)}
            return self._items[version]


def _record_result(results_path, version: str, token: str, graded: list, released_accuracy: float, created_at: str | None,
                   public_ids: frozenset[str]) -> None:
    """An accepted submission, recorded under its token's name as one run (the newest replaces
    the token's earlier one on the board; all are kept), with the public part the service scored,
    which the board's rankings leave out."""
    from mintbench.results.store import ResultsStore
    from mintbench.runners.results_feed import record_graded

    try:
        results = ResultsStore(results_path)
        results.mark_public(version, public_ids)
        record_graded(results, version, token, graded, source="service", replace=True,
                      meta={"released_accuracy": released_accuracy}, created_at=created_at)
    except Exception as exc:  # the submission is scored and counted; a results-store fault must not undo that
        log.error("results store: submission by %s on %s not recorded (%s)", token, version, type(exc).__name__)


class PublicBoard:
    """The results board's public view, served at /board: rebuilt from the results store when
    the store has changed, under the same disclosure rules as the replies."""

    def __init__(self, results_path: Path, policy: Disclosure):
        from mintbench.results.board import PublicRules

        self.results_path, self.rules = Path(results_path), PublicRules(policy.step, policy.min_cell)
        self.dir = Path(tempfile.mkdtemp(prefix="mintbench-board-"))
        self._stamp: tuple | None = None
        self._lock = threading.Lock()

    def _state(self) -> tuple:
        return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in (self.results_path, Path(f"{self.results_path}-wal")))

    def file(self, path: str) -> Path:
        from mintbench.results.board import build
        from mintbench.results.store import ResultsStore

        with self._lock:
            state = self._state()
            if state != self._stamp:
                build(ResultsStore(self.results_path), self.dir, view="public", policy=self.rules)
                self._stamp = state
        target = (self.dir / (path or "index.html")).resolve()
        if self.dir.resolve() not in target.parents or not target.is_file():
            raise HTTPException(404, "no such page")
        return target


def create_app(store: str | Store, ledger: Ledger, keys: Keys, limits: Limits = Limits(), results_path: str | Path | None = None) -> FastAPI:
    """The service over a release store. With `results_path`, every accepted submission is also
    recorded in that results store (owner side: per-item verdicts; the public board shows only
    the Ladder's released figure for a sealed release), and /board serves the public board."""
    store = as_store(store)
    releases = Releases(store, keys)
    board = PublicBoard(results_path, limits.disclosure) if results_path else None
    # The grading workers import and warm up (seconds) now, not inside the first submissions.
    graders = sandbox.SandboxPool(limits.grading_workers)
    threading.Thread(target=graders.start, daemon=True, name="grader-warm-up").start()
    per_token: dict[str, threading.Lock] = defaultdict(threading.Lock)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        graders.close()

    app = FastAPI(title="mintbench grading service", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    app.add_middleware(ReplySlot, quantum=limits.reply_quantum_s)  # outermost: its clock starts first

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Name the problem, never echo the submitted values back (nor submitted keys: a
        # prediction's item id would be the third part of its location).
        problems = [f"{'.'.join(str(p) for p in e['loc'][:2])}: {e['msg']}" for e in exc.errors()[:5]]
        return JSONResponse({"detail": problems}, status_code=422)

    def token_name(request: Request) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
        found = ledger.lookup(token.strip())
        if found is None:
            raise HTTPException(401, "unknown token", headers={"WWW-Authenticate": "Bearer"})
        name, active = found
        if not active:
            raise HTTPException(403, "token revoked")
        return name

    @app.get("/releases")
    def list_releases() -> list[dict]:
        out = []
        for m in store.manifests():
            if not VERSION_RE.match(str(m.get("version", ""))) or not releases.verified(m["version"]):
                continue
            out.append({"version": m["version"], "channel": m.get("channel"), "items": m["counts"]["total"], "created_at": m.get("created_at"), "canary": m.get("canary")})
        return out

    @app.get("/releases/{version}/manifest")
    def get_manifest(version: str) -> dict:
        return releases.manifest(version)

    @app.get("/releases/{version}/questions")
    def get_questions(version: str) -> list[dict]:
        return releases.questions(version)

    @app.post("/releases/{version}/submissions")
    def submit(version: str, submission: Submission, token: str = Depends(token_name)) -> dict:
        items = releases.items(version)
        predictions = submission.predictions
        if not predictions:
            raise HTTPException(422, "predictions is empty")
        unknown = sum(k not in items for k in predictions)
        if unknown:
            raise HTTPException(422, f"{unknown} unknown item id(s) for release {version}; ids are listed at /releases/{version}/questions")
        if len(predictions) < limits.min_coverage * len(items):
            raise HTTPException(422, f"predictions cover {len(predictions)} of {len(items)} items; at least {limits.min_coverage:.0%} are required")
        too_long = sum(len(v) > RESPONSE_MAX for v in predictions.values())
        if too_long:
            raise HTTPException(422, f"{too_long} prediction(s) longer than {RESPONSE_MAX} characters")
        try:
            submission_id = ledger.reserve(token, version, len(predictions), limits.quota)
        except QuotaExceeded as exc:
            headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
            raise HTTPException(429, str(exc), headers=headers) from None
        # From here on the submission counts, whatever happens: an error must not be a free probe.
        try:
            with per_token[token], graders.lease() as grader:
                graded = grade_items(items.values(), predictions, allowance=Allowance.for_submission(len(predictions)), sandbox=grader)
        except TooCostly as exc:
            ledger.refuse(submission_id, predictions, str(exc))
            raise HTTPException(422, str(exc)) from None
        report = summarize(graded, by=("domain", "level", "label"))  # exact, for the owner's audit trail
        policy = limits.disclosure
        public_ids = public_part(items, ledger.split_salt(version), policy.public_share)
        public = summarize([row for row in graded if row[0].item_id in public_ids], by=())
        why = degenerate(predictions, [g for _, g, answered in graded if answered], policy)
        if why:  # nothing new is released: the token's last figures, or none yet
            released, improved = {**(ledger.released(token, version) or {"accuracy": None}), "withheld": why}, False
        else:
            figures = public_report(public["accuracy"], len(public_ids), len(predictions), policy)
            released, improved = ledger.ladder(token, version, public["accuracy"], figures, policy.step)
        body = {"submission_id": submission_id, "version": version, "improved": improved, **released}
        ledger.record(submission_id, predictions, {**body, "exact": report, "exact_public": public["overall"]})
        if results_path and not why:  # a degenerate submission is a probe, not a model's result
            _record_result(results_path, version, token, graded, body["accuracy"], releases.manifest(version).get("created_at"), public_ids)
        log.info("submission %d by %s on %s: %d predictions, released accuracy %s", submission_id, token, version, len(predictions), body["accuracy"])
        return body  # ReplySlot sends it at the next slot

    if board is not None:
        @app.get("/board", include_in_schema=False)
        def board_root() -> RedirectResponse:
            return RedirectResponse("/board/")

        @app.get("/board/{path:path}", include_in_schema=False)
        def board_page(path: str) -> FileResponse:
            return FileResponse(board.file(path))

    @app.exception_handler(MintbenchError)
    async def owner_error(request: Request, exc: MintbenchError) -> JSONResponse:
        log.error("release error: %s", exc)
        return JSONResponse({"detail": "release unavailable"}, status_code=503)

    return app
