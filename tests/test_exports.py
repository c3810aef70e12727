"""Exports for other runners, run for real: Inspect and lm-evaluation-harness against the
embedded llama.cpp server and a scripted OpenAI-compatible server, in owner mode (local
grading) and closed mode (the grading service), each compared with `mintbench grade` on the
same responses; JSONL and HF exports checked for answers and canaries."""

import glob
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import uvicorn

from streams import secret
from mintbench.create.build import SetSpec, run_local
from mintbench.difficulty.embedded import embedded_server, free_port
from mintbench.runners.exports import export, slug
from mintbench.releases.keys import init_keys, load_keys
from mintbench.releases.release import publish, sealed_items
from mintbench.difficulty.scripted import Script, ScriptedServer
from mintbench.runners.service.app import Limits, create_app
from mintbench.runners.service.disclosure import Disclosure
from mintbench.runners.service.ledger import Ledger, Quota

VERSION = "2026.11"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A small published release, its owner's keys, and a grading service on loopback."""
    tmp = tmp_path_factory.mktemp("exports")
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CONFIG_HOME", str(tmp / "config"))
    mp.setenv("HF_DATASETS_OFFLINE", "1")
    mp.setenv("INSPECT_LOG_DIR", str(tmp / "inspect-logs"))
    init_keys()
    store = tmp / "store"
    math = run_local(SetSpec(domain="math", count=4, secret=secret(21)), tmp / "math")
    bio = run_local(SetSpec(domain="biology", count=2, secret=secret(21)), tmp / "bio")
    publish([math, bio], VERSION, store, load_keys())
    ledger = Ledger(tmp / "grader.sqlite")
    port = free_port()
    # The runners' plumbing is under test here, not the disclosure rules: the service scores the
    # whole release (no private part) and releases a weak model's mostly unparsed submission.
    disclosure = Disclosure(public_share=1.0, max_unparsed_share=1.0)
    app = create_app(str(store), ledger, load_keys(), Limits(quota=Quota(per_day=50, total=50), disclosure=disclosure))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    mp.setenv("MINTBENCH_TOKEN", ledger.add_token("runner"))
    mp.setenv("MINTBENCH_GRADER_URL", f"http://127.0.0.1:{port}")
    yield {"tmp": tmp, "store": store, "items": sealed_items(VERSION, store, load_keys()), "ledger": ledger}
    server.should_exit = True
    mp.undo()


def _export(env, fmt, mode, name):
    return export(VERSION, fmt, env["tmp"] / name, store=str(env["store"]), mode=mode)


