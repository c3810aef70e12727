"""pubchem_live against a local server replaying E-utilities XML and PUG-REST JSON."""

import json
from datetime import date
from pathlib import Path

import pytest

from generators.sources.http import SourceUnavailable
from generators.sources.pubchem_live import PubchemClient, PubchemSettings, fetch_window
from replay import Replay as ReplayServer

FIXTURES = Path(__file__).parent / "fixtures" / "pubchem"


def _route(path):
    if path.endswith("esearch.fcgi"):
        return FIXTURES / "esearch.xml"
    if "/property/" in path and path.endswith("/JSON"):
        return FIXTURES / "properties.json"
    return None


def Replay(failures=0, status=503):
    server = ReplayServer(_route, failures, status)
    server.settings = PubchemSettings(pug_url=f"{server.base}/rest/pug", eutils_url=f"{server.base}/eutils", backoff_s=0.0, per_second=1000)
    return server


def test_window_search_and_properties_skip_bad_records(tmp_path):
    server = Replay()
    try:
        summary = fetch_window(date(2026, 10, 1), date(2026, 10, 31), tmp_path / "pc.jsonl", server.settings)
    finally:
        server.close()
    assert summary["cids"] == 3 and summary["records"] == 2 and summary["skipped"] == {"rdkit_unparseable": 1}
    search = server.seen[0][1]
    assert search["db"] == ["pccompound"] and "[CreateDate]" in search["term"][0] and "2026/10/01" in search["term"][0]
    assert server.seen[1][0] == "/rest/pug/compound/cid/171234501,171234502,171234503/property/" + \
        "SMILES,ConnectivitySMILES,MolecularFormula,MolecularWeight,InChIKey,IUPACName/JSON"
    rows = [json.loads(l) for l in (tmp_path / "pc.jsonl").read_text().splitlines()]
    assert [r["record_id"] for r in rows] == ["CID171234501", "CID171234502"]
    assert all(r["retrieved_at"].endswith("Z") for r in rows)


def test_server_busy_is_retried():
    server = Replay(failures=2, status=503)
    try:
        client = PubchemClient(server.settings, sleep=lambda s: None)
        assert len(client.created_between(date(2026, 10, 1), date(2026, 10, 31))) == 3
    finally:
        server.close()
    assert client.requests == 3


def test_timeouts_and_503_are_reported_not_silently_empty():
    server = Replay(failures=100, status=503)
    try:
        client = PubchemClient(PubchemSettings(**{**server.settings.__dict__, "max_retries": 2}), sleep=lambda s: None)
        with pytest.raises(SourceUnavailable, match="PubChem request failed after 3 attempt"):
            client.created_between(date(2026, 10, 1), date(2026, 10, 31))
    finally:
        server.close()


def test_items_from_live_compounds_carry_cid_and_retrieval_time(tmp_path):
    from mintbench.items.registry import build_item
    from validators.proofs import prove_item

    server = Replay()
    try:
        fetch_window(date(2026, 10, 1), date(2026, 10, 31), tmp_path / "pc.jsonl", server.settings)
    finally:
        server.close()
    knobs = {"snapshot": str(tmp_path / "pc.jsonl"), "min_atoms": 1, "max_atoms": 40}
    items = [build_item("chemistry.formula", 2, i, knobs=knobs, fmt="open") for i in range(6)]
    assert {i.source.name for i in items} == {"pubchem_live"}
    assert {i.source.record_id for i in items} <= {"CID171234501", "CID171234502"}
    assert all(i.source.retrieved_at for i in items)
    assert all(prove_item(i) is None for i in items)
