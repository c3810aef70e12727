"""Chemistry answers: structures compared as RDKit canonical SMILES (stereo per the stated
policy; charge, protonation and tautomer as written), formulas by element counts, names
through OPSIN, and designs by checking every constraint."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from rdkit import Chem, RDLogger
from rdkit.Chem import Crippen, Descriptors, rdMolDescriptors

from mintbench.items.schema import Tolerance
from validators import opsin
from validators.result import Grade, Unparsable, correct, wrong

RDLogger.DisableLog("rdApp.*")
_FORMULA_TOKEN = re.compile(r"([A-Z][a-z]?)(\d*)")
_NAME_LIKE = re.compile(r"^[A-Za-z0-9,'′\-\(\)\[\] ]{4,300}$")
_NAME_STEM = re.compile(r"[a-z]{4}")
_SMILES_CHARS = re.compile(r"^[A-Za-z0-9@+\-\[\]\(\)=#$:/\\%.*]+$")


@lru_cache(maxsize=2048)
def _name_to_smiles(name: str) -> str | None:
    """IUPAC name -> SMILES with OPSIN; None when OPSIN cannot read it."""
    return opsin.name_to_smiles(name)


class NotAMolecule(ValueError):
    """Well-formed SMILES that no molecule has (a valence or aromaticity RDKit refuses): the
    response gave a structure, and it is not the asked one. A wrong answer, not an unreadable one."""


def molecule(text: str) -> Chem.Mol:
    """A molecule from a SMILES string, or from a name via OPSIN."""
    text = text.strip().strip("`'\"")
    if not text or len(text) > 500:
        raise Unparsable("empty or overlong structure")
    if _SMILES_CHARS.match(text):
        mol = Chem.MolFromSmiles(text)
        if mol is not None:
            return mol
        if Chem.MolFromSmiles(text, sanitize=False) is not None:
            raise NotAMolecule("well-formed SMILES of an impossible structure")
    # Only text that can be a name goes to OPSIN: name characters only, and a lower-case run
    # such as 'eth' or 'benz' ('A A A', 'zoo/0' are not).
    smiles = _name_to_smiles(text) if _NAME_LIKE.match(text) and _NAME_STEM.search(text) else None
    mol = Chem.MolFromSmiles(smiles) if smiles else None
    if mol is None:
        raise Unparsable("neither a valid SMILES nor a name OPSIN can read")
    return mol


def structure_key(mol: Chem.Mol, stereo: str) -> str:
    """The canonical SMILES a structure is compared by. The InChIKey's first block ignored charge
    and protonation, and standard InChI merges amide and imidic-acid tautomers: a wrong charge or a
    different tautomer passed. 'ignore' drops stereo (and isotopes), which the question does not ask."""
    return Chem.MolToSmiles(mol, isomericSmiles=stereo != "ignore")


def grade_structure(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    stereo = args.get("stereo", "ignore")
    if args.get("notation") == "smiles" and Chem.MolFromSmiles(text.strip().strip("`'\""), sanitize=False) is None:
        # The question names the compound: reading a name back would credit the question itself.
        return wrong("a SMILES string is asked, not a name")
    try:
        given = structure_key(molecule(text), stereo)
    except NotAMolecule as exc:
        return wrong(str(exc))
    target = structure_key(Chem.MolFromSmiles(gold), stereo)
    if given == target:
        return correct()
    if Chem.MolToInchiKey(Chem.MolFromSmiles(given)).split("-")[0] == Chem.MolToInchiKey(Chem.MolFromSmiles(target)).split("-")[0]:
        return wrong("same skeleton, different charge, protonation or tautomer")
    return wrong("different structure")


def parse_formula(text: str) -> Counter:
    text = re.sub(r"[\s$_{}]", "", text)
    text = text.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "01234567890123456789+-"))
    # A charge written as a superscript (LaTeX S^{2-}) is apart from the counts: S^{2-} is one
    # sulfur with charge 2-, not two sulfurs and a minus.
    body, caret, sup = text.partition("^")
    if caret and not re.fullmatch(r"[+-]\d*|\d*[+-]", sup):
        raise Unparsable("not a molecular formula")
    m = re.fullmatch(r"((?:[A-Z][a-z]?\d*)+)([+-]\d*|\d*[+-])?", body)
    if not m or (caret and m.group(2)):
        raise Unparsable("not a molecular formula")
    counts: Counter = Counter()
    for element, n in _FORMULA_TOKEN.findall(m.group(1)):
        counts[element] += int(n) if n else 1
    charge = sup if caret else m.group(2) or ""
    digits = int(re.sub(r"[+-]", "", charge) or 1) if charge else 0
    counts["+charge"] = digits * (-1 if "-" in charge else 1)
    return counts


def grade_formula(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """Element counts equal; Hill order not required."""
    return correct() if parse_formula(text) == parse_formula(gold) else wrong("different element counts")


def properties(mol: Chem.Mol) -> dict[str, float]:
    return {
        "mw": Descriptors.MolWt(mol),
        "hbd": rdMolDescriptors.CalcNumLipinskiHBD(mol),
        "hba": rdMolDescriptors.CalcNumLipinskiHBA(mol),
        "rings": rdMolDescriptors.CalcNumRings(mol),
        "aromatic_rings": rdMolDescriptors.CalcNumAromaticRings(mol),
        "logp": Crippen.MolLogP(mol),
        "heavy_atoms": mol.GetNumHeavyAtoms(),
    }


def check_design(mol: Chem.Mol, args: dict) -> str | None:
    props = properties(mol)
    if "formula" in args and rdMolDescriptors.CalcMolFormula(mol) != args["formula"]:
        return f"molecular formula is not {args['formula']}"
    if "differs_from" in args and _flat_smiles(mol) == _flat_smiles(Chem.MolFromSmiles(args["differs_from"])):
        return "the given compound itself, not another one"
    for key, (lo, hi) in args.get("ranges", {}).items():
        if not lo <= props[key] <= hi:
            return f"{key} outside {lo}-{hi}"
    for name, smarts in args.get("must_contain", {}).items():
        if not mol.HasSubstructMatch(Chem.MolFromSmarts(smarts)):
            return f"lacks {name}"
    if Chem.MolToSmiles(mol).count(".") > 0:
        return "more than one molecule"
    if Chem.GetFormalCharge(mol) != 0:
        return "not a neutral molecule"
    if any(atom.GetNumRadicalElectrons() for atom in mol.GetAtoms()):
        return "a radical, not a closed-shell molecule"
    return None


def _flat_smiles(mol: Chem.Mol) -> str:
    """Canonical SMILES without stereo: connectivity, charge and hydrogens."""
    return Chem.MolToSmiles(mol, isomericSmiles=False)


def grade_design(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    if args.get("notation") == "smiles" and Chem.MolFromSmiles(text.strip().strip("`'\""), sanitize=False) is None:
        return wrong("a SMILES string is asked, not a name")  # and no JVM is started to read one
    try:
        problem = check_design(molecule(text), args)
    except NotAMolecule as exc:
        return wrong(str(exc))
    return correct("meets every constraint") if problem is None else wrong(problem)


def grade_coefficients(text: str, gold: str, args: dict, tol: Tolerance) -> Grade:
    """Balanced equation coefficients: the smallest whole numbers, in the stated order."""
    given = [int(x) for x in re.findall(r"-?\d+", text)]
    target = [int(x) for x in re.findall(r"-?\d+", gold)]
    if not given:
        raise Unparsable("no coefficients")
    if given == target:
        return correct()
    if len(given) == len(target) and all(g * target[0] == t * given[0] for g, t in zip(given, target)):
        return wrong("balanced but not the smallest whole numbers")
    return wrong("not the balancing coefficients")
