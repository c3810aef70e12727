"""`pubchem_live`: PubChem compounds created in a date window, so a monthly set can be built
from compounds newer than a model's training cutoff.

The window search goes through E-utilities (`db=pccompound`, `[CreateDate]` range); the records
come from PUG-REST property tables (JSON). PubChem asks for at most 5 requests/s; 503
(server busy), 429 and timeouts are retried with backoff, then reported. Records RDKit cannot
parse are skipped and counted. Fetched compounds are written as a snapshot file in the same
columns as `pubchem_snapshot`, so item generation stays deterministic and offline.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from Bio import Entrez
from rdkit import Chem

from generators.sources import LoadStats, Record
from generators.sources.http import PoliteClient

NAME = "pubchem_live"
PUG_REST = "https://pubchem.ncbi.nlm.nih.gov/rest/pug"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
LICENCE = "PubChem data: public domain (NCBI)"
PROPERTIES = "SMILES,ConnectivitySMILES,MolecularFormula,MolecularWeight,InChIKey,IUPACName"


@dataclass
class PubchemSettings:
    pug_url: str = PUG_REST
    eutils_url: str = EUTILS
    max_retries: int = 4
    timeout_s: float = 30.0
    backoff_s: float = 1.0
    per_second: float = 5.0


class PubchemClient:
    def __init__(self, settings: PubchemSettings | None = None, sleep: Callable[[float], None] = time.sleep):
        self.settings = s = settings or PubchemSettings()
        self.polite = PoliteClient("PubChem", 1 / s.per_second, s.max_retries, s.backoff_s, s.timeout_s, sleep=sleep)

    @property
    def requests(self) -> int:
        return self.polite.requests

    def created_between(self, start: date, end: date, retmax: int = 50) -> list[int]:
        term = f'"{start:%Y/%m/%d}"[CreateDate] : "{end:%Y/%m/%d}"[CreateDate]'
        raw = self.polite.get(f"{self.settings.eutils_url.rstrip('/')}/esearch.fcgi",
                              {"db": "pccompound", "term": term, "retmax": retmax, "tool": "mintbench"})
        return [int(i) for i in Entrez.read(io.BytesIO(raw))["IdList"]]

    def properties(self, cids: list[int]) -> tuple[list[Record], LoadStats]:
        stats = LoadStats()
        if not cids:
            return [], stats
        url = f"{self.settings.pug_url.rstrip('/')}/compound/cid/{','.join(map(str, cids))}/property/{PROPERTIES}/JSON"
        table = json.loads(self.polite.get(url))["PropertyTable"]["Properties"]
        retrieved = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        out = []
        for row in table:
            stats.read += 1
            smiles = row.get("SMILES") or row.get("IsomericSMILES") or row.get("CanonicalSMILES")
            if not smiles or not row.get("InChIKey") or "CID" not in row:
                stats.skip("missing_fields")
                continue
            mol = Chem.MolFromSmiles(smiles)
            if mol is None:
                stats.skip("rdkit_unparseable")
                continue
            out.append(Record(NAME, f"CID{row['CID']}", retrieved[:10], {
                "cid": int(row["CID"]), "smiles": smiles, "formula": row.get("MolecularFormula", ""),
                "mw": float(row.get("MolecularWeight") or 0), "inchikey": row["InChIKey"],
                "iupac": row.get("IUPACName", ""), "heavy_atoms": mol.GetNumHeavyAtoms(),
            }, LICENCE, retrieved))
        return out, stats

    def close(self) -> None:
        self.polite.close()


def fetch_window(start: date, end: date, out: Path, settings: PubchemSettings | None = None, retmax: int = 50) -> dict:
    client = PubchemClient(settings)
    try:
        cids = client.created_between(start, end, retmax)
        records, stats = client.properties(cids)
    finally:
        client.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text("".join(json.dumps({**r.data, "record_id": r.record_id, "retrieved_at": r.retrieved_at}) + "\n" for r in records))
    tmp.replace(out)
    return {"window": [start.isoformat(), end.isoformat()], "cids": len(cids), "records": len(records), "skipped": stats.skipped, "requests": client.requests}


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[dict, ...]:
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return tuple({**r, "source": NAME, "name": r.get("iupac") or f"CID {r['cid']}"} for r in sorted(rows, key=lambda r: r["cid"]))


def load_snapshot(path: str | Path) -> tuple[dict, ...]:
    """Rows of a fetched snapshot, shaped like `pubchem_snapshot` rows, ordered by CID."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"PubChem snapshot {str(path)!r} does not exist; run `mintbench sources fetch-pubchem` first")
    return _load(str(path))
