from mintbench.items.registry import build_item
from mintbench.items.schema import ITEM_SCHEMA, items_to_table, table_to_items


def test_identity_excludes_created_at():
    item = build_item("math.determinant", 1, 0)
    stamped = item.stamped("2026-01-01T00:00:00Z")
    assert stamped.item_id == item.item_id
    assert stamped.with_id().item_id == item.item_id


def test_identity_covers_content():
    a, b = build_item("math.determinant", 1, 0), build_item("math.determinant", 1, 1)
    assert a.item_id != b.item_id
    assert a.model_copy(update={"answer": "0"}).with_id().item_id != a.item_id


def test_arrow_roundtrip_is_lossless():
    items = [build_item(g, 3, i, fmt="mixed") for g in ("math.linear_system", "math.wrong_step") for i in range(3)]
    table = items_to_table(items)
    assert table.schema.equals(ITEM_SCHEMA)
    assert table_to_items(table) == items
