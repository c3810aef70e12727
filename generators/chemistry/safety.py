"""Discernment and safety (L4): which GHS flammable-liquid category a compound falls in, from
cross-checked flash and boiling points, and whether a written structure can exist at all."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from rdkit import Chem, RDLogger

from generators.chemistry._common import SIZE_PRESETS, MoleculeKnobs, draw, fmt, source_for
from mintbench.items.prompts import boolean_format
from mintbench.items.registry import Draft, Generator, Knobs, register
from mintbench.items.schema import Source

FLASH_SOURCE = Source(name="chemicals:IEC-60079-20-1+NFPA-497+DIPPR-Serat", version="1.3", licence="MIT")
AGREE_K = 3.0  # two tables must agree this closely for a value to be stated as fact
BOUNDARIES_C = (23.0, 60.0, 93.0)  # GHS flash-point limits between categories (and 35 °C boiling)


def ghs_flammable_category(flash_c: float, boil_c: float) -> int:
    """GHS (Rev. 9, 2.6) flammable liquids: 1-4, or 0 when not classified as one."""
    if flash_c < 23:
        return 1 if boil_c <= 35 else 2
    if flash_c <= 60:
        return 3
    return 4 if flash_c <= 93 else 0


def _agreeing(values: list[float]) -> float | None:
    """The mean of the closest two values, when they agree within AGREE_K; else None."""
    pairs = sorted((abs(a - b), (a + b) / 2) for i, a in enumerate(values) for b in values[i + 1:])
    return pairs[0][1] if pairs and pairs[0][0] <= AGREE_K else None


@lru_cache(maxsize=1)
def flash_pool() -> list[dict]:
    """Compounds whose flash point two tables agree on (IEC 60079-20-1, NFPA 497, DIPPR/Serat)
    and whose boiling point two measured tables agree on; names from `chemicals`' identifiers,
    never a code. Sorted by CAS number, so a seed draws the same compound."""
    from chemicals import identifiers, phase_change, safety

    safety._load_safety_data()
    tables = [safety.IEC_2010_data, safety.NFPA_2008_data, safety.DIPPR_SERAT_data]
    out = []
    for cas in sorted(set().union(*(t.index for t in tables))):
        flashes = [float(t.at[cas, "T_flash"]) for t in tables if cas in t.index and t.at[cas, "T_flash"] == t.at[cas, "T_flash"]]
        flash = _agreeing(flashes)
        if flash is None:
            continue
        measured = [m for m in phase_change.Tb_methods(cas) if m not in ("JOBACK", "WIKIDATA")]
        boil = _agreeing([phase_change.Tb(cas, method=m) for m in measured])
        try:
            name = identifiers.search_chemical(cas).common_name
        except Exception:  # noqa: BLE001 - a CAS number the identifier tables lack: skipped
            continue
        if boil is None or not name or sum(ch.isdigit() for ch in name) > 4:
            continue
        out.append({"cas": cas, "name": name, "flash_c": round(flash - 273.15), "boil_c": round(boil - 273.15)})
    return out


def margin(row: dict) -> float:
    """How far the flash point lies from the nearest category limit (°C)."""
    return min(abs(row["flash_c"] - b) for b in BOUNDARIES_C)


class FlashKnobs(Knobs):
    margin: Literal["wide", "any", "narrow"] = "any"  # distance of the flash point from a category limit


_MARGINS = {"wide": (10.0, 1e9), "any": (0.0, 1e9), "narrow": (0.0, 5.0)}


@register
class FlammabilityClass(Generator):
    id = "chemistry.flammability_class"
    version = "1"
    domain, topic, level = "chemistry", "safety", "L4"
    answer_type = "integer"
    Config = FlashKnobs
    presets = {"easy": {"margin": "wide"}, "medium": {}, "hard": {"margin": "narrow"}}
    source = FLASH_SOURCE
    _q = {
        "en": "{name} (CAS {cas}) has a closed-cup flash point of {flash} °C and a normal boiling point of {boil} °C. Under the GHS criteria for flammable liquids, which category (1, 2, 3 or 4) is it in? Answer 0 if it is not classified as a flammable liquid.",
        "zh": "{name}（CAS {cas}）的闭杯闪点为 {flash} °C，正常沸点为 {boil} °C。按 GHS 易燃液体分类标准，它属于第几类（1、2、3 或 4）？若不属于易燃液体，回答 0。",
    }

    @staticmethod
    def work(p: dict) -> float:
        # The nearer a limit, the more exactly the criteria must be known.
        return 10 / (1 + min(abs(p["flash_c"] - b) for b in BOUNDARIES_C))

    def draft(self, rng, cfg, lang, fmt_):
        lo, hi = _MARGINS[cfg.margin]
        rows = [r for r in flash_pool() if lo <= margin(r) < hi]
        row = rows[rng.randrange(len(rows))]
        return Draft(
            question=self._q[lang].format(name=row["name"], cas=row["cas"], flash=row["flash_c"], boil=row["boil_c"]),
            answer=str(ghs_flammable_category(row["flash_c"], row["boil_c"])),
            answer_type="integer",
            answer_format=fmt("integer", lang),
            params={"cas": row["cas"], "flash_c": row["flash_c"], "boil_c": row["boil_c"]},
            source=FLASH_SOURCE.model_copy(update={"record_id": row["cas"]}),
        )


def over_valent(rng, mol: Chem.Mol) -> str | None:
    """The molecule with one more carbon on an atom that has no hydrogen left to give up for it
    (a carbonyl carbon, a quaternary carbon, an ether oxygen): a structure that cannot exist."""
    full = [a.GetIdx() for a in mol.GetAtoms() if not a.GetIsAromatic() and a.GetTotalNumHs() == 0 and a.GetFormalCharge() == 0 and a.GetSymbol() in ("C", "O", "N")]
    if not full:
        return None
    rw = Chem.RWMol(mol)
    new = rw.AddAtom(Chem.Atom(6))
    rw.AddBond(full[rng.randrange(len(full))], new, Chem.BondType.SINGLE)
    out = rw.GetMol()
    out.UpdatePropertyCache(strict=False)
    # Rooted at a drawn atom, not doRandom: RDKit's own random state would make the item differ
    # from run to run.
    return Chem.MolToSmiles(out, rootedAtAtom=rng.randrange(out.GetNumAtoms()), canonical=False) if rng.random() < 0.5 else Chem.MolToSmiles(out)


@register
class ValenceCheck(Generator):
    id = "chemistry.valence_check"
    version = "1"
    domain, topic, level = "chemistry", "structure_validity", "L4"
    formats = ("true_false",)
    answer_type = "boolean"
    Config = MoleculeKnobs
    presets = SIZE_PRESETS
    _q = {
        "en": "True or false: the SMILES {s} describes a structure that can exist, every atom within its usual valence (charges as written; RDKit's default valence model).",
        "zh": "判断正误：SMILES {s} 描述的结构可以存在，即每个原子都符合其常规化合价（电荷按所写；采用 RDKit 默认化合价模型）。",
    }

    @staticmethod
    def work(p: dict) -> float:
        # Atoms whose valence must be checked (the string is read whether or not it parses).
        return sum(ch.isupper() or ch in "cnops" for ch in p["smiles"])

    def draft(self, rng, cfg, lang, fmt_):
        RDLogger.DisableLog("rdApp.*")
        valid = rng.random() < 0.5
        for _ in range(200):
            row, mol, shown = draw(rng, cfg)
            if valid:
                break
            bad = over_valent(rng, mol)
            if bad is not None and Chem.MolFromSmiles(bad) is None:
                shown = bad
                break
        else:
            raise ValueError("no over-valent variant drawn")
        return Draft(
            question=self._q[lang].format(s=shown),
            answer="true" if valid else "false",
            answer_type="boolean",
            answer_format=boolean_format(lang),
            params={"smiles": shown},
            boxed=False,
            source=source_for(row),
        )
