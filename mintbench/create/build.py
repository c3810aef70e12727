"""Build a set: plan shards, generate and prove each shard, assemble the set directory.

Plain functions that take and return data; `flows/create_set.py` runs the same steps as
Prefect tasks (one task per shard), and `run_local` runs them in this process.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

import mintbench
from generators.sources import load_stats
from mintbench.items import registry
from mintbench.items.render import RENDERS
from mintbench.items.rng import check_secret
from mintbench.errors import MintbenchError, allowed
from mintbench.faults import checkpoint
from mintbench.items.schema import (
    FORMATS,
    LANGS,
    LEVELS,
    SCHEMA_VERSION,
    Item,
    canonical_json,
)
from mintbench.items.setdir import (
    ITEMS_FILE,
    MANIFEST_FILE,
    ensure_writable_parent,
    private_dir,
    read_items,
    sha256_file,
    staged_dir,
    write_items,
    write_json,
    write_private,
)

DEFAULT_SHARD_SIZE = 500
MAX_ROUNDS = 8  # top-up rounds before a generator space counts as exhausted


class SetSpec(BaseModel):
    """Everything that determines a set's items (the clock does not).

    Exactly one of `seed` (a public, reproducible practice set: anyone can rebuild it) and
    `secret` (at least 128 bits of hex: a set that may be sealed and published)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    domain: str
    count: int
    seed: int | None = None
    secret: str | None = Field(default=None, repr=False)
    level: str | None = None
    difficulty: str = "medium"
    lang: str = "en"
    format: str = "mixed"
    render: str = "plain"  # how math prints: plain | latex (mintbench.items.render)
    generators: tuple[str, ...] | None = None
    knobs: dict[str, dict[str, Any]] = {}
    shard_size: int = DEFAULT_SHARD_SIZE

    @field_validator("count")
    @classmethod
    def _positive(cls, v: int) -> int:
        if v <= 0:
            raise ValueError(f"count must be a positive integer, got {v}")
        return v

    @field_validator("secret")
    @classmethod
    def _secret(cls, v: str | None) -> str | None:
        return None if v is None else check_secret(v)

    @model_validator(mode="after")
    def _one_stream(self) -> "SetSpec":
        if (self.seed is None) == (self.secret is None):
            raise ValueError("a set needs exactly one of seed (public practice set) and secret (sealed set)")
        return self

    @property
    def sealed(self) -> bool:
        return self.secret is not None

    def digest(self) -> str:
        # A public spec hashes as it did before secrets existed: its directories keep their names.
        # A plain set hashes as it did before --render existed, for the same reason.
        exclude = ({"secret"} if self.secret is None else set()) | ({"render"} if self.render == "plain" else set())
        data = self.model_dump(mode="json", exclude=exclude)
        return hashlib.sha256(canonical_json(data).encode()).hexdigest()[:12]


def new_secret() -> str:
    """256 bits from the operating system's CSPRNG."""
    return secrets.token_hex(32)


def resolve_generators(spec: SetSpec) -> list[str]:
    """The generator ids a set draws from, with every bad input named."""
    registry.load_domain(spec.domain)
    if spec.level is not None and spec.level not in LEVELS:
        raise allowed("level", spec.level, LEVELS)
    if spec.difficulty not in registry.DIFFICULTIES:
        raise allowed("difficulty", spec.difficulty, registry.DIFFICULTIES)
    if spec.lang not in LANGS:
        raise allowed("lang", spec.lang, LANGS)
    if spec.format not in (*FORMATS, "mixed"):
        raise allowed("format", spec.format, (*FORMATS, "mixed"))
    if spec.render not in RENDERS:
        raise allowed("render", spec.render, RENDERS)
    in_domain = [g for g in registry.all_generators() if g.domain == spec.domain]
    if spec.generators:
        known = {g.id: g for g in in_domain}
        for gid in spec.generators:
            if gid not in known:
                raise allowed(f"generator in domain {spec.domain}", gid, sorted(known))
        chosen = [known[g] for g in sorted(set(spec.generators))]
    else:
        chosen = in_domain
    chosen = _matching(spec, chosen)

    for gid, knobs in spec.knobs.items():
        if gid not in {g.id for g in chosen}:
            raise allowed("generator in --knob", gid, [g.id for g in chosen])
        registry.get(gid).config(spec.difficulty, knobs)  # validates names and values
    return [g.id for g in chosen]


def _matching(spec: SetSpec, gens: list) -> list:
    """The generators at the spec's level offering its format; when none, an error naming the
    actual mismatch (level, format or the pair) and what this domain has."""
    at_level = [g for g in gens if spec.level is None or g.level == spec.level]
    with_format = [g for g in gens if spec.format == "mixed" or spec.format in g.formats]
    both = [g for g in at_level if g in with_format]
    if both:
        return both
    where = f"{spec.domain}" + (f" (generators {', '.join(g.id for g in gens)})" if spec.generators else "")
    levels = ", ".join(sorted({g.level for g in gens}))
    formats = ", ".join(sorted({f for g in gens for f in g.formats}))
    if not at_level:
        raise MintbenchError(f"no {where} generator is at level {spec.level}; levels available: {levels}")
    if not with_format:
        raise MintbenchError(f"no {where} generator offers format {spec.format}; formats available: {formats}")
    level_formats = ", ".join(sorted({f for g in at_level for f in g.formats}))
    format_levels = ", ".join(sorted({g.level for g in with_format}))
    raise MintbenchError(
        f"no {where} generator at level {spec.level} offers format {spec.format}; "
        f"formats at {spec.level}: {level_formats}; levels offering {spec.format}: {format_levels}"
    )


