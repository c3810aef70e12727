"""Design (L5): molecules built to a specification and graded by checking it
(validators.chemistry.check_design). The witness is a real compound from the snapshot, found
first, so that every question has an answer."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from generators.chemistry._common import fmt, formula_atoms, heavy_atoms, source_for
from generators.chemistry.molecules import GROUPS, GROUPS_ZH, groups_present
from generators.sources import pubchem_snapshot as snap
from mintbench.items.registry import Draft, Generator, Knobs, register

DESIGN_PRESETS: dict[str, dict[str, Any]] = {
    "easy": {"min_atoms": 4, "max_atoms": 8},
    "medium": {"min_atoms": 8, "max_atoms": 14},
    "hard": {"min_atoms": 14, "max_atoms": 22},
}


class DesignKnobs(Knobs):
    min_atoms: int = 8
    max_atoms: int = 14


def _closed_shell(mol: Chem.Mol | None) -> bool:
    return mol is not None and Chem.GetFormalCharge(mol) == 0 and not any(a.GetNumRadicalElectrons() for a in mol.GetAtoms())


def _features(mol: Chem.Mol) -> set[str]:
    return {"ring" if rdMolDescriptors.CalcNumRings(mol) else "acyclic", *groups_present(mol)}


@lru_cache(maxsize=8)
def _isomer_sets(min_atoms: int, max_atoms: int) -> list[list[dict]]:
    """Formulas with at least two single-component compounds in the snapshot (built once per
    size window, not on every draft: there are tens of thousands of formulas)."""
    return [rows for _, rows in sorted(snap.by_formula(min_atoms, max_atoms).items()) if len(rows) >= 2]


def _requirement(feature: str, lang: str) -> str:
    if feature == "ring":
        return {"en": "contains at least one ring", "zh": "至少含有一个环"}[lang]
    if feature == "acyclic":
        return {"en": "contains no ring", "zh": "不含环"}[lang]
    article = "an" if feature[0] in "aeiou" else "a"
    return {"en": f"contains {article} {feature} group (SMARTS {GROUPS[feature]})", "zh": f"含有{GROUPS_ZH[feature]}（SMARTS {GROUPS[feature]}）"}[lang]


def _args(feature: str, formula: str) -> dict:
    args: dict[str, Any] = {"formula": formula}
    if feature == "ring":
        args["ranges"] = {"rings": [1, 99]}
    elif feature == "acyclic":
        args["ranges"] = {"rings": [0, 0]}
    else:
        args["must_contain"] = {feature: GROUPS[feature]}
    return args


@register
class DesignIsomer(Generator):
    id = "chemistry.design_isomer"
    version = "2"  # 2: Chinese group names in zh (issue #26)
    domain, topic, level = "chemistry", "design", "L5"
    answer_type = "molecule_design"
    Config = DesignKnobs
    presets = DESIGN_PRESETS
    _q = {
        "en": "Give the SMILES of a constitutional isomer of {s} (the same molecular formula, different connectivity) that {req}, as a neutral closed-shell molecule. Many answers are possible; any that meets every condition is accepted.",
        "zh": "写出 {s} 的一个构造异构体（分子式相同、连接方式不同）的 SMILES，要求它{req}，且为中性、闭壳层分子。答案不唯一，满足全部条件即可。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p["smiles"])

    def draft(self, rng, cfg, lang, fmt_):
        sets = _isomer_sets(cfg.min_atoms, cfg.max_atoms)
        for _ in range(300):
            rows = sets[rng.randrange(len(sets))]
            given = rows[rng.randrange(len(rows))]
            mol = Chem.MolFromSmiles(given["smiles"])
            if not _closed_shell(mol):
                continue
            # A feature the given compound lacks and another isomer has: the isomer must be rebuilt.
            others = [(r, _features(m)) for r in rows[:60] if r is not given and _closed_shell(m := Chem.MolFromSmiles(r["smiles"]))]
            options = sorted({f for _, features in others for f in features} - _features(mol))
            if options:
                break
        else:
            raise ValueError("no isomer with a feature the compound lacks")
        feature = options[rng.randrange(len(options))]
        witness = next(r for r, features in others if feature in features)
        formula = rdMolDescriptors.CalcMolFormula(mol)
        shown = Chem.MolToSmiles(mol, isomericSmiles=False)
        return Draft(
            question=self._q[lang].format(s=shown, req=_requirement(feature, lang)),
            answer=witness["smiles"],
            answer_type="molecule_design",
            answer_format=fmt("smiles", lang),
            params={"smiles": shown},
            grader_args={**_args(feature, formula), "differs_from": shown, "notation": "smiles"},
            source=source_for(witness),
        )


@register
class DesignFromFormula(Generator):
    id = "chemistry.design_from_formula"
    version = "2"  # 2: Chinese group names in zh (issue #26)
    domain, topic, level = "chemistry", "design", "L5"
    answer_type = "molecule_design"
    Config = DesignKnobs
    presets = DESIGN_PRESETS
    _q = {
        "en": "Give the SMILES of a neutral closed-shell molecule with molecular formula {formula} that {req}. Many answers are possible; any that meets every condition is accepted.",
        "zh": "写出一个分子式为 {formula}、{req}的中性闭壳层分子的 SMILES。答案不唯一，满足全部条件即可。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return formula_atoms(p["formula"])

    def draft(self, rng, cfg, lang, fmt_):
        sets = _isomer_sets(cfg.min_atoms, cfg.max_atoms)
        for _ in range(300):
            rows = sets[rng.randrange(len(sets))]
            witness = rows[rng.randrange(len(rows))]
            mol = Chem.MolFromSmiles(witness["smiles"])
            groups = sorted(groups_present(mol)) if _closed_shell(mol) else []
            if groups:
                break
        else:
            raise ValueError("no closed-shell compound with a listed group")
        feature = groups[rng.randrange(len(groups))]
        formula = rdMolDescriptors.CalcMolFormula(mol)
        return Draft(
            question=self._q[lang].format(formula=formula, req=_requirement(feature, lang)),
            answer=witness["smiles"],
            answer_type="molecule_design",
            answer_format=fmt("smiles", lang),
            params={"formula": formula},
            grader_args={**_args(feature, formula), "notation": "smiles"},
            source=source_for(witness),
        )
