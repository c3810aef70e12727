"""Feeding the results store from what lies below it: release and set items, and the
difficulty filter's measured verdicts (grading a model's responses is the runners' part:
mintbench.runners.results_feed)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from mintbench.errors import MintbenchError
from mintbench.items.schema import Item
from mintbench.results.store import ItemInfo, ResultsStore


def item_infos(items: list[Item]) -> list[ItemInfo]:
    return [ItemInfo(i.item_id, i.domain, i.level, i.format, i.lang, i.generator) for i in items]


def _revealed_at(store, version: str) -> str | None:
    """When the release's answers became public: the time its revealed.json was written."""
    from mintbench.releases.release import REVEALED

    if not store.has(version, REVEALED):
        return None
    info = store.fs.info(store.path(version, REVEALED))
    when = info.get("mtime") or info.get("LastModified") or info.get("created")
    if isinstance(when, (int, float)):
        return datetime.fromtimestamp(when, timezone.utc).isoformat(timespec="seconds")
    return when.isoformat(timespec="seconds") if hasattr(when, "isoformat") else None


def target_items(target: str, store_location: str) -> tuple[str, list[Item], str | None, str | None]:
    """(release name, items, created_at, revealed_at) of a release version (the owner decrypts
    it) or of a set directory."""
    from mintbench.items.setdir import load_set
    from mintbench.releases.release import MANIFEST, VERSION_RE

    if VERSION_RE.match(target) and not Path(target).is_dir():
        import json

        from mintbench.releases.keys import load_keys
        from mintbench.releases.release import sealed_items
        from mintbench.releases.store import as_store

        store = as_store(store_location)
        items = sealed_items(target, store, load_keys())
        manifest = json.loads(store.read_bytes(target, MANIFEST))
        return target, items, manifest.get("created_at"), _revealed_at(store, target)
    items, manifest = load_set(target)
    return Path(target).resolve().name, items, manifest.get("created_at"), None


def add_filter_results(results: ResultsStore, set_dir: str | Path) -> list[str]:
    """Record the reference models' measured verdicts on a filtered set: an item counts as
    correct for a model when the filter's sequential test decided it solved it. A stop-at-solve
    ladder asks a stronger model only about what the weaker ones failed; the items it skipped
    are counted solved, as the ladder itself assumes, and the run says how many
    (`inferred_solved`). A model that skipped an item no weaker model solved is not recorded
    (a ranking on part of the items would not be paired). Returns the models recorded."""
    from mintbench.items.setdir import load_set

    items, manifest = load_set(set_dir)
    if not items or any(not i.difficulty for i in items):
        raise MintbenchError(f"{set_dir}: not filtered yet (run `mintbench filter` first)")
    order = list(manifest.get("difficulty", {}).get("models") or items[0].difficulty["models"])
    release = Path(set_dir).resolve().name
    recorded = []
    for rank, model in enumerate(order):
        weaker = order[:rank]
        verdicts, inferred = {}, 0
        for item in items:
            record = item.difficulty["models"].get(model)
            if record is not None:
                verdicts[item.item_id] = "correct" if record["decision"] == "solved" else "wrong"
            elif any(item.difficulty["models"].get(w, {}).get("decision") == "solved" for w in weaker):
                verdicts[item.item_id], inferred = "correct", inferred + 1
            else:
                break
        else:
            meta = {"role": "reference", **({"inferred_solved": str(inferred)} if inferred else {})}
            results.record(release, model, verdicts, item_infos(items), meta=meta, source="filter", replace=True,
                           created_at=manifest.get("created_at"))
            recorded.append(model)
    return recorded