def item_at(spec: SetSpec, generator_ids: list[str], index: int) -> Item:
    """Set item `index`, rebuilt alone: generators take turns by index."""
    gid = generator_ids[index % len(generator_ids)]
    return registry.build_item(
        gid, spec.seed or 0, index, difficulty=spec.difficulty, knobs=spec.knobs.get(gid), lang=spec.lang, fmt=spec.format,
        secret=spec.secret, render_as=spec.render,
    )


@dataclass
class ShardResult:
    path: str
    start: int
    stop: int
    kept: int
    dropped: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"path": self.path, "start": self.start, "stop": self.stop, "kept": self.kept, "dropped": self.dropped}


def build_shard(spec: SetSpec, generator_ids: list[str], start: int, stop: int, work_dir: str | Path) -> ShardResult:
    """Generate and prove items [start, stop); write the proven ones to a shard file.

    Returns only the path and counts: answers stay on disk, out of orchestration results.
    A shard finished by an earlier, interrupted run (same work directory, which is keyed by
    the spec digest) is taken as it is: its parquet file and then its counts were each
    written atomically, so a counts file means a whole shard.
    """
    from validators.proofs import prove_item

    path = Path(work_dir) / f"shard-{start:09d}-{stop:09d}.parquet"
    done = path.with_suffix(".json")
    if done.is_file() and path.is_file():
        return ShardResult(**{**json.loads(done.read_text()), "path": str(path)})

    kept: list[Item] = []
    dropped: dict[str, Counter] = {"generation_failed": Counter(), "proof_failed": Counter()}
    for index in range(start, stop):
        gid = generator_ids[index % len(generator_ids)]
        try:
            item = item_at(spec, generator_ids, index)
        except MintbenchError:
            raise
        except Exception:
            dropped["generation_failed"][gid] += 1
            continue
        if prove_item(item) is not None:
            dropped["proof_failed"][gid] += 1
            continue
        kept.append(item)
    write_items(kept, path)
    result = ShardResult(str(path), start, stop, len(kept), {k: dict(v) for k, v in dropped.items() if v})
    write_json(result.as_dict(), done)
    checkpoint("create:shard")
    return result


def plan_ranges(start: int, stop: int, shard_size: int) -> list[tuple[int, int]]:
    return [(a, min(a + shard_size, stop)) for a in range(start, stop, shard_size)]


