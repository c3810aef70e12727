"""`ncbi_live`: GenBank records published in a date window, from NCBI E-utilities.

esearch (publication-date window) then efetch (GenBank flat files); responses are parsed
with Biopython (`Bio.Entrez.read` for the XML, `Bio.SeqIO` for GenBank). NCBI allows 3
requests/s without an API key and 10 with one; 429/5xx/timeouts are retried with backoff
and then reported as `SourceUnavailable`, never as an empty result. Fetched records are
written to a snapshot file so item generation stays deterministic and offline.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from Bio import Entrez, SeqIO

from generators.sources import LoadStats, Record
from generators.sources.http import PoliteClient, RateLimiter, SourceUnavailable  # noqa: F401 (re-exported)

NAME = "ncbi_live"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
LICENCE = "NCBI GenBank: no restrictions on use (see NCBI policies)"
@dataclass
class NcbiSettings:
    base_url: str = EUTILS
    email: str | None = None
    api_key: str | None = None
    tool: str = "mintbench"
    max_retries: int = 4
    timeout_s: float = 30.0
    backoff_s: float = 1.0

    @property
    def min_interval(self) -> float:
        return 1 / 10 if self.api_key else 1 / 3


class NcbiClient:
    def __init__(self, settings: NcbiSettings | None = None, sleep: Callable[[float], None] = time.sleep):
        self.settings = s = settings or NcbiSettings()
        self.polite = PoliteClient("NCBI E-utilities", s.min_interval, s.max_retries, s.backoff_s, s.timeout_s, sleep=sleep)

    @property
    def requests(self) -> int:
        return self.polite.requests

    def _get(self, endpoint: str, params: dict) -> bytes:
        s = self.settings
        params = {**params, "tool": s.tool, **({"email": s.email} if s.email else {}), **({"api_key": s.api_key} if s.api_key else {})}
        return self.polite.get(f"{s.base_url.rstrip('/')}/{endpoint}", params)

    def search(self, term: str, start: date, end: date, db: str = "nuccore", retmax: int = 20) -> list[str]:
        raw = self._get("esearch.fcgi", {
            "db": db, "term": term, "datetype": "pdat", "mindate": start.strftime("%Y/%m/%d"),
            "maxdate": end.strftime("%Y/%m/%d"), "retmax": retmax, "sort": "relevance",
        })
        return list(Entrez.read(io.BytesIO(raw))["IdList"])

    def fetch(self, ids: list[str], db: str = "nuccore") -> tuple[list[Record], LoadStats]:
        stats = LoadStats()
        if not ids:
            return [], stats
        text = self._get("efetch.fcgi", {"db": db, "id": ",".join(ids), "rettype": "gb", "retmode": "text"}).decode()
        retrieved = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        records = []
        for chunk in (c.strip() + "\n//\n" for c in text.split("\n//") if c.strip()):
            stats.read += 1
            try:
                rec = SeqIO.read(io.StringIO(chunk), "genbank")
            except ValueError:
                stats.skip("unparseable_genbank")
                continue
            if not any(f.type == "CDS" for f in rec.features):
                stats.skip("no_cds")
                continue
            records.append(Record(NAME, rec.id, rec.annotations.get("date", "unknown"), {"genbank": chunk}, LICENCE, retrieved))
        return records, stats

    def close(self) -> None:
        self.polite.close()


def fetch_window(term: str, start: date, end: date, out: Path, settings: NcbiSettings | None = None, retmax: int = 20) -> dict:
    """Search, fetch and write a snapshot (JSON lines); returns counts for the manifest."""
    client = NcbiClient(settings)
    try:
        ids = client.search(term, start, end, retmax=retmax)
        records, stats = client.fetch(ids)
    finally:
        client.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with open(tmp, "w") as fh:
        for r in records:
            fh.write(json.dumps({"record_id": r.record_id, "version": r.version, "retrieved_at": r.retrieved_at, "licence": r.licence, **r.data}) + "\n")
    tmp.replace(out)
    return {"term": term, "window": [start.isoformat(), end.isoformat()], "ids": len(ids), "records": len(records), "skipped": stats.skipped, "requests": client.requests}


def load_snapshot(path: str | Path) -> list[Record]:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"NCBI snapshot {str(path)!r} does not exist; run `mintbench sources fetch-ncbi` first")
    out = []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        out.append(Record(NAME, row["record_id"], row["version"], {"genbank": row["genbank"]}, row["licence"], row["retrieved_at"]))
    return out
