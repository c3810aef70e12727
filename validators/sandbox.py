"""Grading in a worker process, each response on its own CPU-time budget.

The graders bound what they parse (length, digits, exponents), but SymPy and RDKit are large,
and one response that finds a slow path must not hold the CLI, a filter run or a grading-service
worker, nor decide the verdict on any other response. So:

- Responses are graded in a child process (spawned, not forked: a parent running threads, as
  uvicorn, Prefect and asyncio do, is never copied mid-lock), reused across calls.
- Each response gets `budget_s` of the worker's CPU time, measured by the kernel (ITIMER_PROF),
  not wall time: a verdict never depends on what else the machine is doing. A response over its
  budget is `unparsed` and the same worker goes on with the next one: an overrun costs its own
  budget and nothing more, so the responses after it are graded as they would be alone.
- The worker is warmed before it says it is ready: the LaTeX reader, SymPy's simplifier, RDKit
  and OPSIN have each done their first, slow call, so the first response of a run is not charged
  for loading them.
- A worker that stops answering (native code that never returns to Python, a crash) is killed
  after a generous wall-clock backstop, its response recorded `unparsed`, and a new worker grades
  the rest.
- A caller that grades untrusted submissions bounds each call with an `Allowance` (total CPU
  seconds and overruns): past it, the whole call is refused with `TooCostly` and its reason,
  never answered with honest responses voided.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import signal
import threading
import time
import weakref
from dataclasses import dataclass

from validators.result import Grade, unparsed

DEFAULT_BUDGET_S = float(os.environ.get("MINTBENCH_GRADE_BUDGET_S", "1.0"))
START_TIMEOUT_S = 120.0  # the child imports SymPy and RDKit and warms them once
# Wall-clock backstop per response, for code that does not return to Python (the CPU budget is
# enforced between bytecodes). Far above any budget, so that load never reaches it.
WALL_FACTOR, WALL_FLOOR_S = 10.0, 20.0
WALL_ENV = "MINTBENCH_GRADE_WALL_S"  # the backstop in seconds, where a test needs a short one
STALL_ENV = "MINTBENCH_GRADER_STALL"  # tests only: a response equal to this value hangs the child
CRASH_ENV = "MINTBENCH_GRADER_CRASH"  # tests only: a response equal to this value kills the child
BURN_ENV = "MINTBENCH_GRADER_BURN"  # tests only: when set, a response '<answer>burn S</answer>' costs S CPU seconds


class OverBudget(BaseException):
    """Raised inside the worker when a response has used its CPU budget. A BaseException, so
    the graders' own `except Exception` cannot swallow it."""


class TooCostly(Exception):
    """A call asked for more grading work than its allowance: refused as a whole."""


