"""Shared pieces of the chemistry generators: answer formats, presets, molecule drawing."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from rdkit import Chem

from generators.sources import pubchem_live as live
from generators.sources import pubchem_snapshot as snap
from generators.sources import rdkit_sampler as sampler
from mintbench.items.registry import Knobs
from mintbench.items.schema import Source
from validators import opsin
from validators.chemistry import structure_key

FORMATS = {
    "integer": {"en": "a single integer", "zh": "一个整数"},
    "formula": {"en": "a molecular formula like C6H12O6 (element order not required)", "zh": "分子式，如 C6H12O6（元素顺序不限）"},
    "mass": {"en": "a number in g/mol with two decimal places", "zh": "以 g/mol 为单位、保留两位小数的数值"},
    "kelvin": {"en": "a number in kelvin", "zh": "以开尔文为单位的数值"},
    "structure": {"en": "one SMILES string (an IUPAC name is also accepted)", "zh": "一个 SMILES 字符串（也接受 IUPAC 名称）"},
    "groups": {"en": "the names of all groups present, comma-separated, exactly as listed", "zh": "列出存在的全部基团名称，用逗号分隔，名称须与所列完全一致"},
    "smiles": {"en": "one SMILES string", "zh": "一个 SMILES 字符串"},
    "cip": {"en": "R or S", "zh": "R 或 S"},
    "coefficients": {"en": "the smallest whole-number coefficients in the order written, like 2, 3, 2, 4", "zh": "按书写顺序给出最小整数系数，如 2, 3, 2, 4"},
}
STEREO_POLICY = {
    "en": "Stereochemistry is not asked; charge, protonation state and tautomer are (structures are compared as canonical SMILES without stereo).",
    "zh": "不考察立体化学；但电荷、质子化状态和互变异构体须正确（按去除立体信息的规范 SMILES 比较结构）。",
}


def fmt(key: str, lang: str) -> str:
    return FORMATS[key][lang]


class MoleculeKnobs(Knobs):
    min_atoms: int = 8
    max_atoms: int = 20
    randomised_smiles: bool = True
    # A file from `mintbench sources fetch-pubchem`: draw newly deposited compounds instead.
    snapshot: str | None = None


SIZE_PRESETS: dict[str, dict[str, Any]] = {
    "easy": {"min_atoms": 3, "max_atoms": 10, "randomised_smiles": False},
    "medium": {"min_atoms": 8, "max_atoms": 20, "randomised_smiles": True},
    "hard": {"min_atoms": 18, "max_atoms": 40, "randomised_smiles": True},
}


def source_for(row: dict) -> Source:
    if row.get("source") == live.NAME:
        # The record's own date (PubChem's creation date) where the fetch recorded it.
        return Source(name=live.NAME, record_id=row["record_id"], version=row.get("date") or row["retrieved_at"][:10], retrieved_at=row["retrieved_at"], licence=live.LICENCE)
    return snap.record(row).provenance()


def draw(rng, cfg, need: str = ""):
    """(snapshot row, RDKit molecule, SMILES as shown in the question)."""
    if cfg.snapshot:
        rows = [r for r in live.load_snapshot(cfg.snapshot) if cfg.min_atoms <= r["heavy_atoms"] <= cfg.max_atoms]
        if not rows:
            raise ValueError("no compound in the live snapshot fits the size window")
        row = rows[rng.randrange(len(rows))]
        mol = Chem.MolFromSmiles(row["smiles"])
    else:
        row, mol = sampler.draw(rng, cfg.min_atoms, cfg.max_atoms, need)
    shown = sampler.randomised_smiles(rng, mol) if cfg.randomised_smiles else row["smiles"]
    return row, mol, shown


def heavy_atoms(smiles: str) -> int:
    return Chem.MolFromSmiles(smiles).GetNumHeavyAtoms()


def formula_atoms(formula: str) -> int:
    """Atoms in a molecular formula, hydrogens included: C2H6O -> 9."""
    return sum(int(n or 1) for n in re.findall(r"[A-Z][a-z]?(\d*)", formula))


@lru_cache(maxsize=1)
def _heavy_atoms_by_id() -> dict[str, int]:
    table, _ = snap.load()
    cols = table.select(["cid", "cas", "inchikey", "heavy_atoms"]).to_pydict()
    out: dict[str, int] = {}
    for cid, cas, key, heavy in zip(cols["cid"], cols["cas"], cols["inchikey"], cols["heavy_atoms"]):
        out[f"cid:{cid}"] = out[f"cas:{cas}"] = out[f"inchikey:{key}"] = heavy
    return out


def named_heavy_atoms(kind: str, value) -> int:
    """Heavy atoms of a snapshot compound named by its CID, CAS number or InChIKey."""
    return _heavy_atoms_by_id()[f"{kind}:{value}"]


# A name that is a registry or vendor code, not a chemical name: a CAS number, a run of four or
# more digits (NSC 12345, CHEMBL1234, AC1L2XYZ0001), or an all-capitals code with digits.
_CODE_NAME = re.compile(r"^\d+-\d\d-\d$|\d{4,}|^[A-Z]{2,}[-_ ]?\d")
SCREEN_SKIPS: Counter = Counter()  # reason -> records screened out of the named pools


def name_screen(row: dict) -> str | None:
    """Why a snapshot record may not be asked about by name, or None when it may. The question
    gives only the name, so the record must be the neutral, closed-shell molecule a chemist
    reads from it: PubChem lists radicals under ordinary names ("propanenitrile" as C[CH]C#N)
    and ions whose charge the name does not carry."""
    name = (row.get("name") or "").strip()
    if not name:
        return "empty_name"
    if _CODE_NAME.search(name):
        return "code_name"
    if "." in row["smiles"]:
        return "not_one_molecule"
    return None if row["plain"] else "charged_or_radical"


def _constitution(smiles: str | None) -> str | None:
    """The structure as the grader compares it when stereo is not asked (structure_key)."""
    mol = Chem.MolFromSmiles(smiles) if smiles else None
    return structure_key(mol, "ignore") if mol is not None else None


@lru_cache(maxsize=65536)
def name_read_back(name: str, smiles: str) -> str | None:
    """Why a name may not stand for a record, read as a chemist reads it, or None when it may.
    OPSIN reads the name; it must give the record's constitution. The snapshot's lower-cased
    names can read as another compound ("s-propyl thioacetate" reads as an isopropyl
    thionoester), omit locants ("dichloronaphthalene"), or name a tautomer or a salt the record
    is not; a name OPSIN cannot read at all is one an examiner cannot check either."""
    read = opsin.shared().read(name)
    if read is None:
        return "name_unread_by_opsin"
    return None if _constitution(read) == _constitution(smiles) else "name_reads_as_another"


MAX_NAME_DRAWS = 200


def draw_named(rng, rows: list[dict], column: str = "name") -> dict:
    """A record from a named pool whose name in `column` reads back to it (name_read_back).
    Screening at the draw, not over the pool: one OPSIN lookup costs milliseconds, the pools
    hold up to 35k names, and a run draws a few hundred."""
    for _ in range(MAX_NAME_DRAWS):
        row = rows[rng.randrange(len(rows))]
        reason = name_read_back(row[column], row["smiles"])
        if reason is None:
            return row
        SCREEN_SKIPS[reason] += 1
    raise RuntimeError(f"no name in this pool read back to its record in {MAX_NAME_DRAWS} draws")


@lru_cache(maxsize=8)
def named_pool(min_atoms: int, max_atoms: int, need: str = "") -> list[dict]:
    """The snapshot pool, less the records name_screen rejects (counted in SCREEN_SKIPS)."""
    out = []
    for row in snap.pool(min_atoms, max_atoms, need):
        reason = name_screen(row)
        if reason:
            SCREEN_SKIPS[reason] += 1
        else:
            out.append(row)
    return out
