"""Item bytes are pinned: a fixed seed gives exactly the items it gave when the digests were
committed (before the package layout moved). A refactor that changes one byte of one item of
one generator, in any language, format or difficulty, fails here; a generator whose output is
meant to change must bump its version and add its new digest (run this file as a script).

The fixture is a ledger: it keeps the digest of every version that ever landed, and a line once
written is never changed. Rewriting a digest in place is how item bytes once changed under an
unchanged version (49 generators in one session): the test passed, and a release's
`generator@2` no longer named one set of items."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from mintbench.items.registry import all_generators, build_item
from mintbench.items.schema import canonical_json

PINNED = json.loads((Path(__file__).parent / "fixtures" / "item_digests.json").read_text())
SEED = 20261123


def digest(gen) -> str:
    h = hashlib.sha256()
    for lang in ("en", "zh"):
        for fmt in gen.formats:
            for difficulty in ("easy", "hard"):
                for index in range(4):
                    item = build_item(gen.id, SEED, index, difficulty=difficulty, lang=lang, fmt=fmt)
                    h.update(canonical_json(item.model_dump(mode="json")).encode() + b"\n")
    return h.hexdigest()


@pytest.mark.parametrize("gen", all_generators(), ids=lambda g: g.id)
def test_items_match_the_committed_digest(gen):
    key = f"{gen.id}@{gen.version}"
    assert key in PINNED, f"{key} is new: add its digest to tests/fixtures/item_digests.json"
    assert digest(gen) == PINNED[key], f"{key}: item bytes changed for seed {SEED} without a version bump"


if __name__ == "__main__":  # after a deliberate change and a version bump: add the new digests
    path = Path(__file__).parent / "fixtures" / "item_digests.json"
    ledger = dict(PINNED)
    for g in all_generators():
        ledger.setdefault(f"{g.id}@{g.version}", digest(g))  # never overwrite: bump the version instead
    path.write_text(json.dumps(dict(sorted(ledger.items())), indent=1) + "\n")
