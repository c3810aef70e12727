"""One month of live knowledge for the refresh: PubChem compounds created, and GenBank records
published, inside a window, fetched once into the month's private work directory.

The fetch is resumable page by page: the search result (`ids.json`) and every page of records
(`page-NNNN.jsonl`) are written atomically, so a fetch killed half-way fetches, when run again,
only the pages it lacks; a finished fetch (`summary.json`) is reused as it is. Records dated
outside the window are skipped and counted: windows of different months do not overlap, so a
record asked about one month is never the basis of a later month's item.
"""

from __future__ import annotations

import calendar
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from generators.sources import LoadStats, genbank_date
from generators.sources import ncbi_live, pubchem_live
from generators.sources.http import SourceUnavailable
from mintbench.faults import checkpoint
from mintbench.items.setdir import private_dir, write_private

# The domain each live source feeds, and the generators that can draw on its snapshot.
DOMAIN = {"pubchem": "chemistry", "ncbi": "biology"}


class PubchemSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pug_url: str = pubchem_live.PUG_REST
    eutils_url: str = pubchem_live.EUTILS
    retmax: int = Field(default=200, ge=1)  # compounds searched in the window
    page_size: int = Field(default=50, ge=1, le=200)
    min_records: int = Field(default=5, ge=1)  # fewer usable records than this: the source is unusable
    per_second: float = Field(default=5.0, gt=0)
    max_retries: int = Field(default=4, ge=0)
    backoff_s: float = Field(default=1.0, ge=0)


class NcbiSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str = '"Escherichia coli"[Organism] AND biomol_genomic[PROP] AND 1000:20000[SLEN]'
    base_url: str = ncbi_live.EUTILS
    email: str | None = None
    api_key: str | None = None
    retmax: int = Field(default=60, ge=1)
    page_size: int = Field(default=20, ge=1, le=200)
    min_records: int = Field(default=2, ge=1)
    max_retries: int = Field(default=4, ge=0)
    backoff_s: float = Field(default=1.0, ge=0)


def previous_month(version: str) -> tuple[date, date]:
    """The calendar month before release YYYY.MM: the default knowledge window."""
    year, month = (int(p) for p in version.split("."))
    year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _write_json(path: Path, data) -> None:
    write_private(path, json.dumps(data, sort_keys=True).encode())


def _pages(ids: list, size: int) -> list[list]:
    return [ids[k:k + size] for k in range(0, len(ids), size)]


def _pubchem_created(raw: bytes) -> dict[int, str]:
    """CID -> creation date (ISO) from an E-utilities esummary of db=pccompound."""
    out = {}
    for doc in ET.parse(io.BytesIO(raw)).getroot().iter("DocSum"):
        cid = doc.findtext("Id")
        created = next((i.text for i in doc.iter("Item") if i.get("Name") == "CreateDate"), None)
        if cid and created:
            out[int(cid)] = created.split()[0].replace("/", "-")[:10]
    return out


def _fetch_pages(folder: Path, search, fetch_page, page_size: int) -> tuple[list[dict], dict]:
    """Search once, then fetch each missing page; returns all rows and the skip counts."""
    ids_file = folder / "ids.json"
    if ids_file.is_file():
        ids = json.loads(ids_file.read_text())
    else:
        ids = search()
        _write_json(ids_file, ids)
    rows, skipped = [], {}
    for k, page in enumerate(_pages(ids, page_size)):
        path = folder / f"page-{k:04d}.jsonl"
        if not path.is_file():
            page_rows, stats = fetch_page(page)
            write_private(path, "".join(json.dumps({"row": r}) + "\n" for r in page_rows).encode()
                          + json.dumps({"skipped": stats.skipped}).encode() + b"\n")
            checkpoint("refresh:fetched-page")
        lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        rows += [line["row"] for line in lines if "row" in line]
        for line in lines:
            for reason, n in line.get("skipped", {}).items():
                skipped[reason] = skipped.get(reason, 0) + n
    return rows, {"ids": len(ids), "skipped": skipped}


def _in_window(rows: list[dict], start: date, end: date, skipped: dict) -> list[dict]:
    kept = []
    for row in rows:
        if row.get("date") and start.isoformat() <= row["date"] <= end.isoformat():
            kept.append(row)
        else:
            skipped["outside_window"] = skipped.get("outside_window", 0) + 1
    return kept


