"""The item: one pydantic model and the pyarrow schema it is stored under.

An item's identity is its content: `item_id` hashes every field except `created_at`
(stamped by the pipeline) and `item_id` itself, so the same generator, version, seed,
index and config always give the same id, and two runs can be compared byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

LEVELS = ("L1", "L2", "L3", "L4", "L5")
LEVEL_MEANING = {
    "L1": "knowledge recall",
    "L2": "comprehension of material given in the prompt",
    "L3": "reasoning and calculation",
    "L4": "discernment (spotting errors, safety)",
    "L5": "application and design (many valid answers, checked by constraints)",
}
FORMATS = ("open", "mcq", "true_false")
LANGS = ("en", "zh")
DOMAINS = ("math", "chemistry", "biology")

Level = Literal["L1", "L2", "L3", "L4", "L5"]
Format = Literal["open", "mcq", "true_false"]
Lang = Literal["en", "zh"]


class Tolerance(BaseModel):
    """Explicit numeric tolerance; both zero means exact comparison."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    abs: float = 0.0
    rel: float = 0.0

    def width(self, at) -> float:
        """How far from a value `at` an answer may lie: max(abs, rel * |at|)."""
        return max(self.abs, self.rel * abs(at))


class Source(BaseModel):
    """Where the knowledge behind an item came from."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    record_id: str | None = None
    version: str | None = None
    retrieved_at: str | None = None
    licence: str | None = None


_NOT_IDENTITY = {"item_id", "created_at", "difficulty_label", "difficulty"}


class Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    item_id: str = ""
    generator: str
    generator_version: str
    domain: str
    topic: str
    level: Level
    format: Format
    lang: Lang
    question: str
    choices: list[str] = Field(default_factory=list)
    answer: str
    answer_type: str
    grader_args: dict[str, Any] = Field(default_factory=dict)
    tolerance: Tolerance = Field(default_factory=Tolerance)
    params: dict[str, Any] = Field(default_factory=dict)
    seed: int
    index: int
    source: Source
    created_at: str | None = None
    # Measured on reference models after generation (`mintbench filter`): not identity.
    difficulty_label: str | None = None
    difficulty: dict[str, Any] | None = None

    def identity(self) -> dict[str, Any]:
        return self.model_dump(exclude=_NOT_IDENTITY, mode="json")

    def with_id(self) -> "Item":
        return self.model_copy(update={"item_id": compute_item_id(self.identity())})

    def stamped(self, created_at: str) -> "Item":
        return self.model_copy(update={"created_at": created_at})


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: the one byte form hashed and stored."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_item_id(identity: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(identity).encode()).hexdigest()[:24]


_TOLERANCE = pa.struct([("abs", pa.float64()), ("rel", pa.float64())])
_SOURCE = pa.struct(
    [
        ("name", pa.string()),
        ("record_id", pa.string()),
        ("version", pa.string()),
        ("retrieved_at", pa.string()),
        ("licence", pa.string()),
    ]
)

# Free-form dicts (params, grader_args) are stored as canonical JSON strings: their keys
# differ per generator, and a union struct would change whenever a generator changes.
ITEM_SCHEMA = pa.schema(
    [
        ("item_id", pa.string()),
        ("generator", pa.string()),
        ("generator_version", pa.string()),
        ("domain", pa.string()),
        ("topic", pa.string()),
        ("level", pa.string()),
        ("format", pa.string()),
        ("lang", pa.string()),
        ("question", pa.string()),
        ("choices", pa.list_(pa.string())),
        ("answer", pa.string()),
        ("answer_type", pa.string()),
        ("grader_args", pa.string()),
        ("tolerance", _TOLERANCE),
        ("params", pa.string()),
        ("seed", pa.int64()),
        ("index", pa.int64()),
        ("source", _SOURCE),
        ("created_at", pa.string()),
        ("difficulty_label", pa.string()),
        ("difficulty", pa.string()),
    ],
    metadata={b"mintbench.schema_version": SCHEMA_VERSION.encode()},
)

_JSON_COLUMNS = ("params", "grader_args", "difficulty")


def item_to_row(item: Item) -> dict[str, Any]:
    row = item.model_dump(mode="json")
    for key in _JSON_COLUMNS:
        row[key] = canonical_json(row[key])
    return row


def row_to_item(row: dict[str, Any]) -> Item:
    row = dict(row)
    for key in _JSON_COLUMNS:
        row[key] = json.loads(row[key]) if row.get(key) else ({} if key != "difficulty" else None)
    return Item.model_validate(row)


def items_to_table(items: list[Item]) -> pa.Table:
    return pa.Table.from_pylist([item_to_row(i) for i in items], schema=ITEM_SCHEMA)


def table_to_items(table: pa.Table) -> list[Item]:
    return [row_to_item(r) for r in table.to_pylist()]
