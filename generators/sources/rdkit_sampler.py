"""`rdkit_sampler`: molecules drawn from the snapshot and varied — randomised SMILES and
substituent swaps — so a known compound can be asked in ways no training set holds."""

from __future__ import annotations

import random

from rdkit import Chem, RDLogger
from rdkit.Chem import AllChem

from generators.sources import pubchem_snapshot as snap

RDLogger.DisableLog("rdApp.*")

NAME = "rdkit_sampler"
_SWAPS = [("[CH3]", "Cl"), ("[OH]", "N"), ("[Cl]", "F"), ("[NH2]", "O"), ("[F]", "Cl")]


def draw(rng: random.Random, min_atoms: int, max_atoms: int, need: str = "") -> tuple[dict, Chem.Mol]:
    rows = snap.pool(min_atoms, max_atoms, need)
    row = rows[rng.randrange(len(rows))]
    return row, Chem.MolFromSmiles(row["smiles"])


def randomised_smiles(rng: random.Random, mol: Chem.Mol) -> str:
    """A valid SMILES starting from a seeded random atom: the same molecule, an unfamiliar string."""
    root = rng.randrange(mol.GetNumAtoms())
    return Chem.MolToSmiles(mol, rootedAtAtom=root, canonical=False, doRandom=False)


def swap_substituent(rng: random.Random, mol: Chem.Mol) -> Chem.Mol | None:
    """Replace one substituent by another (a new compound near a known one), or None."""
    options = list(_SWAPS)
    rng.shuffle(options)
    for old, new in options:
        patt = Chem.MolFromSmarts(old)
        if mol.HasSubstructMatch(patt):
            out = AllChem.ReplaceSubstructs(mol, patt, Chem.MolFromSmiles(new), replaceAll=False)[0]
            try:
                Chem.SanitizeMol(out)
            except Exception:
                continue
            return out
    return None
