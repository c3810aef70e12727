"""RDKit generators over the embedded PubChem snapshot."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from math import gcd

import numpy as np
from rdkit import Chem
from rdkit.Chem import AllChem, Descriptors, FilterCatalog, rdCIPLabeler, rdMolDescriptors

from mintbench.items.distractors import DrawAgain, slip_square
from generators.chemistry._common import (
    SCREEN_SKIPS, SIZE_PRESETS, STEREO_POLICY, MoleculeKnobs, draw, draw_named, fmt, formula_atoms, heavy_atoms, named_heavy_atoms, named_pool,
    source_for,
)
from generators.sources import pubchem_snapshot as snap
from generators.sources import rdkit_sampler as sampler
from mintbench.items.prompts import boolean_format
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.schema import Source, Tolerance

def _with_h(mol: Chem.Mol) -> int:
    return sum(a.GetTotalNumHs() for a in mol.GetAtoms())


@register
class AtomCount(Generator):
    id = "chemistry.atom_count"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    # L2: counting atoms of a kind reads the SMILES notation; nothing is derived from the structure.
    domain, topic, level = "chemistry", "composition", "L2"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    _what = {
        "heavy": {"en": "heavy (non-hydrogen) atoms", "zh": "重原子（非氢原子）"},
        "carbon": {"en": "carbon atoms", "zh": "碳原子"},
        "hetero": {"en": "heteroatoms (atoms other than C and H)", "zh": "杂原子（C、H 以外的原子）"},
    }
    _q = {"en": "How many {what} does the molecule with SMILES {s} contain?", "zh": "SMILES 为 {s} 的分子含有多少个{what}？"}

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['smiles'])

    def draft(self, rng, cfg, lang, fmt_):
        row, mol, shown = draw(rng, cfg)
        kind = rng.choice(sorted(self._what))
        symbols = [a.GetSymbol() for a in mol.GetAtoms()]
        value = {"heavy": len(symbols), "carbon": symbols.count("C"), "hetero": sum(s not in "CH" for s in symbols)}[kind]
        wrongs = [value + _with_h(mol), value + 1, value - 1, value + 2, len(symbols) if kind != "heavy" else symbols.count("C")]
        return Draft(
            question=self._q[lang].format(what=self._what[kind][lang], s=shown),
            answer=str(value), answer_type="integer", answer_format=fmt("integer", lang),
            params={"smiles": shown, "kind": kind}, distractors=[str(w) for w in wrongs if w >= 0],
            source=source_for(row),
        )


@register
class RingCount(Generator):
    id = "chemistry.ring_count"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "rings", "L3"
    mcq_options = "siblings"  # most molecules have 0-3 rings: squares near 0 left the key the likeliest
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = MoleculeKnobs
    # Easy draws 6-16 atoms, not 3-10: among the smallest molecules four different ring counts
    # (the options) hardly ever occur.
    presets = {**SIZE_PRESETS, "easy": {**SIZE_PRESETS["easy"], "min_atoms": 6, "max_atoms": 16}}
    _q = {
        "rings": {"en": "How many rings (smallest set of smallest rings, SSSR) does {s} contain?", "zh": "{s} 含有多少个环（按最小环集 SSSR 计）？"},
        "aromatic": {"en": "How many aromatic rings (SSSR rings whose atoms are all aromatic in RDKit's model) does {s} contain?", "zh": "{s} 含有多少个芳香环（按 SSSR 计，且环上原子在 RDKit 模型中均为芳香）？"},
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['smiles'])

    def draft(self, rng, cfg, lang, fmt_):
        row, mol, shown = draw(rng, cfg)
        kind = rng.choice(["rings", "aromatic"])
        value = rdMolDescriptors.CalcNumRings(mol) if kind == "rings" else rdMolDescriptors.CalcNumAromaticRings(mol)
        other = rdMolDescriptors.CalcNumAromaticRings(mol) if kind == "rings" else rdMolDescriptors.CalcNumRings(mol)
        return Draft(
            question=self._q[kind][lang].format(s=shown), answer=str(value), answer_type="integer",
            answer_format=fmt("integer", lang), params={"smiles": shown, "kind": kind},
            distractors=[str(w) for w in (value + 1, other, value + 2, max(0, value - 1), value * 2 + 3)],
            source=source_for(row),
        )


def hill_formula(mol: Chem.Mol) -> str:
    return rdMolDescriptors.CalcMolFormula(mol)


def element_counts(mol: Chem.Mol) -> Counter:
    counts = Counter(a.GetSymbol() for a in mol.GetAtoms())
    counts["H"] += _with_h(mol)
    return counts


def hill(counts: dict) -> str:
    """Hill order: C, H, then the rest alphabetically (all alphabetical without carbon)."""
    keys = (["C", "H"] + sorted(k for k in counts if k not in "CH")) if counts.get("C") else sorted(counts)
    return "".join(f"{k}{counts[k] if counts[k] > 1 else ''}" for k in keys if counts.get(k))


def formula_square(rng, counts: Counter) -> list[dict] | None:
    """Two slips an examinee makes, offered as a square so that the key is no option's centre:
    hydrogens off by two (a ring or double bond miscounted) and one heavy atom off."""
    heavy = "C" if counts.get("C") else max((e for e in counts if e != "H"), key=counts.get)

    def shift(element: str, step: int):
        return lambda c, d: {**c, element: c.get(element, 0) + d * step} if c.get(element, 0) + d * step >= (1 if element == heavy else 0) else None

    return slip_square(rng, counts, shift("H", 2), shift(heavy, 1))


@register
class Formula(Generator):
    id = "chemistry.formula"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "composition", "L3"
    formats = ("open", "mcq")
    answer_type = "formula"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    _q = {"en": "What is the molecular formula of {s}? Count implicit hydrogens.", "zh": "{s} 的分子式是什么？请计入隐式氢。"}
    # An ion's formula carries its charge, which the grader counts: the question must say so.
    _charged = {
        "en": " It carries a net charge: write the charge after the formula, like NH4+ or C2H3O2-.",
        "zh": "该物种带净电荷：请在分子式后写出电荷，如 NH4+ 或 C2H3O2-。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['smiles'])

    def draft(self, rng, cfg, lang, fmt_):
        row, mol, shown = draw(rng, cfg)
        counts = element_counts(mol)
        formula = hill_formula(mol)
        slips = formula_square(rng, counts)
        if slips is None and fmt_ == "mcq":
            raise DrawAgain(self.id)
        charge = re.search(r"[+-]\d*$", formula)
        charge = charge.group(0) if charge else ""  # every option carries it: the key alone did
        return Draft(
            question=self._q[lang].format(s=shown) + (self._charged[lang] if charge else ""), answer=formula,
            answer_type="formula", answer_format=fmt("formula", lang), params={"smiles": shown},
            distractors=[hill(c) + charge for c in slips or []], source=source_for(row),
        )


def stated_masses(mol: Chem.Mol, kind: str) -> str:
    """The element masses the key was computed with, for the elements in the molecule."""
    table = Chem.GetPeriodicTable()
    symbols = sorted({a.GetSymbol() for a in mol.GetAtoms()} | ({"H"} if _with_h(mol) else set()))
    mass = table.GetAtomicWeight if kind == "average" else table.GetMostCommonIsotopeMass
    return ", ".join(f"{s} {mass(s):.{3 if kind == 'average' else 5}f}" for s in symbols)


@register
class MolarMass(Generator):
    id = "chemistry.molar_mass"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: the stated unit is accepted after the number; one-answer rule stated
    domain, topic, level = "chemistry", "mass", "L3"
    formats = ("open", "mcq")
    answer_type = "number"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    # The masses to use are stated: RDKit's table differs from IUPAC 2021 by more than the
    # tolerance for some elements, and a solver cannot know which table the key used.
    _q = {
        "average": {"en": "What is the average molar mass of {s}? Use these atomic weights: {w}.", "zh": "{s} 的平均摩尔质量是多少？使用以下原子量：{w}。"},
        "monoisotopic": {"en": "What is the monoisotopic mass of {s}? Use these masses of each element's most abundant isotope: {w}.", "zh": "{s} 的单同位素质量是多少？使用各元素丰度最高同位素的以下质量：{w}。"},
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['smiles'])

    def draft(self, rng, cfg, lang, fmt_):
        row, mol, shown = draw(rng, cfg)
        kind = rng.choice(["average", "monoisotopic"])
        avg, mono = Descriptors.MolWt(mol), Descriptors.ExactMolWt(mol)
        value = avg if kind == "average" else mono
        wrongs = [mono if kind == "average" else avg, value - 1.008 * _with_h(mol), value + 1.008, value - 1.008, value + 14.027]
        return Draft(
            question=self._q[kind][lang].format(s=shown, w=stated_masses(mol, kind)), answer=f"{value:.2f}", answer_type="number",
            answer_format=fmt("mass", lang), params={"smiles": shown, "kind": kind}, grader_args={"unit": "g/mol"},
            tolerance=Tolerance(abs=0.02, rel=0.0),
            distractors=[f"{w:.2f}" for w in wrongs if abs(w - value) > 0.05],
            source=source_for(row),
        )


@register
class LipinskiCounts(Generator):
    id = "chemistry.lipinski"
    version = "5"  # 5: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 4: sibling options (issue #26, item 3); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "drug_likeness", "L3"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    # Donor and acceptor counts crowd near 0-3: which small value the key is could be read from
    # how the slipped options relate to each other (0.31 with the option-relation rules), so the
    # options are other molecules' counts, exchangeable with the key.
    mcq_options = "siblings"
    _q = {
        "hbd": {"en": "Using Lipinski's definition (count of N-H and O-H hydrogens), how many hydrogen-bond donors does {s} have?", "zh": "按 Lipinski 定义（N-H 与 O-H 上氢的数目），{s} 有多少个氢键供体？"},
        "hba": {"en": "Using Lipinski's definition (count of N and O atoms), how many hydrogen-bond acceptors does {s} have?", "zh": "按 Lipinski 定义（N 与 O 原子数），{s} 有多少个氢键受体？"},
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['smiles'])

    def draft(self, rng, cfg, lang, fmt_):
        row, mol, shown = draw(rng, cfg)
        kind = rng.choice(["hbd", "hba"])
        value = rdMolDescriptors.CalcNumLipinskiHBD(mol) if kind == "hbd" else rdMolDescriptors.CalcNumLipinskiHBA(mol)
        other = rdMolDescriptors.CalcNumLipinskiHBA(mol) if kind == "hbd" else rdMolDescriptors.CalcNumLipinskiHBD(mol)
        return Draft(
            question=self._q[kind][lang].format(s=shown), answer=str(value), answer_type="integer",
            answer_format=fmt("integer", lang), params={"smiles": shown, "kind": kind},
            distractors=[str(w) for w in (other, value + 1, value + 2, max(0, value - 1), value + 3)],
            source=source_for(row),
        )


@register
class ShortestPath(Generator):
    id = "chemistry.shortest_path"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "topology", "L3"
    formats = ("open", "mcq")
    answer_type = "integer"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    _q = {
        "en": "In the SMILES {s}, the atoms carrying atom-map numbers 1 and 2 are marked. How many bonds lie on the shortest path between them?",
        "zh": "在 SMILES {s} 中，原子映射编号为 1 和 2 的原子已被标出。它们之间最短路径上有多少根键？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['smiles'])

    def draft(self, rng, cfg, lang, fmt_):
        row, mol, _ = draw(rng, cfg)
        mol = Chem.Mol(mol)
        i, j = rng.sample(range(mol.GetNumAtoms()), 2)
        mol.GetAtomWithIdx(i).SetAtomMapNum(1)
        mol.GetAtomWithIdx(j).SetAtomMapNum(2)
        path = Chem.rdmolops.GetShortestPath(mol, i, j)
        value = len(path) - 1
        shown = sampler.randomised_smiles(rng, mol) if cfg.randomised_smiles else Chem.MolToSmiles(mol)
        return Draft(
            question=self._q[lang].format(s=shown), answer=str(value), answer_type="integer",
            answer_format=fmt("integer", lang), params={"smiles": shown},
            distractors=[str(w) for w in (value + 1, value + 2, value - 1, value + 3) if w > 0],
            source=source_for(row),
        )


@register
class SameMolecule(Generator):
    id = "chemistry.same_molecule"
    version = "3"  # 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "identity", "L2"
    formats = ("true_false",)
    answer_type = "boolean"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    _q = {
        "en": "Do the SMILES strings {a} and {b} describe the same compound (same connectivity; stereochemistry not considered)?",
        "zh": "SMILES {a} 与 {b} 描述的是否是同一种化合物（连接方式相同即可，不考虑立体化学）？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['a']) + heavy_atoms(p['b'])

    def draft(self, rng, cfg, lang, fmt_):
        same = rng.random() < 0.5
        for _ in range(100):
            row, mol, _ = draw(rng, cfg)
            # A different compound is always an isomer from the snapshot (same formula): a
            # substituent swap changed the formula, so it was told apart without comparing anything.
            isomers = [r for r in snap.by_formula(cfg.min_atoms, cfg.max_atoms).get(row["formula"], []) if r["inchikey"][:14] != row["inchikey"][:14]]
            if same or isomers:
                break
        else:
            raise ValueError("no compound with an isomer in the snapshot drawn")
        a = sampler.randomised_smiles(rng, mol)
        other_row = row
        if same:
            b = sampler.randomised_smiles(rng, mol)
        else:
            other_row = rng.choice(isomers[:200])
            b = sampler.randomised_smiles(rng, Chem.MolFromSmiles(other_row["smiles"]))
        return Draft(
            question=self._q[lang].format(a=a, b=b), answer="true" if same else "false", answer_type="boolean",
            answer_format=boolean_format(lang), params={"a": a, "b": b}, boxed=False, source=source_for(row),
        )


GROUPS = {
    "carboxylic acid": "[CX3](=O)[OX2H1]",
    "ester": "[#6][CX3](=O)[OX2H0][#6]",
    "amide": "[NX3][CX3](=[OX1])",
    # The textbook meanings: aniline's NH2 is a primary amine, an amide's is not; an ester's or an
    # acid's single-bonded oxygen is not an ether oxygen (13 of 60 golds disagreed before).
    "primary amine": "[NX3;H2;!$(N[#6]=[O,S,N])][#6]",
    "alcohol": "[OX2H][CX4]",
    "ketone": "[#6][CX3](=O)[#6]",
    "aldehyde": "[CX3H1](=O)[#6]",
    "nitrile": "[NX1]#[CX2]",
    "phenyl ring": "c1ccccc1",
    "halogen": "[F,Cl,Br,I]",
    "ether": "[OD2]([#6;!$([#6]=[O,S,N])])[#6;!$([#6]=[O,S,N])]",
    "nitro": "[N+](=O)[O-]",
}
# What a Chinese examiner writes for each group ("含有aldehyde基团" mixed the languages).
GROUPS_ZH = {
    "carboxylic acid": "羧基", "ester": "酯基", "amide": "酰胺基", "primary amine": "伯氨基", "alcohol": "醇羟基",
    "ketone": "酮羰基", "aldehyde": "醛基", "nitrile": "氰基", "phenyl ring": "苯环", "halogen": "卤素原子",
    "ether": "醚键", "nitro": "硝基",
}
_GROUP_MOLS = {name: Chem.MolFromSmarts(s) for name, s in GROUPS.items()}


def groups_present(mol: Chem.Mol) -> list[str]:
    return sorted(n for n, patt in _GROUP_MOLS.items() if mol.HasSubstructMatch(patt))


@register
class FunctionalGroups(Generator):
    id = "chemistry.functional_groups"
    version = "3"  # 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "functional_groups", "L2"
    answer_type = "string_set"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    _q = {
        "en": "Which of these groups are present in {s}? Groups (with the SMARTS that defines each): {groups}. If none, answer none.",
        "zh": "下列基团中哪些存在于 {s} 中？基团（及其定义 SMARTS）：{groups}。若都不存在，回答 none。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['smiles'])

    def draft(self, rng, cfg, lang, fmt_):
        row, mol, shown = draw(rng, cfg)
        present = groups_present(mol)
        listed = "; ".join(f"{n} = {s}" for n, s in GROUPS.items())
        return Draft(
            question=self._q[lang].format(s=shown, groups=listed),
            answer=", ".join(g.replace(" ", "_") for g in present) or "none",
            answer_type="string_set", answer_format=fmt("groups", lang) + (" (write spaces as _)" if lang == "en" else "（空格写作 _）"),
            params={"smiles": shown}, source=source_for(row),
        )


@register
class CipLabel(Generator):
    id = "chemistry.cip_label"
    version = "3"  # 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "stereochemistry", "L3"
    # Open only: the answer is R or S, so any four options hold two that are not labels at all
    # and the key is one of the other two (0.48 picked from the options alone).
    formats = ("open",)
    answer_type = "string_set"
    Config = MoleculeKnobs
    presets = {k: {**v, "min_atoms": max(4, v["min_atoms"])} for k, v in SIZE_PRESETS.items()}
    _q = {
        "en": "In {s}, what is the CIP label (R or S) of the stereocentre carrying atom-map number 1?",
        "zh": "在 {s} 中，原子映射编号为 1 的立体中心的 CIP 构型（R 或 S）是什么？",
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['smiles'])

    def draft(self, rng, cfg, lang, fmt_):
        for _ in range(200):
            row, mol, _ = draw(rng, cfg)
            if "@" not in row["smiles"]:
                continue
            mol = Chem.Mol(mol)
            rdCIPLabeler.AssignCIPLabels(mol)
            centres = [a.GetIdx() for a in mol.GetAtoms() if a.HasProp("_CIPCode") and a.GetProp("_CIPCode") in ("R", "S")]
            if centres:
                break
        else:
            raise ValueError("no labelled stereocentre drawn")
        idx = rng.choice(centres)
        label = mol.GetAtomWithIdx(idx).GetProp("_CIPCode")
        mol.GetAtomWithIdx(idx).SetAtomMapNum(1)
        shown = Chem.MolToSmiles(mol, rootedAtAtom=rng.randrange(mol.GetNumAtoms()), canonical=False) if cfg.randomised_smiles else Chem.MolToSmiles(mol)
        return Draft(
            question=self._q[lang].format(s=shown), answer=label, answer_type="string_set",
            answer_format=fmt("cip", lang), params={"smiles": shown},
            source=source_for(row),
        )


# Single-function reactants (one carboxylic acid, one OH or one N-H bearing nitrogen), so that
# each pair has one main product. Sizes run from 1 to 13 heavy atoms: the presets pick pairs by
# their total size.
ACIDS = [
    "CC(=O)O", "CCC(=O)O", "OC(=O)c1ccccc1", "CC(C)C(=O)O", "OC(=O)CCl", "CCCC(=O)O", "OC(=O)c1ccncc1",
    "OC(=O)CCc1ccccc1", "OC(=O)C1CCCCC1", "COc1ccc(cc1)C(=O)O", "OC(=O)c1ccc2ccccc2c1", "OC(=O)c1ccc(Cl)cc1",
]
ALCOHOLS = ["CO", "CCO", "CC(C)O", "CCCO", "OCc1ccccc1", "CC(C)CO", "OCCCl", "OCC1CCCCC1", "OCCc1ccccc1", "COc1ccc(CO)cc1"]
AMINES = ["CN", "CCN", "NCc1ccccc1", "CNC", "C1CCNCC1", "Nc1ccccc1", "NCCc1ccccc1", "NC1CCCCC1", "C1COCCN1", "COc1ccc(N)cc1"]
REACTIONS = {
    "Fischer esterification": ("[C:1](=[O:2])[OH].[OH][C:3]>>[C:1](=[O:2])O[C:3]", ACIDS, ALCOHOLS),
    "amide coupling": ("[C:1](=[O:2])[OH].[N;!H0;!$(N-C=O):3]>>[C:1](=[O:2])[N:3]", ACIDS, AMINES),
}


class ReactionKnobs(Knobs):
    min_atoms: int = 9  # heavy atoms of the two reactants together
    max_atoms: int = 14


@register
class ReactionProduct(Generator):
    id = "chemistry.reaction_product"
    version = "3"  # 3: options that need the work, screened sources, stated conventions (issue #14); 2: charge and tautomer count (InChIKey's first block ignored them)
    domain, topic, level = "chemistry", "reactions", "L3"
    answer_type = "structure"
    Config = ReactionKnobs
    presets = {"easy": {"min_atoms": 2, "max_atoms": 8}, "medium": {}, "hard": {"min_atoms": 15, "max_atoms": 30}}
    source = Source(name="reaction_templates", version="1", licence="CC0-1.0")
    _q = {
        "en": "Give the main organic product of the {name} of {a} with {b} (one equivalent each; water is the by-product). {policy}",
        "zh": "给出 {a} 与 {b} 发生{name}（各一当量，副产物为水）的主要有机产物。{policy}",
    }
    _names_zh = {"Fischer esterification": "Fischer 酯化反应", "amide coupling": "酰胺偶联反应"}

    @staticmethod
    def work(p: dict) -> float:
        return sum(heavy_atoms(s) for s in p['reactants'])

    def draft(self, rng, cfg, lang, fmt_):
        name = rng.choice(sorted(REACTIONS))
        template, first, second = REACTIONS[name]
        pairs = [(a, b) for a in first for b in second if cfg.min_atoms <= heavy_atoms(a) + heavy_atoms(b) <= cfg.max_atoms]
        if not pairs:
            raise ValueError(f"no {name} reactant pair has {cfg.min_atoms}-{cfg.max_atoms} heavy atoms")
        a, b = rng.choice(pairs)
        rxn = AllChem.ReactionFromSmarts(template)
        products = rxn.RunReactants((Chem.MolFromSmiles(a), Chem.MolFromSmiles(b)))
        product = products[0][0]
        Chem.SanitizeMol(product)
        smiles = Chem.MolToSmiles(product)
        return Draft(
            question=self._q[lang].format(name=name if lang == "en" else self._names_zh[name], a=a, b=b, policy=STEREO_POLICY[lang]),
            answer=smiles, answer_type="structure", answer_format=fmt("structure", lang),
            params={"reaction": name, "reactants": [a, b]}, grader_args={"stereo": "ignore"},
        )


@register
class CombustionBalance(Generator):
    id = "chemistry.balance_combustion"
    version = "2"  # 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "stoichiometry", "L3"
    answer_type = "coefficients"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    _q = {
        "en": "Balance the complete combustion: {f} + O2 -> CO2 + H2O. Give the coefficients of {f}, O2, CO2 and H2O.",
        "zh": "配平完全燃烧反应：{f} + O2 -> CO2 + H2O。依次给出 {f}、O2、CO2、H2O 的系数。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return formula_atoms(p['formula'])

    def draft(self, rng, cfg, lang, fmt_):
        for _ in range(500):
            row, mol, _ = draw(rng, cfg)
            counts = Counter(a.GetSymbol() for a in Chem.AddHs(mol).GetAtoms())
            if set(counts) <= {"C", "H", "O"} and counts["C"] and counts["H"] and Chem.GetFormalCharge(mol) == 0:
                break
        else:
            raise ValueError("no CHO compound drawn")
        x, y, z = counts["C"], counts["H"], counts["O"]
        # a CxHyOz + b O2 -> x a CO2 + (y/2) a H2O, with 2b = 2xa + ya/2 - za.
        a = 1
        while (4 * x * a + y * a - 2 * z * a) % 4 or (y * a) % 2:
            a += 1
        coeffs = [a, (4 * x * a + y * a - 2 * z * a) // 4, x * a, y * a // 2]
        g = 0
        for c in coeffs:
            g = gcd(g, c)
        coeffs = [c // g for c in coeffs]
        formula = rdMolDescriptors.CalcMolFormula(mol)
        assert re.fullmatch(r"[CHO\d]+", formula)
        return Draft(
            question=self._q[lang].format(f=formula), answer=", ".join(map(str, coeffs)), answer_type="coefficients",
            answer_format=fmt("coefficients", lang), params={"formula": formula}, source=source_for(row),
        )


class NamedKnobs(Knobs):
    min_atoms: int = 3
    max_atoms: int = 14


NAMED_PRESETS = {"easy": {"min_atoms": 2, "max_atoms": 8}, "medium": {"min_atoms": 3, "max_atoms": 14}, "hard": {"min_atoms": 10, "max_atoms": 30}}


@register
class FormulaOfNamed(Generator):
    id = "chemistry.formula_of_named"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: names read back by OPSIN; options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "recall", "L1"
    formats = ("open", "mcq")
    answer_type = "formula"
    Config = NamedKnobs
    presets = NAMED_PRESETS
    _q = {"en": "What is the molecular formula of {name} (PubChem CID {cid})?", "zh": "{name}（PubChem CID {cid}）的分子式是什么？"}

    @staticmethod
    def work(p: dict) -> float:
        return named_heavy_atoms('cid', p['cid'])

    def draft(self, rng, cfg, lang, fmt_):
        row = draw_named(rng, named_pool(cfg.min_atoms, cfg.max_atoms))
        mol = Chem.MolFromSmiles(row["smiles"])
        counts = element_counts(mol)
        slips = formula_square(rng, counts)
        if slips is None and fmt_ == "mcq":
            raise DrawAgain(self.id)
        return Draft(
            question=self._q[lang].format(name=row["name"], cid=row["cid"]), answer=hill_formula(mol), answer_type="formula",
            answer_format=fmt("formula", lang), params={"cid": row["cid"], "recorded_formula": row["formula"]},
            distractors=[hill(c) for c in slips or []], source=source_for(row),
        )


TB_AGREE_K = 5.0  # the question's own tolerance


@lru_cache(maxsize=8)
def boiling_pool(min_atoms: int, max_atoms: int) -> list[dict]:
    """Named compounds whose Yaws boiling point a measured second table (CRC, Common Chemistry,
    NIST WebBook) confirms within the tolerance, above the compound's own melting
    point: Yaws alone disagreed with other tables by 9-395 K on 12 of 78 items, and a third of
    its compounds have no other source (recall nobody can check, or do)."""
    from chemicals import phase_change

    phase_change.Tb_methods("64-17-5")  # loads the tables
    measured = [phase_change.Tb_sources[m]["Tb"].dropna() for m in ("CRC_ORG", "COMMON_CHEMISTRY", "WEBBOOK")]
    out = []
    for row in named_pool(min_atoms, max_atoms, "tb"):
        others = [float(v) for t in measured if row["cas"] in t.index for v in np.atleast_1d(t[row["cas"]])]
        if not any(abs(t - row["tb"]) <= TB_AGREE_K for t in others):
            SCREEN_SKIPS["boiling_point_unconfirmed"] += 1
        elif row["tm"] is not None and row["tm"] >= row["tb"]:
            SCREEN_SKIPS["boiling_below_melting"] += 1
        else:
            out.append(row)
    return out


@register
class BoilingPoint(Generator):
    id = "chemistry.boiling_point"
    version = "4"  # 4: the open/multiple-choice pick and the options' corner drawn from the item's key (issue #27); 3: names read back by OPSIN; options that need the work, screened sources, stated conventions (issue #14); 2: the stated unit is accepted after the number; one-answer rule stated
    domain, topic, level = "chemistry", "recall", "L1"
    mcq_options = "siblings"  # boiling points of other compounds: a Celsius slip fell outside the range any compound has
    formats = ("open", "mcq")
    answer_type = "number"
    Config = NamedKnobs
    presets = NAMED_PRESETS
    _q = {
        "en": "What is the normal boiling point of {name} (CAS {cas}) in kelvin? Answers within 5 K of the tabulated value (Yaws, confirmed by a second table) count.",
        "zh": "{name}（CAS {cas}）的正常沸点是多少开尔文？与 Yaws 表值相差 5 K 以内即算正确。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return named_heavy_atoms('cas', p['cas'])

    def draft(self, rng, cfg, lang, fmt_):
        row = draw_named(rng, boiling_pool(cfg.min_atoms, cfg.max_atoms))
        tb = row["tb"]
        return Draft(
            question=self._q[lang].format(name=row["name"], cas=row["cas"]), answer=f"{tb:.2f}", answer_type="number",
            answer_format=fmt("kelvin", lang), params={"cas": row["cas"]}, grader_args={"unit": "K"}, tolerance=Tolerance(abs=5.0, rel=0.0),
            distractors=[f"{tb - 273.15:.2f}", f"{tb + 40:.2f}", f"{tb - 40:.2f}", f"{tb + 100:.2f}"],
            source=source_for(row),
        )


@register
class NameToStructure(Generator):
    id = "chemistry.name_to_structure"
    version = "3"  # 3: names read back by OPSIN; options that need the work, screened sources, stated conventions (issue #14); 2: SMILES only (the given name is not an answer); charge and tautomer count
    domain, topic, level = "chemistry", "nomenclature", "L1"
    answer_type = "structure"
    Config = NamedKnobs
    presets = NAMED_PRESETS
    _q = {"en": "Give the structure of the compound named {name}. {policy}", "zh": "给出名为 {name} 的化合物的结构。{policy}"}

    @staticmethod
    def work(p: dict) -> float:
        return named_heavy_atoms('inchikey', p['inchikey'])

    def draft(self, rng, cfg, lang, fmt_):
        row = draw_named(rng, named_pool(cfg.min_atoms, cfg.max_atoms), "iupac")
        return Draft(
            question=self._q[lang].format(name=row["iupac"], policy=STEREO_POLICY[lang]), answer=row["smiles"],
            answer_type="structure", answer_format=fmt("smiles", lang), params={"inchikey": row["inchikey"]},
            grader_args={"stereo": "ignore", "notation": "smiles"}, source=source_for(row),
        )


_PAINS = FilterCatalog.FilterCatalogParams()
_PAINS.AddCatalog(FilterCatalog.FilterCatalogParams.FilterCatalogs.PAINS)
PAINS = FilterCatalog.FilterCatalog(_PAINS)


@register
class StructuralAlert(Generator):
    id = "chemistry.pains_alert"
    version = "2"  # 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "safety_screening", "L4"
    formats = ("true_false",)
    answer_type = "boolean"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    _q = {
        "en": "True or false: {s} matches at least one PAINS (pan-assay interference) substructure filter, as in RDKit's PAINS catalog.",
        "zh": "判断正误：{s} 至少匹配一个 PAINS（泛筛选干扰化合物）子结构过滤器（以 RDKit 的 PAINS 目录为准）。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return heavy_atoms(p['smiles'])

    def draft(self, rng, cfg, lang, fmt_):
        want = rng.random() < 0.5
        for _ in range(400):
            row, mol, shown = draw(rng, cfg)
            if PAINS.HasMatch(mol) == want:
                break
        else:
            raise ValueError("no molecule with the wanted alert status")
        return Draft(
            question=self._q[lang].format(s=shown), answer="true" if want else "false", answer_type="boolean",
            answer_format=boolean_format(lang), params={"smiles": shown}, boxed=False, source=source_for(row),
        )


class DesignKnobs(Knobs):
    mass_window: float = 60.0
    require_ring: bool = True


@register
class DesignMolecule(Generator):
    id = "chemistry.design_molecule"
    version = "4"  # 4: Chinese group names in zh (issue #26); 3: options that need the work, screened sources, stated conventions (issue #14); 2: every question says that several candidates count as wrong
    domain, topic, level = "chemistry", "design", "L5"
    answer_type = "molecule_design"
    Config = DesignKnobs
    presets = {"easy": {"mass_window": 100.0, "require_ring": False}, "medium": {}, "hard": {"mass_window": 30.0}}
    _q = {
        "en": "Propose one neutral molecule with average molar mass between {lo} and {hi} g/mol, exactly {hbd} Lipinski hydrogen-bond donors, at least {rings} ring(s), and a {group} group ({smarts}). Any molecule meeting every condition is accepted.",
        "zh": "设计一个中性分子：平均摩尔质量在 {lo} 到 {hi} g/mol 之间，Lipinski 氢键供体恰好 {hbd} 个，至少 {rings} 个环，并含有{group_zh}（{smarts}）。满足全部条件的任何分子都可以。",
    }

    @staticmethod
    def work(p: dict) -> float:
        return 100 / p['config']['mass_window'] + p['config']['require_ring']

    def draft(self, rng, cfg, lang, fmt_):
        from validators.chemistry import check_design

        for _ in range(500):
            row, mol = sampler.draw(rng, 8, 25)
            present = groups_present(mol)
            # The witness must be what the question asks for: neutral, closed-shell, one molecule.
            if Chem.GetFormalCharge(mol) or any(a.GetNumRadicalElectrons() for a in mol.GetAtoms()) or "." in row["smiles"]:
                continue
            if present and (rdMolDescriptors.CalcNumRings(mol) or not cfg.require_ring):
                break
        else:
            raise ValueError("no witness molecule drawn")
        group = rng.choice(present)
        mw = Descriptors.MolWt(mol)
        lo = round(mw - rng.uniform(0.2, 0.8) * cfg.mass_window)
        hi = lo + int(cfg.mass_window)
        hbd = rdMolDescriptors.CalcNumLipinskiHBD(mol)
        rings = 1 if cfg.require_ring else 0
        args = {"ranges": {"mw": [lo, hi], "hbd": [hbd, hbd], "rings": [rings, 99]}, "must_contain": {group: GROUPS[group]}}
        assert check_design(mol, args) is None
        return Draft(
            question=self._q[lang].format(lo=lo, hi=hi, hbd=hbd, rings=rings, group=group, group_zh=GROUPS_ZH[group], smarts=GROUPS[group]),
            answer=row["smiles"], answer_type="molecule_design", answer_format=fmt("structure", lang),
            params={}, grader_args=args, source=source_for(row),
        )
