"""Independent proofs for the chemistry generators: atom loops against descriptors, formulas
from atom counts, masses from an element table, InChIKey round trips, the legacy CIP
assigner against the new labeller, element balance for reactions, a nullspace for equations."""

from __future__ import annotations

import re
from collections import Counter, deque

import sympy
from rdkit import Chem
from rdkit.Chem import rdCIPLabeler

from mintbench.items.schema import Item
from validators.chemistry import check_design, molecule, parse_formula
from validators.proofs import proves


def _mol(item: Item) -> Chem.Mol:
    mol = Chem.MolFromSmiles(item.params["smiles"])
    if mol is None:
        raise ValueError("question SMILES does not parse")
    return mol


def atom_counts(mol: Chem.Mol) -> Counter:
    """Element counts by walking atoms, hydrogens included."""
    counts: Counter = Counter()
    for atom in mol.GetAtoms():
        counts[atom.GetSymbol()] += 1
        counts["H"] += atom.GetTotalNumHs()
    return counts


@proves("chemistry.atom_count")
def atom_count(item: Item, answer: str) -> str | None:
    counts = parse_formula(Chem.rdMolDescriptors.CalcMolFormula(_mol(item)))
    heavy = sum(n for e, n in counts.items() if e not in ("H", "+charge"))
    value = {"heavy": heavy, "carbon": counts["C"], "hetero": heavy - counts["C"]}[item.params["kind"]]
    return None if value == int(answer) else "gold differs from the formula's counts"


@proves("chemistry.ring_count")
def ring_count(item: Item, answer: str) -> str | None:
    mol = _mol(item)
    if item.params["kind"] == "rings":
        # Cycle rank: bonds - atoms + connected components.
        value = mol.GetNumBonds() - mol.GetNumAtoms() + len(Chem.GetMolFrags(mol))
    else:
        value = sum(all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in ring) for ring in mol.GetRingInfo().AtomRings())
    return None if value == int(answer) else "gold differs from the ring perception"


@proves("chemistry.formula")
def formula(item: Item, answer: str) -> str | None:
    mol = _mol(item)
    counts = atom_counts(mol) + Counter()
    counts["+charge"] = Chem.GetFormalCharge(mol)
    # Counter equality treats a missing key as zero (Python >= 3.10).
    return None if parse_formula(answer) == counts else "gold differs from the atom counts"


@proves("chemistry.molar_mass")
def molar_mass(item: Item, answer: str) -> str | None:
    mol = _mol(item)
    table = Chem.GetPeriodicTable()
    counts = atom_counts(mol)
    if item.params["kind"] == "average":
        value = sum(table.GetAtomicWeight(e) * n for e, n in counts.items())
    else:
        value = sum(table.GetMostCommonIsotopeMass(e) * n for e, n in counts.items())
        value -= Chem.GetFormalCharge(mol) * 0.000548579909  # electrons removed or added
    return None if abs(value - float(answer)) <= 0.011 else "gold differs from the element-table sum"


@proves("chemistry.lipinski")
def lipinski(item: Item, answer: str) -> str | None:
    mol = _mol(item)
    no = [a for a in mol.GetAtoms() if a.GetSymbol() in ("N", "O")]
    value = sum(a.GetTotalNumHs() for a in no) if item.params["kind"] == "hbd" else len(no)
    return None if value == int(answer) else "gold differs from the N/O atom loop"


@proves("chemistry.shortest_path")
def shortest_path(item: Item, answer: str) -> str | None:
    mol = _mol(item)
    ends = {a.GetAtomMapNum(): a.GetIdx() for a in mol.GetAtoms() if a.GetAtomMapNum() in (1, 2)}
    seen, queue = {ends[1]: 0}, deque([ends[1]])
    while queue:
        i = queue.popleft()
        for nb in mol.GetAtomWithIdx(i).GetNeighbors():
            if nb.GetIdx() not in seen:
                seen[nb.GetIdx()] = seen[i] + 1
                queue.append(nb.GetIdx())
    return None if seen.get(ends[2]) == int(answer) else "gold differs from breadth-first search"


@proves("chemistry.same_molecule")
def same_molecule(item: Item, answer: str) -> str | None:
    keys = [Chem.MolToInchiKey(Chem.MolFromSmiles(item.params[k])).split("-")[0] for k in ("a", "b")]
    return None if (keys[0] == keys[1]) == (answer == "true") else "gold truth value is wrong"


@proves("chemistry.functional_groups")
def functional_groups(item: Item, answer: str) -> str | None:
    from generators.chemistry.molecules import GROUPS

    # Same SMARTS, but on the molecule re-read from a different SMILES: the answer must not
    # depend on how the structure was written.
    mol = Chem.MolFromSmiles(Chem.MolToSmiles(_mol(item), canonical=True))
    present = {n.replace(" ", "_") for n, s in GROUPS.items() if len(mol.GetSubstructMatches(Chem.MolFromSmarts(s))) > 0}
    gold = set() if answer == "none" else {g.strip() for g in answer.split(",")}
    return None if present == gold else "gold differs from the group search"


