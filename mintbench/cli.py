"""The `mintbench` command."""

from __future__ import annotations

import json
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mintbench.errors import MintbenchError
from mintbench.prefect_env import apply_defaults

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Mint fresh, sealed, code-proven science exams.")
generators_app = typer.Typer(no_args_is_help=True, help="Inspect the generator registry.")
app.add_typer(generators_app, name="generators")

out = Console()
err = Console(stderr=True)
ENGINES = ("prefect", "local")


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except MintbenchError as exc:
        fail(str(exc))


@contextmanager
def progress_bar(label: str, total: int) -> Iterator:
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def parse_knobs(values: list[str]) -> dict[str, dict]:
    """`--knob math.derivative.n_terms=3` -> {"math.derivative": {"n_terms": 3}}."""
    knobs: dict[str, dict] = {}
    for raw in values:
        key, sep, value = raw.partition("=")
        gid, dot, name = key.rpartition(".")
        if not sep or not dot or not gid:
            raise MintbenchError(f"bad --knob {raw!r}; expected GENERATOR_ID.KNOB=VALUE, e.g. math.derivative.n_terms=3")
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = value
        knobs.setdefault(gid, {})[name] = parsed
    return knobs


@generators_app.command("list")
def generators_list(
    domain: Optional[str] = typer.Option(None, help="Only this domain."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Show id, domain, topic, levels, formats, answer type and difficulty knobs."""
    from mintbench.items import registry

    with user_errors():
        if domain is not None:
            registry.load_domain(domain)
        rows = [g.describe() for g in registry.all_generators() if domain is None or g.domain == domain]
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if out.width < WIDE_TABLE:
        # Pipes, CI logs and 80-column terminals: a layout that wraps instead of cutting words.
        print(generators_text(rows, max(out.width, 60)))
        return
    table = Table(title=f"{len(rows)} generators")
    table.add_column("id", no_wrap=True)
    for col in ("domain", "topic", "levels", "formats", "answer type", "knobs"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["domain"], r["topic"], ",".join(r["levels"]), ",".join(r["formats"]), r["answer_type"], ", ".join(r["knobs"]))
    out.print(table)


WIDE_TABLE = 140  # columns the full table needs to show every cell whole


def generators_text(rows: list[dict], width: int) -> str:
    """One line per generator (id, level, formats, answer type), then its topic and knobs
    wrapped and indented below it."""
    import textwrap

    lines = [f"{len(rows)} generators", f"{'id':30} {'lvl':3} {'formats':18} answer type"]
    for r in rows:
        lines.append(f"{r['id']:30} {','.join(r['levels']):3} {','.join(r['formats']):18} {r['answer_type']}")
        detail = f"topic: {r['topic']}; knobs: {', '.join(r['knobs']) or 'none'}"
        lines += textwrap.wrap(detail, width=width, initial_indent="    ", subsequent_indent="      ", break_on_hyphens=False)
    return "\n".join(lines)


sources_app = typer.Typer(no_args_is_help=True, help="Fetch live knowledge into local snapshots.")
app.add_typer(sources_app, name="sources")


@sources_app.command("fetch-ncbi")
def fetch_ncbi(
    term: str = typer.Option(..., help='Entrez query, e.g. \'"Escherichia coli"[Organism] AND plasmid[Title]\''),
    start: str = typer.Option(..., "--from", help="Publication date window start, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Publication date window end, YYYY-MM-DD."),
    out_file: Path = typer.Option(..., "--out", help="Snapshot file (JSON lines) for biology.genbank_facts.snapshot."),
    retmax: int = typer.Option(20, help="At most this many records."),
    email: Optional[str] = typer.Option(None, envvar="NCBI_EMAIL", help="Contact email NCBI asks for."),
    api_key_env: str = typer.Option("NCBI_API_KEY", help="Environment variable holding an NCBI API key (10 req/s instead of 3)."),
    base_url: str = typer.Option("https://eutils.ncbi.nlm.nih.gov/entrez/eutils", help="E-utilities base URL."),
) -> None:
    """GenBank records published in a date window, written to a snapshot; prints the file last."""
    import os

    from generators.sources.ncbi_live import NcbiSettings, SourceUnavailable, fetch_window

    with user_errors():
        window = _date_window(start, end)
        settings = NcbiSettings(base_url=base_url, email=email, api_key=os.environ.get(api_key_env) or None)
        try:
            summary = fetch_window(term, *window, out_file, settings, retmax=retmax)
        except SourceUnavailable as exc:
            raise MintbenchError(str(exc)) from None
    err.print(f"{summary['records']} records ({summary['ids']} ids, skipped {summary['skipped'] or 'none'}) in {summary['requests']} requests")
    print(out_file)


@sources_app.command("fetch-pubchem")
def fetch_pubchem(
    start: str = typer.Option(..., "--from", help="Creation date window start, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Creation date window end, YYYY-MM-DD."),
    out_file: Path = typer.Option(..., "--out", help="Snapshot file (JSON lines)."),
    retmax: int = typer.Option(50, help="At most this many compounds."),
) -> None:
    """PubChem compounds created in a date window (PUG-REST), written to a snapshot file."""
    from generators.sources.http import SourceUnavailable
    from generators.sources.pubchem_live import fetch_window

    with user_errors():
        window = _date_window(start, end)
        try:
            summary = fetch_window(*window, out_file, retmax=retmax)
        except SourceUnavailable as exc:
            raise MintbenchError(str(exc)) from None
    err.print(f"{summary['records']} compounds ({summary['cids']} CIDs, skipped {summary['skipped'] or 'none'}) in {summary['requests']} requests")
    print(out_file)


def _date_window(start: str, end: str):
    from datetime import date

    try:
        window = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise MintbenchError(f"bad date in --from/--to ({start!r}, {end!r}); expected YYYY-MM-DD") from None
    if window[0] > window[1]:
        raise MintbenchError("--from must not be after --to")
    return window


@app.command()
def create(
    domain: str = typer.Option(..., help="math | chemistry | biology"),
    count: int = typer.Option(100, help="Number of items."),
    seed: Optional[int] = typer.Option(None, help="A public seed: a reproducible practice set that anyone can rebuild (never sealed). Without it the set is drawn from a fresh 256-bit secret and can be published sealed."),
    level: Optional[str] = typer.Option(None, help="Only generators of this level (L1-L5)."),
    difficulty: str = typer.Option("medium", help="easy | medium | hard"),
    lang: str = typer.Option("en", help="en | zh"),
    fmt: str = typer.Option("mixed", "--format", help="open | mcq | true_false | mixed"),
    render: str = typer.Option("plain", "--render", help="plain | latex: how math prints (latex for the math-heavy generators; the others print plain)."),
    generator: list[str] = typer.Option([], "--generator", help="Only these generator ids (repeatable)."),
    knob: list[str] = typer.Option([], "--knob", help="GENERATOR_ID.KNOB=VALUE (repeatable)."),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Set directory (default under outputs/sets/)."),
    engine: str = typer.Option("prefect", help="prefect (flow with one task per shard) | local (this process)"),
    shard_size: int = typer.Option(500, help="Items per shard (one Prefect task each)."),
    workers: int = typer.Option(1, min=1, help="Processes building shards on this machine."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run the shard tasks on a Dask cluster: tcp://HOST:PORT."),
) -> None:
    """Generate and prove a set; prints the set directory as the last line."""
    from mintbench.create.build import SetSpec, new_secret, resolve_generators, run_local

    with user_errors():
        if engine not in ENGINES:
            raise MintbenchError(f"unknown engine {engine!r}; allowed: {', '.join(ENGINES)}")
        if shard_size <= 0:
            raise MintbenchError(f"shard-size must be a positive integer, got {shard_size}")
        try:
            spec = SetSpec(
                domain=domain, count=count, seed=seed, secret=None if seed is not None else new_secret(), level=level, difficulty=difficulty, lang=lang,
                format=fmt, render=render, generators=tuple(generator) or None, knobs=parse_knobs(knob), shard_size=shard_size,
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            raise MintbenchError(f"bad {first['loc'][0]}: {first['msg'].removeprefix('Value error, ')}") from None
        resolve_generators(spec)
        if dask and engine == "local":
            raise MintbenchError("--dask runs Prefect tasks on the cluster; it needs --engine prefect")
        check_dask_address(dask)
        if engine == "local":
            with progress_bar("generating + proving", spec.count) as advance:
                path = run_local(spec, out_dir, progress=advance, workers=workers)
        else:
            apply_defaults()
            from flows.create_set import create_set, on_runner
            from mintbench.create.build import default_out_dir, shard_pool, write_spec_file

            target = out_dir or default_out_dir(spec)
            # The spec (secret included) goes by a private file: Prefect stores flow parameters.
            with write_spec_file(spec, target) as spec_file, shard_pool(1 if dask else workers):
                path = on_runner(create_set, dask, workers)(spec_file=str(spec_file), out=str(target))
    print(path)


def check_dask_address(address: Optional[str]) -> None:
    if address is not None and not re.fullmatch(r"(tcp|tls)://[A-Za-z0-9.\-\[\]:]+:\d{1,5}", address):
        raise MintbenchError(f"bad --dask {address!r}; expected a scheduler address such as tcp://10.0.0.5:8786")


@app.command("filter")
def filter_cmd(
    set_dir: Path = typer.Argument(..., help="A set directory."),
    models: Optional[Path] = typer.Option(None, "--models", help="Ladder config (TOML); default ./mintbench.toml, else the embedded model."),
    engine: str = typer.Option("prefect", help="prefect (one task per shard) | local (this process)"),
    results: Optional[Path] = typer.Option(None, "--results", help="Record the reference models' verdicts in this results store (default: outputs/releases.results.sqlite)."),
    record: bool = typer.Option(True, help="Record the reference models' verdicts in the results store."),
) -> None:
    """Measure difficulty on reference models; adds difficulty columns and difficulty_report.md,
    and records the reference models' verdicts for the results board."""
    from mintbench.difficulty.filtering import run_filter
    from mintbench.difficulty.config import load_ladder
    from mintbench.items.setdir import load_set

    with user_errors():
        if engine not in ENGINES:
            raise MintbenchError(f"unknown engine {engine!r}; allowed: {', '.join(ENGINES)}")
        ladder = load_ladder(models)
        items, _ = load_set(set_dir)
        if engine == "local":
            with progress_bar("measuring difficulty", len(items)) as advance:
                info = run_filter(set_dir, ladder, progress=advance)
            labels = info["by_label"]
        else:
            apply_defaults()
            from flows.filter_set import filter_set

            labels = filter_set(str(set_dir), str(models) if models else None)["labels"]
        if record:
            from mintbench.results.add import add_filter_results

            recorded = add_filter_results(_results_store("outputs/releases", results), set_dir)
    out.print("labels: " + ", ".join(f"{k} {v}" for k, v in labels.items()))
    if record:
        out.print(f"recorded for the results board: {', '.join(recorded) or 'none (no model covered every item)'}", highlight=False)
    print(set_dir)


@app.command()
def validate(
    set_dir: Path = typer.Argument(..., help="A set directory."),
    workers: int = typer.Option(1, min=1, help="Processes proving items."),
) -> None:
    """Re-prove every gold answer and check the manifest hashes. Exit 1 on any failure."""
    from mintbench.runners.grading import prove_set
    from mintbench.items.setdir import check_hashes, load_set

    with user_errors():
        items, manifest = load_set(set_dir)
        tampered = check_hashes(set_dir, manifest)
        with progress_bar("proving", len(items)) as advance:
            report = prove_set(items, progress=advance, workers=workers)
    for name in tampered:
        err.print(f"[red]hash mismatch:[/] {name}")
    out.print(f"{report['proven']}/{report['items']} items proven")
    for gid, n in sorted(report["failed_by_generator"].items()):
        out.print(f"  [red]failed[/] {gid}: {n}")
    if tampered or report["proven"] != report["items"]:
        raise typer.Exit(1)


@app.command()
def grade(
    target: str = typer.Argument(..., help="A set directory, or a release version (the owner decrypts it)."),
    responses: Path = typer.Option(..., "--responses", help='JSONL: {"item_id": ..., "response": ...} per line.'),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON (top-level `accuracy`)."),
    store: str = typer.Option("outputs/releases", "--store", help="Release store, when TARGET is a version."),
    workers: int = typer.Option(1, min=1, help="Processes grading responses."),
) -> None:
    """Grade responses: accuracy overall and by domain, level and generator."""
    from mintbench.runners.grading import grade_items, load_responses, summarize
    from mintbench.releases.release import VERSION_RE
    from mintbench.items.setdir import load_set

    with user_errors():
        if VERSION_RE.match(target) and not Path(target).is_dir():
            from mintbench.releases.keys import load_keys
            from mintbench.releases.release import sealed_items

            items = sealed_items(target, store, load_keys())
        else:
            items, _ = load_set(target)
        answers = load_responses(responses)
        with progress_bar("grading", len(items)) as advance:
            report = summarize(grade_items(items, answers, progress=advance, workers=workers))
    if as_json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return
    o = report["overall"]
    out.print(f"accuracy {report['accuracy']:.3f}  correct {o['correct']}  wrong {o['wrong']}  unparsed {o['unparsed']}  (missing {report['missing']})")
    for key in ("by_domain", "by_level", "by_generator"):
        table = Table(title=key.replace("_", " "))
        for col in ("", "n", "accuracy", "correct", "wrong", "unparsed"):
            table.add_column(col)
        for name, b in report[key].items():
            table.add_row(name, str(b["n"]), f"{b['accuracy']:.3f}", str(b["correct"]), str(b["wrong"]), str(b["unparsed"]))
        out.print(table)


keys_app = typer.Typer(no_args_is_help=True, help="The owner's age identity and signing key.")
app.add_typer(keys_app, name="keys")
STORE = typer.Option("outputs/releases", "--store", help="Release store: a directory or an fsspec URL such as s3://bucket/prefix.")
TRUST = typer.Option([], "--trust-key", help="Also trust this Ed25519 signing key (64 hex digits; repeatable).")
RESULTS = typer.Option(None, "--results", help="Results store file (default: <store>.results.sqlite beside a local release store, outputs/results.sqlite for a remote one).")


@keys_app.command("init")
def keys_init(force: bool = typer.Option(False, help="Replace existing keys.")) -> None:
    """Create the age identity and Ed25519 signing key under $XDG_CONFIG_HOME/mintbench (0600)."""
    from mintbench.releases.keys import init_keys

    with user_errors():
        directory = init_keys(force=force)
    print(directory)


@keys_app.command("trust")
def keys_trust(key: str = typer.Argument(..., help="An Ed25519 public key, 64 hex digits (a publisher's signing.pub)."),
               label: str = typer.Option("trusted by hand", help="Who the key belongs to.")) -> None:
    """Trust a publisher's signing key: releases it signed verify from now on."""
    from mintbench.releases.keys import trust_key

    with user_errors():
        trust_key(key, label)
    out.print(f"trusted {key.strip().lower()}")


@keys_app.command("distrust")
def keys_distrust(key: str = typer.Argument(...)) -> None:
    """Stop trusting a signing key (a retired or compromised one)."""
    from mintbench.releases.keys import distrust_key

    with user_errors():
        distrust_key(key)
    out.print(f"no longer trusted: {key.strip().lower()}")


@keys_app.command("list")
def keys_list() -> None:
    """The signing keys this user trusts, with their labels."""
    from mintbench.releases.keys import trusted_keys

    for key, label in trusted_keys().items():
        print(f"{key}\t{label}")


@app.command()
def publish(
    set_dirs: list[Path] = typer.Argument(..., help="Proven (ideally filtered) candidate set directories."),
    version: str = typer.Option(..., help="YYYY.MM (monthly) or YYYY.MM.DD-<domain>-<hash> (on demand)."),
    quota: list[str] = typer.Option([], "--quota", help="DOMAIN=N items, stratified by level and label (repeatable)."),
    selection_seed: int = typer.Option(0, help="Seed of the stratified selection."),
    public: bool = typer.Option(False, "--public", help="Publish sets made from public seeds as an open practice set: no sealed claim."),
    recall: str = typer.Option("mark", "--recall", help="Items of generators whose questions public draws reproduce (knowledge "
                               "recall): mark them in the manifest and CARD.md, or exclude them."),
    store: str = STORE,
) -> None:
    """Seal, sign and publish sets as an immutable release; prints the release directory.
    Sets made with --seed are refused unless --public: anyone can rebuild their answers."""
    from mintbench.releases.keys import load_keys
    from mintbench.releases.release import publish as do_publish

    with user_errors():
        path = do_publish(set_dirs, version, store, load_keys(), quotas=parse_quotas(quota), selection_seed=selection_seed, public=public,
                          recall=recall)
    print(path)


def parse_quotas(values: list[str]) -> dict[str, int] | None:
    from mintbench.items.schema import DOMAINS

    quotas = {}
    for raw in values:
        domain, _, n = raw.partition("=")
        if domain not in DOMAINS or not n.isdigit() or int(n) <= 0:
            raise MintbenchError(f"bad --quota {raw!r}; expected DOMAIN=N with DOMAIN in {', '.join(DOMAINS)} and N > 0")
        quotas[domain] = int(n)
    return quotas or None


@app.command()
def verify(version: str = typer.Argument(...), store: str = STORE, trust_key: list[str] = TRUST) -> None:
    """Check every file hash and the manifest signature against trusted keys; exit 1 naming
    each tampered, unexpected or untrusted file."""
    from mintbench.releases.release import verify as do_verify

    with user_errors():
        problems = do_verify(version, store, tuple(trust_key))
    for p in problems:
        err.print(f"[red]tampered:[/] {p}", highlight=False)
    if problems:
        raise typer.Exit(1)
    out.print(f"{version}: all files match the signed manifest")


@app.command()
def reveal(
    version: str = typer.Argument(...), store: str = STORE,
    force: bool = typer.Option(False, help="Reveal before the embargo (recorded in manifest.embargo_days) ends."),
) -> None:
    """Publish the answers and the seed of a release, after its embargo."""
    from mintbench.releases.keys import load_keys
    from mintbench.releases.release import reveal as do_reveal

    with user_errors():
        print(do_reveal(version, store, load_keys(), force=force))


@app.command()
def reproduce(version: str = typer.Argument(...), store: str = STORE, trust_key: list[str] = TRUST) -> None:
    """Verify the release, check the secret commitment and rebuild every released item from
    the revealed secrets; exit 1 on any missing, extra or changed item."""
    from mintbench.releases.release import reproduce as do_reproduce

    with user_errors():
        report = do_reproduce(version, store, tuple(trust_key))
    for problem in report["problems"][:20]:
        err.print(f"[red]not reproduced:[/] {problem}", highlight=False)
    out.print(f"{report['reproduced']}/{report['items']} items reproduced from the revealed secrets")
    if report["problems"]:
        raise typer.Exit(1)


@app.command()
def refresh(
    month: Optional[str] = typer.Option(None, help="YYYY-MM (default: this month, UTC)."),
    config: Optional[Path] = typer.Option(None, help="Project config with a \\[refresh] table (mintbench.toml)."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run the shard tasks on a Dask cluster: tcp://HOST:PORT."),
    live: Optional[str] = typer.Option(None, "--live", help="Live sources to use, comma-separated (pubchem, ncbi), or none; overrides use in \\[refresh.sources]."),
    require_live: Optional[bool] = typer.Option(None, "--require-live/--allow-fallback", help="Fail when a live source is unusable, or publish from the embedded snapshots and say so."),
    live_share: Optional[float] = typer.Option(None, "--live-share", help="Share of each live domain's quota that must cite a live record (0-1)."),
) -> None:
    """Run the monthly refresh once, now (resuming this month's run if one was interrupted);
    prints the release path."""
    apply_defaults()
    from flows.monthly_refresh import monthly_refresh

    with user_errors():
        if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            raise MintbenchError(f"bad --month {month!r}; expected YYYY-MM")
        check_dask_address(dask)
        overrides = {k: v for k, v in {"use": live_sources(live) if live is not None else None, "require_live": require_live, "share": live_share}.items() if v is not None}
        result = monthly_refresh(month, str(config) if config else None, dask, overrides or None)
    print(result["path"])


def live_sources(text: str) -> list[str]:
    names = [] if text.strip().lower() == "none" else [n.strip() for n in text.split(",") if n.strip()]
    for name in names:
        if name not in ("pubchem", "ncbi"):
            raise MintbenchError(f"bad --live source {name!r}; allowed: pubchem, ncbi, none")
    return names


@app.command("serve-schedule")
def serve_schedule(config: Optional[Path] = typer.Option(None, help="Project config with a \\[refresh] table.")) -> None:
    """Register the monthly deployment (cron 0 3 1 * * UTC) and run its flow runs.
    Needs PREFECT_API_URL pointing at `prefect server start` (see `make serve`)."""
    import os

    apply_defaults()
    if not os.environ.get("PREFECT_API_URL"):
        fail("PREFECT_API_URL is not set: schedules only fire on a real Prefect server (`make serve` starts one)")
    from flows.monthly_refresh import serve

    serve(str(config.resolve()) if config else None)


tokens_app = typer.Typer(no_args_is_help=True, help="Bearer tokens of the grading service (stored hashed).")
app.add_typer(tokens_app, name="tokens")
LEDGER = typer.Option(None, "--ledger", help="SQLite ledger (default: <store>.grader.sqlite beside a local store).")


def _ledger(store: str, ledger: Optional[Path]):
    from mintbench.runners.service.ledger import Ledger, default_ledger

    return Ledger(ledger or default_ledger(store))


@tokens_app.command("add")
def tokens_add(name: str = typer.Argument(..., help="Who the token is for."), store: str = STORE, ledger: Optional[Path] = LEDGER) -> None:
    """Create a token; it is printed once, as the last line, and stored only as a hash."""
    with user_errors():
        token = _ledger(store, ledger).add_token(name)
    err.print(f"token {name!r} created; keep it secret, it cannot be shown again")
    print(token)


@tokens_app.command("revoke")
def tokens_revoke(name: str = typer.Argument(...), store: str = STORE, ledger: Optional[Path] = LEDGER) -> None:
    """Revoke a token: its requests get 403 from then on."""
    with user_errors():
        _ledger(store, ledger).revoke(name)
    out.print(f"revoked {name}")


@tokens_app.command("list")
def tokens_list(store: str = STORE, ledger: Optional[Path] = LEDGER) -> None:
    """Token names, creation and revocation times (never the tokens)."""
    with user_errors():
        rows = _ledger(store, ledger).tokens()
    for row in rows:
        out.print(f"{row['name']}\t{row['created_at']}\t{'revoked ' + row['revoked_at'] if row['revoked_at'] else 'active'}")


@app.command("serve-grader")
def serve_grader(
    store: str = STORE, ledger: Optional[Path] = LEDGER,
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8100, help="Port to listen on."),
    per_day: int = typer.Option(5, min=1, help="Submissions per token per release per day (UTC)."),
    total: int = typer.Option(50, min=1, help="Submissions per token per release in total."),
    max_body_mb: float = typer.Option(16.0, min=0.001, help="Largest request body accepted (413 above)."),
    min_coverage: float = typer.Option(0.5, min=0.0, max=1.0, help="Least share of a release a submission must answer."),
    workers: int = typer.Option(1, min=1, help="uvicorn worker processes."),
    score_step: float = typer.Option(0.01, min=0.001, max=0.5, help="Released scores are multiples of this, updated only when a token beats its best by it (the Ladder)."),
    min_cell: int = typer.Option(50, min=1, help="The public board's smallest cell for runs the owner recorded (the service releases no cells before reveal)."),
    reply_quantum: float = typer.Option(0.5, min=0.0, help="Replies leave at multiples of this many seconds after arrival, so timing says nothing of the grades."),
    public_share: float = typer.Option(0.5, min=0.01, max=1.0, help="Share of a release the service scores during its embargo: a secret public part (Kaggle's split); the rest moves no reply."),
    grading_workers: int = typer.Option(2, min=1, help="Grading sandboxes per uvicorn worker: submissions graded at once, one per token at a time."),
    results: Optional[Path] = RESULTS,
) -> None:
    """The closed grading service (FastAPI on uvicorn): scores submissions, releases only
    rounded aggregates under the Ladder, never per-item results; records each accepted
    submission in the results store and serves the public results board at /board."""
    from mintbench.results.store import default_results_path
    from mintbench.runners.service.ledger import default_ledger
    from mintbench.runners.service.server import serve

    with user_errors():
        serve(store, str(ledger or default_ledger(store)), host, port, per_day, total, int(max_body_mb * 1024 * 1024), min_coverage, workers,
              score_step, min_cell, reply_quantum, str(results or default_results_path(store)), grading_workers, public_share)


results_app = typer.Typer(no_args_is_help=True, help="Record graded runs of models on releases (the results store).")
app.add_typer(results_app, name="results")
board_app = typer.Typer(no_args_is_help=True, help="The results board: rankings with intervals and rank ranges.")
app.add_typer(board_app, name="board")


def _results_store(store: str, results: Optional[Path]):
    from mintbench.results.store import ResultsStore, default_results_path

    return ResultsStore(results or default_results_path(store))


@results_app.command("add")
def results_add(
    target: str = typer.Argument(..., help="A release version (the owner decrypts it) or a set directory."),
    model: str = typer.Option(..., "--model", help="The model's name on the board."),
    responses: Path = typer.Option(..., "--responses", help='JSONL: {"item_id": ..., "response": ...} per line (as for `grade`).'),
    meta: list[str] = typer.Option([], "--meta", help="KEY=VALUE about the model (provider, parameters, cutoff=YYYY-MM-DD, ...); repeatable."),
    replace: bool = typer.Option(False, help="Record these responses in place of the model's earlier ones (which are kept, marked replaced)."),
    store: str = STORE, results: Optional[Path] = RESULTS,
) -> None:
    """Grade a model's responses and record the run; the same responses again change nothing."""
    from mintbench.runners.results_feed import add_responses
    from mintbench.results.store import parse_meta

    with user_errors():
        run_id, new, report = add_responses(_results_store(store, results), target, model, responses, store, parse_meta(meta), replace)
    _print_run(model, run_id, new, report)


def _print_run(model: str, run_id: int, new: bool, report: dict) -> None:
    state = "recorded" if new else "already recorded (no change)"
    out.print(f"{model}: accuracy {report['accuracy']:.3f} on {report['overall']['n']} items, run {run_id} {state}", highlight=False)


@results_app.command("import")
def results_import(
    target: str = typer.Argument(..., help="The release version or set directory the runner was fed (through `mintbench export`)."),
    model: str = typer.Option(..., "--model", help="The model's name on the board."),
    log: Path = typer.Option(..., "--log", help="An Inspect eval log (.eval/.json) or an lm-evaluation-harness samples_*.jsonl."),
    meta: list[str] = typer.Option([], "--meta", help="KEY=VALUE about the model; repeatable."),
    replace: bool = typer.Option(False, help="Record these in place of the model's earlier run."),
    store: str = STORE, results: Optional[Path] = RESULTS,
) -> None:
    """Record another runner's run: its responses are read from its log and graded by mintbench."""
    from mintbench.results.store import parse_meta
    from mintbench.runners.results_feed import add_responses, responses_from_log

    with user_errors():
        responses = responses_from_log(log)
        run_id, new, report = add_responses(_results_store(store, results), target, model, log, store, parse_meta(meta), replace,
                                            responses=responses, source="import")
    _print_run(model, run_id, new, report)


@results_app.command("list")
def results_list(store: str = STORE, results: Optional[Path] = RESULTS) -> None:
    """Every run recorded, replaced ones included."""
    with user_errors():
        rows = _results_store(store, results).history()
    table = Table()
    for col in ("run", "release", "model", "source", "recorded", "items", "correct", "replaces"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["release"], r["model"], r["source"], r["recorded_at"], str(r["n"]), str(r["correct"]), str(r["supersedes"] or ""))
    out.print(table)


@board_app.command("build")
def board_build(
    out_dir: Path = typer.Option(..., "--out", help="Directory for index.html, models/, board.json and board.csv."),
    view: str = typer.Option("public", help="public: what the grading service would release; owner: every figure."),
    min_cell: int = typer.Option(50, min=1, help="Public view: cells of sealed releases smaller than this are withheld."),
    score_step: float = typer.Option(0.01, min=0.001, max=0.5, help="Public view: sealed releases' scores are rounded down to this grid."),
    store: str = STORE, results: Optional[Path] = RESULTS,
) -> None:
    """Build the static results board (works offline: no CDN, no web font)."""
    from mintbench.results.board import PublicRules, build

    with user_errors():
        data = build(_results_store(store, results), out_dir, view, PublicRules(step=score_step, min_cell=min_cell))
    out.print(f"{len(data['models'])} models on {len(data['releases'])} releases ({view} view)", highlight=False)
    print(out_dir / "index.html")


EXPORT_FORMATS = ("inspect", "lm-eval", "jsonl", "hf")


@app.command()
def export(
    version: str = typer.Argument(..., help="Release version."),
    to: str = typer.Option(..., "--to", help=f"One of: {', '.join(EXPORT_FORMATS)}."),
    out_dir: Path = typer.Option(..., "--out", help="Directory to create (must not exist)."),
    mode: str = typer.Option("closed", help="closed: no answers, scored by the grading service; owner: decrypt and score locally."),
    grader_url: str = typer.Option("http://127.0.0.1:8100", help="Grading service URL written into closed exports."),
    store: str = STORE,
    trust_key: list[str] = TRUST,
) -> None:
    """Export a release for another runner: Inspect, lm-evaluation-harness, OpenAI-evals JSONL, HF datasets."""
    from mintbench.runners.exports import export as do_export

    with user_errors():
        path = do_export(version, to, out_dir, store=store, mode=mode, grader_url=grader_url, trust=tuple(trust_key))
    print(path)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
