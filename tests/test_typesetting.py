"""Questions an examiner would print: no '+ -', no '1*x' or '0*y', no 0**n golds that need an
unstated 0**0 = 1, and grammatical agreement, in every generator, language and difficulty."""

from __future__ import annotations

import re

import pytest

from generators.math._common import linear_form
from mintbench.items.registry import all_generators, build_item

ARTEFACTS = {
    "'+ -'": re.compile(r"\+\s*-"),
    "'1*' coefficient": re.compile(r"(?<![\d.])1\*(?=[a-z(])"),
    "'0*' term": re.compile(r"(?<![\d.*])0\*"),
    "'0**n' (needs 0**0 = 1)": re.compile(r"0\*\*n"),
    "'1 of them are'": re.compile(r"\b1 of them are\b"),
}


@pytest.mark.parametrize("gen", all_generators(), ids=lambda g: g.id)
def test_sampled_questions_are_free_of_typesetting_artefacts(gen):
    for difficulty in ("easy", "medium", "hard"):
        for lang in ("en", "zh"):
            for index in range(25):
                try:
                    item = build_item(gen.id, 11, index, difficulty=difficulty, lang=lang)
                except ValueError:  # a draw the set builder drops and replaces
                    continue
                shown = item.question.split("\n\n")[0] + "\n" + "\n".join(item.choices) + "\n" + item.answer
                for name, pattern in ARTEFACTS.items():
                    assert not pattern.search(shown), (gen.id, difficulty, lang, index, name, shown[:300])


@pytest.mark.parametrize("terms, constant, printed", [
    ([(3, "a(n-1)"), (-2, "a(n-2)")], None, "3*a(n-1) - 2*a(n-2)"),
    ([(0, "a(n-1)"), (1, "a(n-2)")], None, "a(n-2)"),
    ([(1, "y''"), (-1, "y'"), (0, "y")], None, "y'' - y'"),
    ([(-1, "(x - 2)")], 5, "-(x - 2) + 5"),
    ([(0, "x")], -4, "-4"),
    ([(0, "x")], None, "0"),
])
def test_linear_forms_print_as_an_examiner_would(terms, constant, printed):
    assert linear_form(terms, constant) == printed


def test_recurrences_never_have_a_zero_characteristic_root():
    for index in range(300):
        item = build_item("math.recurrence", 5, index, difficulty=("easy", "medium", "hard")[index % 3])
        assert 0 not in item.params["roots"] and "0**n" not in item.answer


def test_chinese_questions_name_functional_groups_in_chinese():
    """'含有aldehyde基团' mixed the languages: a Chinese examiner writes 醛基, 伯氨基."""
    from generators.chemistry.molecules import GROUPS, GROUPS_ZH
    from mintbench.items.registry import build_item

    named = 0
    for gid in ("chemistry.design_molecule", "chemistry.design_isomer", "chemistry.design_from_formula"):
        for index in range(12):
            q = build_item(gid, 5, index, lang="zh").question
            assert not [g for g in GROUPS if g in q], (gid, q)
            named += any(z in q for z in GROUPS_ZH.values())
    assert named >= 12  # the groups asked for are named, in Chinese