def _mintbench_grade(env, responses: dict[str, str], name: str) -> dict:
    path = env["tmp"] / f"{name}.jsonl"
    path.write_text("".join(json.dumps({"item_id": k, "response": v}) + "\n" for k, v in responses.items()))
    out = subprocess.run([str(BIN / "mintbench"), "grade", VERSION, "--store", str(env["store"]), "--responses", str(path), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _run_env(env, extra=None, base=None) -> dict:
    """The environment of one runner process, with a token of its own: the service's Ladder
    keeps one best score per token, and each run here must get its own score back."""
    token = env["ledger"].add_token(f"run-{time.monotonic_ns()}")
    return {**(os.environ if base is None else base), **(extra or {}), "MINTBENCH_TOKEN": token}


def _inspect(env, task_dir: Path, task: str, base_url: str, model: str, extra_env=None, bin_dir: Path = BIN, base_env=None) -> tuple[dict, dict, dict]:
    """(metrics, responses, per-sample score values) of one `inspect eval` run."""
    logs = env["tmp"] / f"inspect-{time.monotonic_ns()}"
    run_env = _run_env(env, {**(extra_env or {}), "LOCAL_BASE_URL": base_url, "LOCAL_API_KEY": "none", "INSPECT_LOG_DIR": str(logs)}, base_env)
    out = subprocess.run([str(bin_dir / "inspect"), "eval", task, "--model", f"openai-api/local/{model}", "-T", "max_tokens=96",
                          "--display", "plain"], cwd=task_dir, env=run_env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    from inspect_ai.log import read_eval_log

    env["last_inspect_log"] = glob.glob(str(logs / "*.eval"))[0]
    log = read_eval_log(env["last_inspect_log"])
    assert log.status == "success"
    metrics = {k: v.value for k, v in log.results.scores[0].metrics.items()}
    responses = {str(s.id): s.output.completion for s in log.samples}
    values = {str(s.id): next(iter(s.scores.values())).value for s in log.samples}
    return metrics, responses, values


def _lm_eval(env, task_dir: Path, base_url: str, model: str, bin_dir: Path = BIN, base_env=None) -> tuple[float, dict]:
    """(accuracy, responses) of one lm_eval run with its local-chat-completions model."""
    out_dir = env["tmp"] / f"lm-{time.monotonic_ns()}"
    args = [str(bin_dir / "lm_eval"), "--include_path", str(task_dir), "--tasks", slug(VERSION), "--model", "local-chat-completions",
            "--apply_chat_template", "--model_args", f"model={model},base_url={base_url}/chat/completions,num_concurrent=2,tokenized_requests=False",
            "--gen_kwargs", "max_gen_toks=96", "--log_samples", "--output_path", str(out_dir)]
    out = subprocess.run(args, env=_run_env(env, {"OPENAI_API_KEY": "none"}, base_env), capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    results = json.loads(Path(glob.glob(str(out_dir / "*" / "results_*.json"))[0]).read_text())
    env["last_lm_samples"] = glob.glob(str(out_dir / "*" / "samples_*.jsonl"))[0]
    samples = [json.loads(line) for line in Path(env["last_lm_samples"]).read_text().splitlines()]
    return results["results"][slug(VERSION)]["accuracy,none"], {s["doc"]["item_id"]: s["filtered_resps"][0] for s in samples}


def test_closed_exports_carry_no_answers_and_every_file_the_canary(env):
    canary = json.loads((env["store"] / VERSION / "manifest.json").read_text())["canary"]
    dirs = {fmt: _export(env, fmt, "closed", f"closed-{fmt}") for fmt in ("inspect", "lm-eval", "jsonl", "hf")}
    for fmt, d in dirs.items():
        files = [p for p in d.rglob("*") if p.is_file()]
        assert not any(p.name == "answers.sealed" for p in files), fmt
        assert canary in (d / "README.md").read_text()
        for p in files:
            if p.suffix == ".parquet":
                table = pq.read_table(p)
                assert "answer" not in table.column_names
                assert canary.encode() in p.read_bytes() or p.name == "questions.parquet"
    lines = [json.loads(x) for x in (dirs["jsonl"] / "samples.jsonl").read_text().splitlines()]
    assert len(lines) == 6 and all("ideal" not in x and x["canary"] == canary for x in lines)
    assert pq.read_schema(dirs["hf"] / "data" / "test-00000-of-00001.parquet").metadata[b"mintbench.canary"] == canary.encode()


def test_owner_jsonl_and_hf_carry_the_sealed_answers(env):
    import datasets

    gold = {i.item_id: i.answer for i in env["items"]}
    jsonl = _export(env, "jsonl", "owner", "owner-jsonl")
    lines = [json.loads(x) for x in (jsonl / "samples.jsonl").read_text().splitlines()]
    assert {x["item_id"]: x["ideal"] for x in lines} == gold
    assert all(x["input"][0]["role"] == "user" for x in lines)
    hf = _export(env, "hf", "owner", "owner-hf")
    # A private cache: the shared one may hold an earlier run's export at the same name.
    ds = datasets.load_dataset(str(hf), split="test", cache_dir=str(env["tmp"] / "hf-cache"))
    assert dict(zip(ds["item_id"], ds["answer"])) == gold


def test_inspect_and_lm_eval_on_a_scripted_model_match_mintbench_grade(env):
    """Half the items answered with gold by the model: a score that is not trivially 0."""
    script = Script()
    for k, item in enumerate(env["items"]):
        script.add(item, {"scripted": 1.0 if k % 2 == 0 else 0.0}, wrong="7")
    owner = _export(env, "inspect", "owner", "scripted-inspect-owner")
    closed = _export(env, "inspect", "closed", "scripted-inspect-closed")
    lm_closed = _export(env, "lm-eval", "closed", "scripted-lm-closed")
    # Installed the way a runner would: Inspect finds the task through its entry point.
    site = env["tmp"] / "runner" / "site-packages"  # Inspect namespaces tasks of packages installed there
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(owner)], check=True, capture_output=True)
    with ScriptedServer(script) as server:
        m_owner, r_owner, values = _inspect(env, env["tmp"], f"{slug(VERSION)}/mintbench", server.base_url, "scripted", {"PYTHONPATH": str(site)})
        m_closed, r_closed, _ = _inspect(env, closed, f"{slug(VERSION)}/task.py", server.base_url, "scripted")
        lm_acc, r_lm = _lm_eval(env, lm_closed, server.base_url, "scripted")
    for metric, responses in ((m_owner["accuracy"], r_owner), (m_closed["accuracy"], r_closed), (lm_acc, r_lm)):
        assert len(responses) == 6
        assert metric == pytest.approx(_mintbench_grade(env, responses, "scripted")["accuracy"])
        assert metric == pytest.approx(0.5)
    graded = _mintbench_grade(env, r_owner, "per-item")
    assert sum(v == "C" for v in values.values()) == graded["overall"]["correct"]
    # The runners' own logs feed the results store: `results import` reads them with the
    # runners' readers and mintbench grades the responses (3 of 6 right either way).
    from mintbench.results.store import ResultsStore

    results = env["tmp"] / "imported.sqlite"
    for name, log in (("inspect-run", env["last_inspect_log"]), ("lm-eval-run", env["last_lm_samples"])):
        done = subprocess.run([sys.executable, "-m", "mintbench.cli", "results", "import", VERSION, "--model", name, "--log", str(log),
                               "--store", str(env["store"]), "--results", str(results)], capture_output=True, text=True, env=_run_env(env))
        assert done.returncode == 0, done.stderr
    assert sorted((r.model, r.source, r.correct) for r in ResultsStore(results).current_runs()) == [("inspect-run", "import", 3), ("lm-eval-run", "import", 3)]


def test_inspect_and_lm_eval_on_the_embedded_model_match_mintbench_grade(env):
    """A real model's free text through both runners and both export kinds: Inspect's closed
    export and lm-eval's owner export. The other two pairings run on the scripted model above
    (Inspect owner and closed, lm-eval closed) and in a fresh environment below (both closed);
    on this model they repeated those assertions for 50 s of the suite."""
    inspect_closed = _export(env, "inspect", "closed", "emb-inspect-closed")
    lm_owner = _export(env, "lm-eval", "owner", "emb-lm-owner")
    task = f"{slug(VERSION)}/task.py"
    with embedded_server({}, env["tmp"] / "model-logs") as spec:
        runs = [
            _inspect(env, inspect_closed, task, spec.base_url, spec.model)[:2],
            (lambda r: ({"accuracy": r[0]}, r[1]))(_lm_eval(env, lm_owner, spec.base_url, spec.model)),
        ]
    for k, (metrics, responses) in enumerate(runs):
        assert set(responses) == {i.item_id for i in env["items"]}
        assert any(r.strip() for r in responses.values()), "the model answered nothing"
        assert metrics["accuracy"] == pytest.approx(_mintbench_grade(env, responses, f"emb{k}")["accuracy"])


@pytest.fixture(scope="module")
def runner_bin(tmp_path_factory):
    """A fresh virtual environment with the runners only, as on a machine that never saw
    mintbench: the pinned inspect-ai and lm-eval of this project's `runners` extra, and the
    openai client Inspect uses for OpenAI-compatible models."""
    import tomllib

    venv = tmp_path_factory.mktemp("runner-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    # The runners, and the OpenAI client Inspect needs to reach an OpenAI-compatible model.
    pins = project["optional-dependencies"]["runners"] + [d for d in project["dependencies"] if d.startswith("openai==")]
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *pins], check=True, capture_output=True, timeout=1200)
    return venv / "bin"


def test_closed_exports_run_in_a_fresh_environment_without_mintbench(env, runner_bin):
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    clean["PATH"] = f"{runner_bin}:{clean.get('PATH', '')}"
    probe = subprocess.run([str(runner_bin / "python"), "-c", "import mintbench"], env=clean, cwd=env["tmp"], capture_output=True)
    assert probe.returncode != 0, "the runner environment must not have mintbench"
    inspect_dir = _export(env, "inspect", "closed", "fresh-inspect")
    lm_dir = _export(env, "lm-eval", "closed", "fresh-lm")
    assert '"inspect-ai"' in (inspect_dir / "pyproject.toml").read_text() and "mintbench\"" not in (inspect_dir / "pyproject.toml").read_text()
    # Installed as a runner would, dependencies resolved: nothing named mintbench is fetched.
    installed = subprocess.run([str(runner_bin / "python"), "-m", "pip", "install", str(inspect_dir)], env=clean, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-2000:]
    listed = subprocess.run([str(runner_bin / "python"), "-m", "pip", "list", "--format", "json"], env=clean, capture_output=True, text=True)
    names = {d["name"].lower() for d in json.loads(listed.stdout)}
    assert "mintbench" not in names and slug(VERSION).replace("_", "-") in names
    script = Script()
    for k, item in enumerate(env["items"]):
        script.add(item, {"scripted": 1.0 if k % 3 == 0 else 0.0}, wrong="7")
    with ScriptedServer(script) as server:
        metrics, responses, _ = _inspect(env, env["tmp"], f"{slug(VERSION)}/mintbench", server.base_url, "scripted", None, runner_bin, clean)
        lm_acc, lm_responses = _lm_eval(env, lm_dir, server.base_url, "scripted", runner_bin, clean)
    for accuracy, got in ((metrics["accuracy"], responses), (lm_acc, lm_responses)):
        assert len(got) == 6
        # The service releases scores on its 0.01 grid (the Ladder): 2/6 comes back as 0.33.
        assert accuracy == pytest.approx(_mintbench_grade(env, got, "fresh")["accuracy"], abs=0.01)
        assert accuracy == pytest.approx(2 / 6, abs=0.01)


def test_a_tampered_export_cannot_redirect_the_token(tmp_path, monkeypatch):
    """A tampered export.json sent a lab's token to another listener (plain http), and the
    runtime reported the 0.99 it replied. The token now goes only to MINTBENCH_GRADER_URL, over
    https or to this machine, and a redirect is not followed."""
    import http.server

    from mintbench.runners.exports import runtime

    seen = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.headers.get("Authorization"))
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "export.json").write_text(json.dumps({"version": VERSION, "grader_url": f"http://127.0.0.1:{server.server_address[1]}"}))
        monkeypatch.setenv("MINTBENCH_TOKEN", "secret-token")
        monkeypatch.delenv("MINTBENCH_GRADER_URL", raising=False)
        with pytest.raises(RuntimeError, match="MINTBENCH_GRADER_URL"):
            runtime.submit(tmp_path, {"a": "b"})
        assert seen == []  # the export's own address got nothing
        monkeypatch.setenv("MINTBENCH_GRADER_URL", "http://grader.example.org")
        with pytest.raises(RuntimeError, match="https"):
            runtime.submit(tmp_path, {"a": "c"})
        monkeypatch.setenv("MINTBENCH_GRADER_URL", f"http://127.0.0.1:{server.server_address[1]}")
        with pytest.raises(RuntimeError, match="redirected"):
            runtime.submit(tmp_path, {"a": "d"})
        assert seen == ["Bearer secret-token"]  # the address the user gave, once, and no further
    finally:
        server.shutdown()


def test_a_withheld_score_is_reported_as_not_a_number_with_its_reason(capsys):
    """A degenerate submission releases no score: the closed runners print the service's reason
    and report NaN, never a made-up 0."""
    import math

    from mintbench.runners.exports.runtime import released_accuracy

    assert math.isnan(released_accuracy({"accuracy": None, "withheld": "most responses are unparsed, refused or hedged"}))
    assert "unparsed, refused or hedged" in capsys.readouterr().err
    assert released_accuracy({"accuracy": 0.33}) == 0.33
