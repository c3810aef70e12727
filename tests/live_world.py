"""Two months of recorded-style PubChem and NCBI answers, served on loopback in the documented
formats (E-utilities XML, PUG-REST JSON, GenBank flat files): compounds created, and records
published, in October and November 2026, plus one September record that a search for October
returns anyway (it must be skipped as outside the window)."""

from __future__ import annotations

import io
import json
import random
import re

from Bio import SeqIO

from generators.biology.records import synthetic_record
from generators.sources import pubchem_snapshot as snap
from replay import Replay

MONTHS = {"10": "2026-10", "11": "2026-11", "09": "2026-09"}


def _compounds() -> dict[str, list[dict]]:
    rows = [r for r in snap.pool(8, 20) if r.get("iupac")][:24]
    out: dict[str, list[dict]] = {"10": [], "11": []}
    for k, row in enumerate(rows):
        month = "10" if k < 12 else "11"
        out[month].append({"CID": 171000001 + k, "SMILES": row["smiles"], "ConnectivitySMILES": row["smiles"],
                           "MolecularFormula": row.get("formula", ""), "MolecularWeight": str(row.get("mw", 0)),
                           "InChIKey": row["inchikey"], "IUPACName": row["iupac"], "created": f"2026/{month}/{3 + k % 12:02d} 00:00"})
    return out


def _records() -> dict[str, list[tuple[str, str]]]:
    rng = random.Random(7)
    out: dict[str, list[tuple[str, str]]] = {"10": [], "11": [], "09": []}
    for k, month in enumerate(["10"] * 4 + ["11"] * 4 + ["09"]):
        accession = f"PX9{k:05d}"
        rec = synthetic_record(rng, 5, f"{accession}.1")
        rec.annotations["date"] = f"{5 + k:02d}-{['SEP', 'OCT', 'NOV'][int(month) - 9]}-2026"
        rec.annotations["molecule_type"] = "DNA"
        rec.name = accession
        handle = io.StringIO()
        SeqIO.write(rec, handle, "genbank")
        out[month].append((str(3051300000 + k), handle.getvalue()))
    return out


COMPOUNDS = _compounds()
RECORDS = _records()


def _esearch(ids: list[str]) -> bytes:
    body = "".join(f"<Id>{i}</Id>\n" for i in ids)
    return (f'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
            f'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n<eSearchResult><Count>{len(ids)}</Count>'
            f"<RetMax>{len(ids)}</RetMax><RetStart>0</RetStart><IdList>\n{body}</IdList><TranslationSet/></eSearchResult>").encode()


def route(path: str, query: dict) -> bytes | None:
    if path == "/pubchem/eutils/esearch.fcgi":
        month = re.search(r'"2026/(\d\d)/01"\[CreateDate\]', query["term"][0]).group(1)
        return _esearch([str(c["CID"]) for c in COMPOUNDS.get(month, [])])
    if path == "/pubchem/eutils/esummary.fcgi":
        wanted = set(query["id"][0].split(","))
        docs = "".join(f'<DocSum><Id>{c["CID"]}</Id><Item Name="CreateDate" Type="Date">{c["created"]}</Item></DocSum>'
                       for cs in COMPOUNDS.values() for c in cs if str(c["CID"]) in wanted)
        return f'<?xml version="1.0" encoding="UTF-8" ?>\n<eSummaryResult>{docs}</eSummaryResult>'.encode()
    if path.startswith("/pubchem/rest/pug/compound/cid/"):
        wanted = set(path.split("/")[6].split(","))
        props = [{k: v for k, v in c.items() if k != "created"} for cs in COMPOUNDS.values() for c in cs if str(c["CID"]) in wanted]
        return json.dumps({"PropertyTable": {"Properties": props}}).encode()
    if path == "/ncbi/eutils/esearch.fcgi":
        month = query["mindate"][0].split("/")[1]
        ids = [i for i, _ in RECORDS.get(month, [])] + ([i for i, _ in RECORDS["09"]] if month == "10" else [])
        return _esearch(ids)
    if path == "/ncbi/eutils/efetch.fcgi":
        wanted = query["id"][0].split(",")
        texts = {i: t for rs in RECORDS.values() for i, t in rs}
        return "".join(texts[i] for i in wanted if i in texts).encode()
    return None


def serve(failures: int = 0) -> Replay:
    return Replay(route, failures=failures)


def sources_toml(base: str, *, require_live: bool = False, page_size: int = 4, share: float = 0.3) -> str:
    return f"""
[refresh.sources]
use = ["pubchem", "ncbi"]
share = {share}
require_live = {str(require_live).lower()}
[refresh.sources.pubchem]
pug_url = "{base}/pubchem/rest/pug"
eutils_url = "{base}/pubchem/eutils"
page_size = {page_size}
backoff_s = 0.01
max_retries = 1
per_second = 1000
[refresh.sources.ncbi]
term = "Escherichia coli[Organism]"
base_url = "{base}/ncbi/eutils"
page_size = 2
backoff_s = 0.01
max_retries = 1
"""