def _month(folder: Path, client, search, fetch_page, page_size: int, start: date, end: date, order: str) -> tuple[Path, dict]:
    """Every page of one source's search (the client closed after), the records dated inside the
    window, written as the month's snapshot ordered by `order`; returns its path and the counts."""
    try:
        rows, summary = _fetch_pages(folder, search, fetch_page, page_size)
    finally:
        client.close()
    rows = _in_window(rows, start, end, summary["skipped"])
    snapshot = folder / "snapshot.jsonl"
    write_private(snapshot, "".join(json.dumps(r, sort_keys=True) + "\n" for r in sorted(rows, key=lambda r: r[order])).encode())
    return snapshot, {**summary, "records": len(rows)}


def fetch_pubchem(cfg: PubchemSource, start: date, end: date, folder: Path) -> tuple[Path, dict]:
    client = pubchem_live.PubchemClient(pubchem_live.PubchemSettings(
        pug_url=cfg.pug_url, eutils_url=cfg.eutils_url, max_retries=cfg.max_retries, backoff_s=cfg.backoff_s, per_second=cfg.per_second))

    def page(cids: list[int]) -> tuple[list[dict], LoadStats]:
        created = _pubchem_created(client.polite.get(f"{cfg.eutils_url.rstrip('/')}/esummary.fcgi",
                                                     {"db": "pccompound", "id": ",".join(map(str, cids)), "tool": "mintbench"}))
        records, stats = client.properties(cids)
        return [{**r.data, "record_id": r.record_id, "retrieved_at": r.retrieved_at, "date": created.get(r.data["cid"])} for r in records], stats

    return _month(folder, client, lambda: client.created_between(start, end, cfg.retmax), page, cfg.page_size, start, end, "cid")


def fetch_ncbi(cfg: NcbiSource, start: date, end: date, folder: Path) -> tuple[Path, dict]:
    client = ncbi_live.NcbiClient(ncbi_live.NcbiSettings(
        base_url=cfg.base_url, email=cfg.email, api_key=cfg.api_key, max_retries=cfg.max_retries, backoff_s=cfg.backoff_s))

    def page(ids: list[str]) -> tuple[list[dict], LoadStats]:
        records, stats = client.fetch(ids)
        return [{"record_id": r.record_id, "version": r.version, "retrieved_at": r.retrieved_at, "licence": r.licence,
                 "date": genbank_date(r.version), **r.data} for r in records], stats

    return _month(folder, client, lambda: client.search(cfg.term, start, end, retmax=cfg.retmax), page, cfg.page_size, start, end, "record_id")


FETCHERS = {"pubchem": fetch_pubchem, "ncbi": fetch_ncbi}
API = {"pubchem": "PubChem PUG-REST + E-utilities (pccompound)", "ncbi": "NCBI E-utilities (nuccore, GenBank)"}


def fetch_source(name: str, cfg, start: date, end: date, root: Path) -> dict:
    """Fetch (or reuse) one source's month; returns paths and counts only, never record content.
    An unreachable source gives status 'unavailable' with the reason, not an exception."""
    folder = root / name
    done = folder / "summary.json"
    if done.is_file():
        return json.loads(done.read_text())
    private_dir(folder)
    base = {"source": name, "domain": DOMAIN[name], "window": [start.isoformat(), end.isoformat()], "api": API[name]}
    try:
        snapshot, counts = FETCHERS[name](cfg, start, end, folder)
    except SourceUnavailable as exc:
        # Not cached: the next run tries again.
        return {**base, "status": "unavailable", "reason": str(exc).split(" (http")[0], "records": 0}
    status = "ok" if counts["records"] >= cfg.min_records else "too_few"
    summary = {**base, **counts, "status": status, "snapshot": str(snapshot),
               "reason": None if status == "ok" else f"{counts['records']} usable record(s), fewer than min_records = {cfg.min_records}"}
    _write_json(done, summary)
    return summary


def live_generators(domain: str, snapshot: str, difficulty: str = "medium") -> list[str]:
    """The generators of `domain` whose items draw on a live snapshot: those with a `snapshot`
    knob that, given this one, cite a live record (a thin snapshot may suit none of some)."""
    from mintbench.items.registry import all_generators, build_item

    out = []
    for gen in all_generators():
        if gen.domain != domain or "snapshot" not in gen.Config.model_fields:
            continue
        try:
            item = build_item(gen.id, 0, 0, difficulty=difficulty, knobs={"snapshot": snapshot})
        except Exception:  # no record of the size this preset asks for
            continue
        if item.source.name in ("pubchem_live", "ncbi_live"):
            out.append(gen.id)
    return out
