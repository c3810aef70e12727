"""`mintbench export`: a release in the formats other runners read.

closed (default): no answers leave the store; scoring goes through the grading service.
owner: for the holder of the age identity; Inspect and lm-eval tasks carry the still-sealed
answers and decrypt them in memory when scoring; JSONL and HF exports carry plain answers
(`ideal` / `answer`), so an owner export is private by nature.
Every export carries the release's canary.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from mintbench.errors import MintbenchError
from mintbench.releases.release import MANIFEST, QUESTIONS, SEALED, SIGNATURE, check_version, items_in_dir, verify_dir
from mintbench.releases.keys import trusted_keys
from mintbench.releases.store import Store

FORMATS = ("inspect", "lm-eval", "jsonl", "hf")
MODES = ("closed", "owner")


def slug(version: str) -> str:
    return "mintbench_" + re.sub(r"[^0-9a-z]+", "_", version.lower())


def _template(name: str) -> str:
    return files("mintbench.runners.exports.templates").joinpath(name).read_text()


def _answers(release: Path) -> dict[str, str]:
    from mintbench.releases.keys import load_keys

    return {i.item_id: i.answer for i in items_in_dir(release, load_keys())}


def _runtime(task_dir: Path) -> None:
    """The standard-library runtime beside the task file (see runtime.py)."""
    (task_dir / "mintbench_runtime.py").write_text(files("mintbench.runners.exports").joinpath("runtime.py").read_text())


def owner_install() -> str:
    """How a runner gets mintbench for owner mode: a direct reference to this installation's
    source when it is a checkout, never a bare index name (anyone could register that)."""
    root = Path(__file__).resolve().parents[3]
    if (root / "pyproject.toml").is_file() and 'name = "mintbench"' in (root / "pyproject.toml").read_text():
        return f"mintbench @ {root.as_uri()}"
    return ""


def _data_dir(release: Path, data: Path, info: dict, owner: bool) -> None:
    """The release files a task needs; the sealed answers only for the owner. The questions also
    as JSON lines, so a closed task reads them with the standard library alone."""
    data.mkdir(parents=True)
    with open(data / "questions.jsonl", "w", encoding="utf-8") as fh:
        for row in pq.read_table(release / QUESTIONS).to_pylist():
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    names = [QUESTIONS, MANIFEST, SIGNATURE] + ([SEALED] if owner else [])
    for name in names:
        shutil.copyfile(release / name, data / name)
    if owner:  # verify_dir checks every file the manifest lists: keep them all
        for name in json.loads((release / MANIFEST).read_text())["files"]:
            if not (data / name).exists():
                shutil.copyfile(release / name, data / name)
    (data / "export.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")


def write_inspect(release: Path, out: Path, info: dict, owner: bool) -> None:
    pkg = slug(info["version"])
    _data_dir(release, out / pkg / "data", info, owner)
    (out / pkg / "__init__.py").write_text(f'"""mintbench release {info["version"]} for Inspect. Canary: {info["canary"]}"""\n')
    (out / pkg / "task.py").write_text(_template("inspect_task.py"))
    _runtime(out / pkg)
    # Closed: the runner alone. Owner: mintbench by a direct reference, never by a bare name.
    how = owner_install() if owner else ""
    deps = ["inspect-ai"] + ([how] if how else [])
    (out / pkg / "_registry.py").write_text("from .task import mintbench  # noqa: F401  (Inspect finds tasks through this entry point)\n")
    (out / "pyproject.toml").write_text(f"""[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{pkg.replace('_', '-')}"
version = "0.0.0"
description = "mintbench release {info['version']} as an Inspect task ({info['mode']} mode). Canary: {info['canary']}"
requires-python = ">=3.11"
dependencies = {json.dumps(deps)}

[project.entry-points.inspect_ai]
{pkg} = "{pkg}._registry"

[tool.setuptools]
packages = ["{pkg}"]

[tool.setuptools.package-data]
{pkg} = ["data/*"]
""")
    _readme(out, info, f"""pip install {out}
inspect eval {pkg}/mintbench --model openai-api/local/MODEL   # with LOCAL_BASE_URL, LOCAL_API_KEY
# or, without installing:
inspect eval {out}/{pkg}/task.py --model ...""" + _needs(owner))


def write_lm_eval(release: Path, out: Path, info: dict, owner: bool) -> None:
    name = slug(info["version"])
    _data_dir(release, out / "data", info, owner)
    (out / "utils.py").write_text(_template("lm_eval_utils.py"))
    _runtime(out)
    (out / f"{name}.yaml").write_text(f"""# mintbench release {info['version']} ({info['mode']} mode). Canary: {info['canary']}
task: {name}
custom_dataset: !function utils.load_dataset
test_split: test
output_type: generate_until
doc_to_text: "{{{{question}}}}"
doc_to_target: "{{{{item_id}}}}"
process_results: !function utils.process_results
metric_list:
  - metric: accuracy
    aggregation: !function utils.aggregate_accuracy
    higher_is_better: true
generation_kwargs:
  until: ["<|endoftext|>"]
  max_gen_toks: 512
  do_sample: false
  temperature: 0.0
metadata:
  version: 1.0
""")
    _readme(out, info, f"""lm_eval --include_path {out} --tasks {name} \\
  --model local-chat-completions --apply_chat_template \\
  --model_args model=MODEL,base_url=http://HOST:PORT/v1/chat/completions,num_concurrent=4""" + _needs(owner))


def _needs(owner: bool) -> str:
    if not owner:
        return ("\n# closed mode needs only the runner: set MINTBENCH_TOKEN and MINTBENCH_GRADER_URL (the token goes only there);"
                "\n# the service's reply is your token's Ladder score (see the grading service's disclosure rules)")
    how = owner_install()
    return ("\n# owner mode grades with mintbench and the owner's age identity; install mintbench first: "
            + (f'pip install "{how}"' if how else "pip install -e /path/to/your/mintbench/checkout"))


def write_jsonl(release: Path, out: Path, info: dict, owner: bool) -> None:
    out.mkdir(parents=True)
    answers = _answers(release) if owner else {}
    with open(out / "samples.jsonl", "w", encoding="utf-8") as fh:
        for row in pq.read_table(release / QUESTIONS).to_pylist():
            line = {
                "item_id": row["item_id"],
                "input": [{"role": "user", "content": row["question"]}],
                "metadata": {k: row[k] for k in ("domain", "level", "format", "lang", "difficulty_label")},
                "canary": info["canary"],
            }
            if owner:
                line["ideal"] = answers[row["item_id"]]
            fh.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    (out / "export.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
    _readme(out, info, "Each line of samples.jsonl: item_id, input (chat messages), metadata, canary"
            + (", ideal (the gold answer)." if owner else "; no answers: submit responses to the grading service."))


def write_hf(release: Path, out: Path, info: dict, owner: bool) -> None:
    (out / "data").mkdir(parents=True)
    table = pq.read_table(release / QUESTIONS)
    if owner:
        answers = _answers(release)
        table = table.append_column("answer", pa.array([answers[i] for i in table.column("item_id").to_pylist()], pa.string()))
    table = table.replace_schema_metadata({b"mintbench.canary": info["canary"].encode()})
    pq.write_table(table, out / "data" / "test-00000-of-00001.parquet", compression="zstd")
    (out / "export.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
    (out / "README.md").write_text(f"""---
license: cc-by-4.0
pretty_name: mintbench {info['version']}
task_categories:
- question-answering
configs:
- config_name: default
  data_files:
  - split: test
    path: data/test-*
---
{_card(info)}
Load with `datasets.load_dataset("{out}")` (split `test`).
""")


def _card(info: dict) -> str:
    answers = ("This owner export contains the gold answers: keep it private."
               if info["mode"] == "owner" else "Answers are sealed: score through the grading service at " + info["grader_url"] + ".")
    return f"""# mintbench {info['version']}

Fresh science questions with code-proven answers, minted by mintbench ({info['mode']} export).
{answers}

Do not train on this data. Canary GUID: {info['canary']}
"""


def _readme(out: Path, info: dict, usage: str) -> None:
    token = ("" if info["mode"] == "owner" else "\nSet MINTBENCH_TOKEN and MINTBENCH_GRADER_URL before running: the token is sent only to the "
             "address you set (https, or http to this machine), never to the one this file names, which is not signed; check that "
             "address with whoever issued your token.\n")
    (out / "README.md").write_text(_card(info) + token + f"\n```\n{usage}\n```\n")


WRITERS = {"inspect": write_inspect, "lm-eval": write_lm_eval, "jsonl": write_jsonl, "hf": write_hf}


def export(version: str, fmt: str, out: str | Path, store: str = "outputs/releases", mode: str = "closed",
           grader_url: str = "http://127.0.0.1:8100", trust: tuple[str, ...] = ()) -> Path:
    check_version(version)
    if fmt not in WRITERS:
        raise MintbenchError(f"bad --to {fmt!r}; allowed: {', '.join(FORMATS)}")
    if mode not in MODES:
        raise MintbenchError(f"bad --mode {mode!r}; allowed: {', '.join(MODES)}")
    out = Path(out)
    if out.exists():
        raise MintbenchError(f"export directory {str(out)!r} already exists")
    store = Store(store)
    if not store.is_published(version):
        raise MintbenchError(f"release {version} does not exist in {store}")
    with store.local_copy(version) as release:
        problems = verify_dir(release, trusted_keys(extra=trust))
        if problems:
            raise MintbenchError(f"release {version} does not verify: {problems[0]}")
        manifest = json.loads((release / MANIFEST).read_text())
        info = {"version": version, "mode": mode, "format": fmt, "canary": manifest["canary"], "grader_url": grader_url, "items": manifest["counts"]["total"]}
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        try:
            WRITERS[fmt](release, stage / "x", info, mode == "owner")
            (stage / "x").rename(out)  # all or nothing
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return out.resolve()
