"""Grading under a wall-clock budget per response, in a worker process replaced when it overruns.

The graders bound what they parse (length, digits, exponents), but SymPy and RDKit are large,
and one response that finds a slow path must not hold the CLI, a filter run or a grading-service
worker. So responses are graded in a child process; the parent waits at most `budget_s` for each
verdict, and on overrun kills the child, records `unparsed` ("over the time budget"), starts a
new child and goes on with the rest. The child is spawned (not forked), so a parent running
threads (uvicorn, Prefect, asyncio) is never copied mid-lock, and it is reused across calls.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

from validators.result import Grade, unparsed

DEFAULT_BUDGET_S = float(os.environ.get("MINTBENCH_GRADE_BUDGET_S", "1.0"))
START_TIMEOUT_S = 120.0  # the child imports SymPy and RDKit once
# A restart costs seconds of imports: past this many overruns in one call (one submission, one
# responses file), the rest of that call is unparsed rather than paid for again and again.
MAX_OVERRUNS = 3
STALL_ENV = "MINTBENCH_GRADER_STALL"  # tests only: a response equal to this value hangs the child
CRASH_ENV = "MINTBENCH_GRADER_CRASH"  # tests only: a response equal to this value kills the child


def _serve(conn) -> None:
    # Its own process group, so that killing it over the budget also kills its OPSIN JVM.
    os.setpgrp()
    from validators import opsin

    opsin.shared().start()  # the JVM loads (about 1 s) while SymPy and RDKit import
    from validators.grade import grade_response

    conn.send("ready")
    stall, crash = os.environ.get(STALL_ENV), os.environ.get(CRASH_ENV)
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for item, response in batch:
            if stall and response == stall:
                time.sleep(3600)
            if crash and response == crash:
                os._exit(1)
            conn.send(grade_response(item, response))


class Sandbox:
    def __init__(self, budget_s: float = DEFAULT_BUDGET_S):
        self.budget_s = budget_s
        self._context = multiprocessing.get_context("spawn")
        self._proc = None
        self._conn = None
        self._lock = threading.Lock()
        self.restarts = 0

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        proc = self._context.Process(target=_serve, args=(child,), daemon=True, name="mintbench-grader")
        proc.start()
        child.close()
        if not parent.poll(START_TIMEOUT_S) or parent.recv() != "ready":
            proc.kill()
            raise RuntimeError("the grading sandbox did not start")
        self._proc, self._conn = proc, parent

    def _kill(self) -> None:
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None
        self.restarts += 1

    def _next_verdict(self) -> Grade | None:
        """The worker's next verdict; None when the budget passed or the worker died (a crash
        in native code on a hostile input is an overrun like any other, never an exception)."""
        try:
            return self._conn.recv() if self._conn.poll(self.budget_s) else None
        except (EOFError, OSError):
            return None

    def grade_many(self, pairs: list) -> list[Grade]:
        """A verdict for each (item, response), in order; none takes longer than the budget."""
        out: list[Grade] = []
        overruns = 0
        with self._lock:
            pending = list(pairs)
            while pending:
                if overruns >= MAX_OVERRUNS:
                    out += [unparsed(f"not graded: {MAX_OVERRUNS} earlier responses ran past the budget")] * len(pending)
                    break
                if self._proc is None or not self._proc.is_alive():
                    self._start()
                self._conn.send(pending)
                done = 0
                for _ in pending:
                    verdict = self._next_verdict()
                    done += 1
                    if verdict is not None:
                        out.append(verdict)
                        continue
                    self._kill()
                    overruns += 1
                    out.append(unparsed(f"grading ran past its {self.budget_s:g} s budget or crashed its worker"))
                    break
                pending = pending[done:]
        return out

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.send(None)
                except OSError:
                    pass
            if self._proc is not None:
                self._proc.join(5)
                if self._proc.is_alive():
                    self._proc.kill()
            self._proc = self._conn = None


_shared: Sandbox | None = None
_shared_pid = 0
_shared_lock = threading.Lock()


def shared() -> Sandbox:
    """This process's sandbox, started on first use. A forked child (a process pool's worker)
    gets its own: the parent's worker is the parent's to talk to."""
    global _shared, _shared_pid
    with _shared_lock:
        if _shared is None or _shared_pid != os.getpid():
            _shared, _shared_pid = Sandbox(), os.getpid()
        return _shared


def grade_guarded(pairs: list) -> list[Grade]:
    return shared().grade_many(pairs)
