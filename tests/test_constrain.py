"""The answer grammars: one per answer shape, each a grammar llama.cpp accepts."""

import pytest

from mintbench.difficulty.constrain import answer_grammar
from mintbench.items.registry import all_generators, build_item


def _one_item_per_answer_type():
    seen = {}
    for gen in all_generators():
        for fmt in gen.formats:
            item = build_item(gen.id, 5, 0, fmt=fmt)
            seen.setdefault((item.answer_type, bool(item.choices), item.grader_args.get("alphabet")), item)
    return list(seen.values())


@pytest.mark.parametrize("item", _one_item_per_answer_type(), ids=lambda i: f"{i.answer_type}-{i.generator}")
def test_every_answer_shape_compiles_and_forces_one_tag(item):
    from llama_cpp import LlamaGrammar

    for reasoning in (0, 60):
        grammar = answer_grammar(item, reasoning)
        assert grammar.startswith('root ::= reasoning "<answer>" answer "</answer>"')
        LlamaGrammar.from_string(grammar, verbose=False)  # raises on a grammar llama.cpp refuses
    if item.choices:
        assert "answer ::= [" + "ABCDEFGHIJ"[: len(item.choices)] + "]" in answer_grammar(item, 0)
