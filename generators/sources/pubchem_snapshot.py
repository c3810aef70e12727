"""`pubchem_snapshot`: the PubChem identifier table (71k compounds) and the Yaws boiling-point
and OpenNotebook melting-point tables shipped in the `chemicals` package.

The TSV is parsed once into `<cache>/pubchem_snapshot-<version>-<schema>.parquet`, in the per-user cache
directory (`$MINTBENCH_CACHE_DIR`, else `$XDG_CACHE_HOME/mintbench`, else `~/.cache/mintbench`), so
every working directory shares it; later runs read the Parquet file (well under 2 s). Records RDKit cannot parse, or that lack fields, are skipped
and counted.
"""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from rdkit import Chem, RDLogger

from generators.sources import LoadStats, Record
from mintbench.paths import cache_dir

NAME = "pubchem_snapshot"
LICENCE = "PubChem data: public domain (NCBI); tables via the chemicals package (MIT)"
MAX_HEAVY_ATOMS = 60

_SCHEMA = pa.schema([
    ("cid", pa.int64()), ("cas", pa.string()), ("formula", pa.string()), ("mw", pa.float64()),
    ("smiles", pa.string()), ("inchikey", pa.string()), ("iupac", pa.string()), ("name", pa.string()),
    ("heavy_atoms", pa.int32()), ("tb", pa.float64()), ("tm", pa.float64()),
    # Neutral, closed-shell and no charge outside an N/O pair (nitro, N-oxide): what a plain
    # name describes. Radicals and ions are kept for structure questions, not for name ones.
    ("plain", pa.bool_()),
])
SCHEMA_VERSION = "s2"  # bump with _SCHEMA: the cache file name carries it


def _data_dir() -> Path:
    import chemicals

    return Path(chemicals.__file__).parent


@lru_cache(maxsize=1)
def version() -> str:
    from importlib.metadata import version as v

    return f"chemicals-{v('chemicals')}"


def _read_points(path: Path) -> dict[str, float]:
    with open(path, newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        next(reader)
        return {row[0]: float(row[1]) for row in reader if len(row) > 1 and row[1]}


def _plain(mol: Chem.Mol) -> bool:
    return (
        Chem.GetFormalCharge(mol) == 0
        and not any(a.GetNumRadicalElectrons() for a in mol.GetAtoms())
        and not any(a.GetFormalCharge() for a in mol.GetAtoms() if a.GetSymbol() not in ("N", "O"))
    )


def build_table() -> tuple[pa.Table, LoadStats]:
    """Parse the TSV tables, keeping records RDKit can read; count every skip."""
    RDLogger.DisableLog("rdApp.*")
    base = _data_dir()
    tb = _read_points(base / "Phase Change" / "Yaws Boiling Points.tsv")
    tm = _read_points(base / "Phase Change" / "OpenNotebook Melting Points.tsv")
    stats, rows = LoadStats(), []
    with open(base / "Identifiers" / "chemical identifiers pubchem large.tsv", newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            stats.read += 1
            if len(row) < 9 or not row[4] or not row[6]:
                stats.skip("missing_fields")
                continue
            mol = Chem.MolFromSmiles(row[4])
            if mol is None:
                stats.skip("rdkit_unparseable")
                continue
            heavy = mol.GetNumHeavyAtoms()
            if heavy > MAX_HEAVY_ATOMS:
                stats.skip("too_large")
                continue
            rows.append({
                "cid": int(row[0]), "cas": row[1], "formula": row[2], "mw": float(row[3] or 0), "smiles": row[4],
                "inchikey": row[6], "iupac": row[7], "name": row[8] or row[7], "heavy_atoms": heavy,
                "tb": tb.get(row[1]), "tm": tm.get(row[1]), "plain": _plain(mol),
            })
    meta = {b"mintbench.read": str(stats.read).encode(), **{f"mintbench.skipped.{k}".encode(): str(v).encode() for k, v in stats.skipped.items()}}
    return pa.Table.from_pylist(rows, schema=_SCHEMA).replace_schema_metadata(meta), stats


@lru_cache(maxsize=1)
def load() -> tuple[pa.Table, LoadStats]:
    """The snapshot table, from the Parquet cache when present (built on first use)."""
    path = cache_dir() / f"{NAME}-{version()}-{SCHEMA_VERSION}.parquet"
    if path.is_file():
        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        stats = LoadStats(read=int(meta.get(b"mintbench.read", b"0")))
        for key, value in meta.items():
            if key.startswith(b"mintbench.skipped."):
                stats.skipped[key.decode().split(".", 2)[2]] = int(value)
        return table, stats
    table, stats = build_table()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # one per process: concurrent first runs do not collide
    pq.write_table(table, tmp)
    tmp.replace(path)  # atomic: a reader sees the whole file or none
    return table, stats


@lru_cache(maxsize=8)
def pool(min_atoms: int, max_atoms: int, need: str = "") -> list[dict]:
    """Compounds within a heavy-atom window (and with a boiling/melting point when asked),
    ordered by CID so the same seed draws the same compound."""
    table, _ = load()
    # Salts and mixtures (several components) make ambiguous questions: single molecules only.
    rows = [
        r for r in table.to_pylist()
        if min_atoms <= r["heavy_atoms"] <= max_atoms and "." not in r["smiles"] and (not need or r[need] is not None)
    ]
    return sorted(rows, key=lambda r: r["cid"])


@lru_cache(maxsize=8)
def by_formula(min_atoms: int, max_atoms: int) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = {}
    for r in pool(min_atoms, max_atoms):
        index.setdefault(r["formula"], []).append(r)
    return index


def record(row: dict) -> Record:
    return Record(NAME, f"CID{row['cid']}", version(), row, LICENCE)
