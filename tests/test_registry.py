import pytest

from mintbench.items import registry
from mintbench.errors import MintbenchError
from mintbench.items.schema import LEVELS

MATH = [g for g in registry.all_generators() if g.domain == "math"]
ALL = registry.all_generators()


@pytest.mark.parametrize("domain", ["math", "chemistry", "biology"])
def test_domain_has_at_least_14_generators_covering_every_level(domain):
    gens = [g for g in ALL if g.domain == domain]
    assert len(gens) >= 14
    assert {g.level for g in gens} == set(LEVELS)


def test_ids_are_stable_and_namespaced():
    for g in ALL:
        assert g.id.startswith(f"{g.domain}.") and g.id == g.id.lower()
        assert registry.get(g.id) is g


@pytest.mark.parametrize("gen", ALL, ids=lambda g: g.id)
def test_every_preset_format_and_language_builds(gen):
    for difficulty in registry.DIFFICULTIES:
        for fmt in gen.formats:
            for lang in ("en", "zh"):
                item = registry.build_item(gen.id, 5, 2, difficulty=difficulty, fmt=fmt, lang=lang)
                assert item.format == fmt and item.lang == lang and item.level == gen.level
                assert "<answer>" in item.question
                if fmt == "mcq":
                    assert len(item.choices) >= 4 and item.answer in "ABCD"
                # The format instruction never hints at the answer: it may name the answer only
                # where it reads the same for every item (R or S; silent, nonsense or missense).
                tail = item.question.split("\n\n")[-1]
                other = registry.build_item(gen.id, 5, 3, difficulty=difficulty, fmt=fmt, lang=lang)
                assert item.answer not in tail or tail == other.question.split("\n\n")[-1]


@pytest.mark.parametrize("gen", ALL, ids=lambda g: g.id)
def test_item_is_a_pure_function_of_its_inputs(gen):
    a = registry.build_item(gen.id, 9, 17, difficulty="hard")
    b = registry.build_item(gen.id, 9, 17, difficulty="hard")
    assert a == b
    others = {registry.build_item(gen.id, 9, i).item_id for i in range(8)}
    assert len(others) >= 6  # different indices give different items


def test_chinese_templates_are_chinese():
    item = registry.build_item("math.derivative", 1, 0, lang="zh")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in item.question)


def test_unknown_generator_names_the_allowed_ones():
    with pytest.raises(MintbenchError, match="unknown generator 'math.nope'.*math.derivative"):
        registry.get("math.nope")


def test_knobs_are_validated_by_name_and_value():
    with pytest.raises(MintbenchError, match="unknown knob.*allowed: chain_rule, max_coeff, n_terms"):
        registry.get("math.derivative").config("medium", {"colour": 1})
    with pytest.raises(MintbenchError, match="math.ode_ivp.order"):
        registry.get("math.ode_ivp").config("medium", {"order": 5})
    with pytest.raises(MintbenchError, match="unknown difficulty 'brutal'"):
        registry.get("math.derivative").config("brutal")


def test_knobs_change_the_items():
    base = registry.build_item("math.determinant", 1, 0, knobs={"size": 2})
    bigger = registry.build_item("math.determinant", 1, 0, knobs={"size": 4})
    assert base.params["matrix"] != bigger.params["matrix"] and len(bigger.params["matrix"]) == 4


def test_describe_lists_knobs_and_presets():
    info = registry.get("math.derivative").describe()
    assert info["levels"] == ["L3"] and "mcq" in info["formats"]
    assert info["knobs"]["n_terms"]["easy"] == 1 and info["knobs"]["n_terms"]["hard"] == 3