def next_round(spec: SetSpec, kept_so_far: int, next_index: int) -> list[tuple[int, int]]:
    """Index ranges to try next when drops or duplicates left the set short."""
    missing = spec.count - kept_so_far
    if missing <= 0:
        return []
    extra = max(missing + missing // 4 + 8, 16)
    return plan_ranges(next_index, next_index + extra, spec.shard_size)


def collect(spec: SetSpec, shards: list[ShardResult]) -> tuple[list[Item], int]:
    """Items in index order, repeated questions dropped, cut to the requested count.

    A repeat is the same question text and options: two indices that draw the same
    parameters must not ask the same thing twice in one set.
    """
    items = sorted((i for s in shards for i in read_items(Path(s.path))), key=lambda i: i.index)
    seen: set[tuple] = set()
    unique: list[Item] = []
    for item in items:
        key = (item.question, tuple(item.choices))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    duplicates = len(items) - len(unique)
    return unique[: spec.count], duplicates


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def manifest_for(spec: SetSpec, items: list[Item], shards: list[ShardResult], duplicates: int, created_at: str) -> dict:
    dropped: dict[str, Counter] = {}
    for s in shards:
        for reason, per_gen in s.dropped.items():
            dropped.setdefault(reason, Counter()).update(per_gen)
    count = lambda key: dict(sorted(Counter(key(i) for i in items).items()))  # noqa: E731
    return {
        "kind": "mintbench-set",
        "schema_version": SCHEMA_VERSION,
        "mintbench_version": mintbench.__version__,
        "spec": spec.model_dump(mode="json"),
        "spec_digest": spec.digest(),
        "created_at": created_at,
        "seed": spec.seed,
        "sealed": spec.sealed,
        "counts": {
            "total": len(items),
            "by_generator": count(lambda i: i.generator),
            "by_level": count(lambda i: i.level),
            "by_format": count(lambda i: i.format),
            "by_domain": count(lambda i: i.domain),
        },
        "generator_versions": dict(sorted({i.generator: i.generator_version for i in items}.items())),
        "sources": dict(sorted({f"{i.source.name}": i.source.version or "" for i in items}.items())),
        "source_records": {name: stats for name in sorted({i.source.name for i in items}) if (stats := load_stats(name))},
        "dropped": {
            **{reason: dict(sorted(c.items())) for reason, c in sorted(dropped.items())},
            "duplicates": duplicates,
        },
        "index_range": [min((i.index for i in items), default=0), max((i.index for i in items), default=0)],
    }


def finalize(spec: SetSpec, shards: list[ShardResult], out: Path, created_at: str) -> Path:
    items, duplicates = collect(spec, shards)
    if len(items) < spec.count:
        raise MintbenchError(
            f"only {len(items)} of {spec.count} distinct proven items could be made; "
            "widen the generator space (another difficulty, more generators) or ask for fewer"
        )
    items = [i.stamped(created_at) for i in items]
    with staged_dir(out) as stage:
        write_items(items, stage / ITEMS_FILE)
        manifest = manifest_for(spec, items, shards, duplicates, created_at)
        manifest["files"] = {ITEMS_FILE: {"sha256": sha256_file(stage / ITEMS_FILE), "rows": len(items)}}
        write_json(manifest, stage / MANIFEST_FILE)
    return out


def default_out_dir(spec: SetSpec, root: Path = Path("outputs/sets")) -> Path:
    level = spec.level or "all"
    stream = "sealed" if spec.sealed else f"s{spec.seed}"
    return root / f"{spec.domain}-{level}-{spec.difficulty}-{spec.lang}-{stream}-n{spec.count}-{spec.digest()[:8]}"


def work_dir_for(out: Path, spec: SetSpec) -> Path:
    return out.parent / f".work-{out.name}-{spec.digest()}"


@contextmanager
def write_spec_file(spec: SetSpec, out: Path) -> Iterator[Path]:
    """The spec in a private file beside the set (0600, removed afterwards): how a secret spec
    reaches a Prefect flow, whose parameters Prefect stores in its database."""
    ensure_writable_parent(out)
    path = out.parent / f".spec-{out.name}-{spec.digest()}.json"
    write_private(path, spec.model_dump_json().encode())
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


ShardRunner = Callable[[list[tuple[int, int]]], list[ShardResult]]


def run_rounds(spec: SetSpec, run_shards: ShardRunner) -> list[ShardResult]:
    """First round: indices [0, count); then top-up rounds until the set is full."""
    shards = run_shards(plan_ranges(0, spec.count, spec.shard_size))
    for _ in range(MAX_ROUNDS):
        kept = sum(s.kept for s in shards)
        if kept >= spec.count:
            items, _ = collect(spec, shards)
            kept = len(items)
        ranges = next_round(spec, kept, max(s.stop for s in shards))
        if not ranges:
            break
        shards += run_shards(ranges)
    return shards


@contextmanager
def discard_on_user_error(work: Path) -> Iterator[None]:
    """A run refused for its input (an exhausted question space, a bad knob) leaves nothing;
    one that crashed keeps its finished shards for the next attempt."""
    try:
        yield
    except MintbenchError:
        shutil.rmtree(work, ignore_errors=True)
        raise


_pool = None  # the process pool of the enclosing `shard_pool`, if any
PRELOAD = ["mintbench.create.build", "validators.proofs", "generators.math", "generators.chemistry", "generators.biology"]


@contextmanager
def shard_pool(workers: int) -> Iterator[None]:
    """Within this block, shards are built on `workers` long-lived processes.

    The processes fork from a forkserver that has imported the generators once: no per-shard
    start-up, and no fork of a process already running Prefect's threads."""
    global _pool
    if workers <= 1:
        yield
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        _pool = pool
        try:
            yield
        finally:
            _pool = None


def build_shard_pooled(spec: SetSpec, generator_ids: list[str], start: int, stop: int, work_dir: str | Path) -> ShardResult:
    """build_shard on the enclosing shard_pool's processes, or here when there is none."""
    if _pool is None:
        return build_shard(spec, generator_ids, start, stop, work_dir)
    return _pool.submit(build_shard, spec, generator_ids, start, stop, work_dir).result()


def run_local(spec: SetSpec, out: Path | None = None, progress: Callable[[int], None] | None = None,
              created_at: str | None = None, workers: int = 1) -> Path:
    """The whole create job in this process, no orchestrator. An interrupted run leaves its
    finished shards in the work directory, and running it again skips them."""
    gens = resolve_generators(spec)
    out = Path(out) if out else default_out_dir(spec)
    work = work_dir_for(out, spec)
    ensure_writable_parent(out)
    private_dir(work)
    created_at = created_at or now_utc()

    def run_shards(ranges):
        # With a pool, all shards of the round go to its processes at once.
        futures = [_pool.submit(build_shard, spec, gens, a, b, work) for a, b in ranges] if _pool is not None else None
        results = []
        for k, (a, b) in enumerate(ranges):
            results.append(futures[k].result() if futures else build_shard(spec, gens, a, b, work))
            if progress:
                progress(b - a)
        return results

    with discard_on_user_error(work), shard_pool(workers):
        shards = run_rounds(spec, run_shards)
        finalize(spec, shards, out, created_at)
    shutil.rmtree(work, ignore_errors=True)  # only once the set is whole: the shards resume a crashed run
    return out