@dataclass(frozen=True)
class Allowance:
    """What one call (one submission) may cost: total CPU seconds and responses over budget."""

    cpu_s: float
    overruns: int

    @classmethod
    def for_submission(cls, n: int) -> "Allowance":
        # Honest responses cost milliseconds (the slowest measured honest one, 0.3 s): 50 ms a
        # response on average plus 10 s is far above any honest file, and bounds a flood.
        return cls(cpu_s=10.0 + 0.05 * n, overruns=max(5, n // 50))


_armed = False


def _on_cpu_budget(signum, frame) -> None:
    if _armed:  # a signal already queued when the timer was disarmed is ignored
        raise OverBudget()


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def _grade_within(item, response: str, budget_s: float) -> tuple[Grade, bool]:
    """The verdict, and whether the response ran out of its budget."""
    global _armed
    from validators.grade import grade_response

    try:
        _armed = True
        signal.setitimer(signal.ITIMER_PROF, budget_s)
        try:
            if os.environ.get(BURN_ENV) and response.startswith("<answer>burn "):
                _burn(float(response[13:].split("<")[0]))
            return grade_response(item, response), False
        finally:
            _armed = False
            signal.setitimer(signal.ITIMER_PROF, 0)
    except OverBudget:
        return unparsed(f"grading used more than its {budget_s:g} s of CPU time"), True


_LATEX_WARM_UP = (
    r"- 3^{x} \log{\left(3 \right)} + 2^{n}", r"\frac{x^{2}}{2} - \frac{1}{x + 1}", r"\sqrt{x^{2} + 1} \sqrt[3]{x}",
    r"e^{- 2 x} \cos{\left(3 x \right)} + \sin^{2}{\left(x \right)}", r"\tan{\left(x \right)} \sec{\left(x \right)} - \cot{\left(x \right)}",
    r"\left|{x - 1}\right| + \left(-1\right)^{n}", r"\operatorname{asinh}{\left(x \right)} + \operatorname{acos}{\left(x \right)} + \arctan{\left(x \right)}",
    r"\ln\left(x\right) + \log_{2}{\left(x \right)}", r"2 \cdot 3 + 4 \times 5 - \dfrac{7}{2} + \tfrac{1}{3}", r"\pi + \infty - 1.5 \cdot 10^{-3}",
    r"\binom{5}{2} + 3!", r"x_{1} + x^{-1}", r"- \frac{\sqrt{3}}{2} + \frac{\pi}{4}", r"\left[ 1, \  2\right]", r"\sinh{\left(x \right)} \cosh{\left(2 x \right)}",
)


def warm() -> None:
    """The first call into each slow-to-load part, paid before any response is timed: the first
    LaTeX answer in a cold worker cost 0.33-1.0 s (the ANTLR reader loading) against 0.02 s warm."""
    import sympy
    from rdkit import Chem

    from mintbench.items.schema import Tolerance
    from validators import opsin
    from validators.grade import grade_answer
    from validators.parsing import clear_caches, parse_expression

    x = sympy.Symbol("x")
    sympy.simplify(sympy.sin(x) ** 2 + sympy.cos(x) ** 2 - 1)
    Chem.MolToSmiles(Chem.MolFromSmiles("OC(=O)c1ccccc1"))
    tol = Tolerance()
    for answer_type, text, gold, args in (
        ("antiderivative", r"\frac{x^{3}}{3} + \sin{\left(x \right)} + C", "x**3/3 + sin(x)", {"vars": ["x"]}),
        ("expression", r"\sqrt{2} \cdot e^{x}", "sqrt(2)*exp(x)", {"vars": ["x"]}),
        # Inverse functions in SymPy's own LaTeX: their first reading cost 0.39 s cold.
        ("antiderivative", r"- \frac{9 \operatorname{atanh}{\left(2 x \right)}}{2} + \arcsin{\left(x \right)} + \log{\left(x \right)}",
         "-9*atanh(2*x)/2 + asin(x) + log(x)", {"vars": ["x"]}),
        ("rational", r"-\frac{44}{3}", "-44/3", {}),
        ("ode_solution", "exp(-x) + x", "exp(-x) + x", {"coeffs": [0, 1], "rhs": "1 - exp(-x)", "initial": [[0, 0, 1]]}),
        ("formula", "C7H6O2", "C7H6O2", {}),
    ):
        grade_answer(answer_type, text, gold, args, tol)
    # The LaTeX reader (ANTLR) learns each grammar decision on first use, at up to 0.4 s each
    # ('3^{x} \\log{3}' after a warm-up of other forms): read one of each common construct.
    for text in _LATEX_WARM_UP:
        try:
            parse_expression(text, ("x", "n"))
        except Exception:
            pass
    opsin.shared().smiles("ethanol")  # waits for the JVM, then its first lookup
    clear_caches()  # the parse caches start empty: warm-up leaves no entry a response could hit
    # What is loaded now lives as long as the worker: out of the collector's sight, a full
    # collection no longer walks SymPy's, RDKit's and the parser's objects in the middle of
    # some response (a pause of 0.3-0.4 s, charged to whichever answer it fell on).
    gc.collect()
    gc.freeze()


def _serve(conn, budget_s: float) -> None:
    # Its own process group, so that killing it also kills its OPSIN JVM.
    os.setpgrp()
    from validators import opsin

    opsin.shared().start()  # the JVM loads (about 1 s) while SymPy and RDKit import
    signal.signal(signal.SIGPROF, _on_cpu_budget)
    try:
        warm()
    except Exception:  # a worker that could not warm still grades; its first answers just cost more
        pass
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
            started = time.process_time()
            verdict, over = _grade_within(item, response, budget_s)
            conn.send((verdict, time.process_time() - started, over))


_ALL: "weakref.WeakSet[Sandbox]" = weakref.WeakSet()


class Sandbox:
    def __init__(self, budget_s: float = DEFAULT_BUDGET_S, wall_limit_s: float | None = None):
        self.budget_s = budget_s
        self._wall_limit_s = wall_limit_s
        self._context = multiprocessing.get_context("spawn")
        self._proc = None
        self._conn = None
        self._lock = threading.Lock()
        self.restarts = 0
        _ALL.add(self)

    def alive(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    @property
    def wall_limit_s(self) -> float:
        return self._wall_limit_s or float(os.environ.get(WALL_ENV) or 0) or max(WALL_FLOOR_S, WALL_FACTOR * self.budget_s)

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        proc = self._context.Process(target=_serve, args=(child, self.budget_s), daemon=True, name="mintbench-grader")
        proc.start()
        child.close()
        try:
            ready = parent.poll(START_TIMEOUT_S) and parent.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            proc.kill()
            raise RuntimeError("the grading sandbox did not start")
        self._proc, self._conn = proc, parent

    def start(self) -> None:
        """Start and warm the worker now (a service calls this before taking submissions)."""
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self._start()

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

    def _next(self) -> tuple[Grade, float, bool] | None:
        """The worker's next (verdict, CPU seconds, over budget); None when it did not answer within the
        wall-clock backstop or died (a crash in native code on a hostile input)."""
        try:
            return self._conn.recv() if self._conn.poll(self.wall_limit_s) else None
        except (EOFError, OSError):
            return None

    def grade_many(self, pairs: list, allowance: Allowance | None = None) -> list[Grade]:
        """A verdict for each (item, response), in order, each on its own budget. With an
        allowance, a call that costs more is refused whole (TooCostly), with its reason."""
        out: list[Grade] = []
        cpu, overruns = 0.0, 0
        with self._lock:
            pending = list(pairs)
            while pending:
                if self._proc is None or not self._proc.is_alive():
                    self._start()
                self._conn.send(pending)
                done = 0
                for _ in pending:
                    answer = self._next()
                    done += 1
                    if answer is None:
                        self._kill()
                        overruns += 1
                        cpu += self.budget_s
                        out.append(unparsed(f"its grading worker did not answer within {self.wall_limit_s:g} s or crashed"))
                    else:
                        verdict, used, over = answer
                        cpu += used
                        overruns += over
                        out.append(verdict)
                    if allowance is not None and (cpu > allowance.cpu_s or overruns > allowance.overruns):
                        if answer is not None:
                            self._kill()  # the rest of this batch is still queued in the worker
                        # The next call (another token's submission, perhaps) finds a warm worker
                        # rather than paying for this one's refusal with a start.
                        threading.Thread(target=self.start, daemon=True, name="grader-restart").start()
                        raise TooCostly(
                            f"grading this submission would cost more than its allowance ({allowance.cpu_s:g} CPU seconds, "
                            f"{allowance.overruns} responses over the {self.budget_s:g} s budget); it is refused as a whole"
                        )
                    if answer is None:
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


class SandboxPool:
    """Sandboxes lent one per call, for a service grading several callers' submissions at once:
    a submission whose responses overrun their budgets (or kill the worker) holds its own
    sandbox, never the one another caller's submission is waiting for. With one shared worker,
    one submission with three overruns made another token's honest submission wait 12 s instead
    of 0.5 s (issue #25). A sandbox whose worker was killed goes back into the pool only once a
    fresh worker is warm, so no caller pays for another's restart either. The first member is
    this process's shared sandbox."""

    def __init__(self, size: int = 2):
        if size < 1:
            raise ValueError("a sandbox pool needs at least one sandbox")
        self._members = [shared()] + [Sandbox() for _ in range(size - 1)]
        self._free: queue.Queue[Sandbox] = queue.Queue()
        for member in self._members:
            self._free.put(member)

    def start(self) -> None:
        """Start and warm every member, in parallel (a service calls this before taking work)."""
        threads = [threading.Thread(target=m.start, daemon=True, name="grader-warm-up") for m in self._members]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    @contextlib.contextmanager
    def lease(self):
        member = self._free.get()
        try:
            yield member
        finally:
            if member.alive():
                self._free.put(member)
            else:
                threading.Thread(target=self._restart, args=(member,), daemon=True, name="grader-restart").start()

    def _restart(self, member: Sandbox) -> None:
        try:
            member.start()
        finally:
            self._free.put(member)  # even a failed start: the next call starts it, or says it cannot

    def close(self) -> None:
        """Stop the members this pool started (the shared sandbox stays the process's)."""
        for member in self._members[1:]:
            member.close()


def close_all() -> None:
    """Stop every sandbox's worker in this process; each starts again on its next call (tests
    that change a worker's environment call this)."""
    for member in list(_ALL):
        member.close()


def grade_guarded(pairs: list, allowance: Allowance | None = None, sandbox: Sandbox | None = None) -> list[Grade]:
    return (sandbox or shared()).grade_many(pairs, allowance)