@proves("chemistry.cip_label")
def cip_label(item: Item, answer: str) -> str | None:
    mol = _mol(item)
    idx = next(a.GetIdx() for a in mol.GetAtoms() if a.GetAtomMapNum() == 1)
    plain = Chem.Mol(mol)
    for a in plain.GetAtoms():
        a.SetAtomMapNum(0)  # map numbers must not influence priorities
    rdCIPLabeler.AssignCIPLabels(plain)
    new = plain.GetAtomWithIdx(idx).GetProp("_CIPCode") if plain.GetAtomWithIdx(idx).HasProp("_CIPCode") else None
    legacy = Chem.Mol(plain)
    Chem.AssignStereochemistry(legacy, cleanIt=True, force=True)
    old = legacy.GetAtomWithIdx(idx).GetProp("_CIPCode") if legacy.GetAtomWithIdx(idx).HasProp("_CIPCode") else None
    if new != old:
        return "CIP labellers disagree: ambiguous centre"
    return None if new == answer else "gold differs from the CIP labellers"


@proves("chemistry.reaction_product")
def reaction_product(item: Item, answer: str) -> str | None:
    a, b = (Chem.MolFromSmiles(s) for s in item.params["reactants"])
    product = Chem.MolFromSmiles(answer)
    water = Counter({"H": 2, "O": 1})
    if atom_counts(a) + atom_counts(b) != atom_counts(product) + water:
        return "atoms are not conserved (reactants = product + water)"
    if Chem.MolToInchiKey(Chem.MolFromSmiles(Chem.MolToSmiles(product))) != Chem.MolToInchiKey(product):
        return "product does not round-trip"
    return None


@proves("chemistry.balance_combustion")
def balance_combustion(item: Item, answer: str) -> str | None:
    counts = parse_formula(item.params["formula"])
    species = [{"C": counts["C"], "H": counts["H"], "O": counts["O"]}, {"O": 2}, {"C": 1, "O": 2}, {"H": 2, "O": 1}]
    signs = [1, 1, -1, -1]
    matrix = sympy.Matrix([[sign * s.get(e, 0) for s, sign in zip(species, signs)] for e in ("C", "H", "O")])
    basis = matrix.nullspace()
    if len(basis) != 1:
        return "equation does not balance uniquely"
    vec = basis[0] * sympy.ilcm(*[v.q for v in basis[0]])
    vec = vec / sympy.igcd(*[int(v) for v in vec])
    return None if [int(v) for v in vec] == [int(x) for x in re.findall(r"\d+", answer)] else "gold differs from the nullspace"


@proves("chemistry.formula_of_named")
def formula_of_named(item: Item, answer: str) -> str | None:
    # PubChem's recorded formula against RDKit's formula of PubChem's recorded structure.
    recorded = parse_formula(item.params["recorded_formula"])
    return None if parse_formula(answer) == recorded else "recorded formula disagrees with the recorded structure"


@proves("chemistry.boiling_point")
def boiling_point(item: Item, answer: str) -> str | None:
    import chemicals

    value = chemicals.Tb(item.params["cas"], method="YAWS")
    return None if value is not None and abs(value - float(answer)) <= 0.01 else "gold differs from chemicals.Tb (Yaws)"


@proves("chemistry.name_to_structure")
def name_to_structure(item: Item, answer: str) -> str | None:
    key = Chem.MolToInchiKey(Chem.MolFromSmiles(answer))
    return None if key == item.params["inchikey"] else "structure does not round-trip to the recorded InChIKey"


@proves("chemistry.pains_alert")
def pains_alert(item: Item, answer: str) -> str | None:
    from generators.chemistry.molecules import PAINS

    mol = Chem.MolFromSmiles(Chem.MolToSmiles(_mol(item)))  # re-read from canonical SMILES
    hits = PAINS.GetMatches(mol)
    return None if (len(hits) > 0) == (answer == "true") else "gold disagrees with the PAINS matches"


@proves("chemistry.design_molecule")
@proves("chemistry.design_isomer")
@proves("chemistry.design_from_formula")
def design_molecule(item: Item, answer: str) -> str | None:
    return check_design(molecule(answer), item.grader_args)


@proves("chemistry.flammability_class")
def flammability_class(item: Item, answer: str) -> str | None:
    from chemicals import safety

    p = item.params
    # The stated flash point is one at least one table gives (within the agreement window).
    safety._load_safety_data()
    tables = [safety.IEC_2010_data, safety.NFPA_2008_data, safety.DIPPR_SERAT_data]
    listed = [float(t.at[p["cas"], "T_flash"]) - 273.15 for t in tables if p["cas"] in t.index]
    if not any(abs(v - p["flash_c"]) <= 3.5 for v in listed):
        return "stated flash point is not a tabulated one"
    # GHS 2.6 table, written out independently: (upper flash limit, boiling condition, category).
    flash, boil = p["flash_c"], p["boil_c"]
    category = next((cat for limit, cond, cat in ((23, boil <= 35, 1), (23, True, 2), (60.5, True, 3), (93.5, True, 4)) if flash < limit and cond), 0)
    return None if category == int(answer) else "gold category disagrees with the GHS table"


@proves("chemistry.valence_check")
def valence_check(item: Item, answer: str) -> str | None:
    from rdkit import RDLogger

    RDLogger.DisableLog("rdApp.*")
    readable = Chem.MolFromSmiles(item.params["smiles"]) is not None
    return None if readable == (answer == "true") else "gold truth value disagrees with sanitization"
