"""ncbi_live against a local server replaying E-utilities responses (no internet)."""

from datetime import date
from pathlib import Path

import pytest

from generators.sources.ncbi_live import NcbiClient, NcbiSettings, SourceUnavailable, fetch_window, load_snapshot
from mintbench.items.registry import build_item
from validators.proofs import prove_item

from replay import Replay as ReplayServer

FIXTURES = Path(__file__).parent / "fixtures" / "ncbi"


def _route(path):
    return {"/eutils/esearch.fcgi": FIXTURES / "esearch.xml", "/eutils/efetch.fcgi": FIXTURES / "efetch.gb"}.get(path)


def Replay(failures=0, status=503):
    server = ReplayServer(_route, failures, status)
    server.base_url = f"{server.base}/eutils"
    return server


def _settings(server, **kw):
    return NcbiSettings(base_url=server.base_url, email="owner@example.org", backoff_s=0.01, **kw)


def test_date_window_search_fetches_the_recorded_records(tmp_path):
    server = Replay()
    try:
        summary = fetch_window('"Escherichia coli"[Organism]', date(2026, 10, 1), date(2026, 10, 31), tmp_path / "snap.jsonl", _settings(server))
    finally:
        server.close()
    assert summary["ids"] == 2 and summary["records"] == 2
    search = server.seen[0][1]
    assert search["datetype"] == ["pdat"] and search["mindate"] == ["2026/10/01"] and search["maxdate"] == ["2026/10/31"]
    assert search["email"] == ["owner@example.org"] and search["tool"] == ["mintbench"]
    assert server.seen[1][1]["id"] == ["3051201001,3051201002"] and server.seen[1][1]["rettype"] == ["gb"]
    records = load_snapshot(tmp_path / "snap.jsonl")
    assert [r.record_id for r in records] == ["PX512001.1", "PX512002.1"]
    assert all(r.retrieved_at.endswith("Z") for r in records)


def test_items_from_live_records_carry_accession_version_and_retrieval_time(tmp_path):
    server = Replay()
    try:
        fetch_window("x", date(2026, 10, 1), date(2026, 10, 31), tmp_path / "snap.jsonl", _settings(server))
    finally:
        server.close()
    knobs = {"snapshot": str(tmp_path / "snap.jsonl")}
    items = [build_item("biology.genbank_facts", 4, i, knobs=knobs) for i in range(8)]
    assert {i.source.name for i in items} == {"ncbi_live"}
    assert {i.source.record_id for i in items} <= {"PX512001.1", "PX512002.1"}
    assert all(i.source.retrieved_at and i.source.version.endswith("OCT-2026") for i in items)
    assert all(prove_item(i) is None for i in items)


def test_503_is_retried_then_succeeds(tmp_path):
    server = Replay(failures=2, status=503)
    try:
        client = NcbiClient(_settings(server), sleep=lambda s: None)
        ids = client.search("x", date(2026, 10, 1), date(2026, 10, 31))
    finally:
        server.close()
    assert ids == ["3051201001", "3051201002"] and client.requests == 3


@pytest.mark.parametrize("status", [429, 503])
def test_a_source_that_stays_down_is_reported_never_silently_empty(tmp_path, status):
    server = Replay(failures=100, status=status)
    try:
        client = NcbiClient(_settings(server, max_retries=2), sleep=lambda s: None)
        with pytest.raises(SourceUnavailable, match=f"HTTP {status}"):
            client.search("x", date(2026, 10, 1), date(2026, 10, 31))
    finally:
        server.close()
    assert client.requests == 3


def test_unreachable_host_is_reported():
    client = NcbiClient(NcbiSettings(base_url="http://127.0.0.1:9/eutils", max_retries=1, backoff_s=0), sleep=lambda s: None)
    with pytest.raises(SourceUnavailable, match="ConnectError"):
        client.search("x", date(2026, 1, 1), date(2026, 1, 31))


def test_rate_limit_spaces_requests():
    from generators.sources.ncbi_live import RateLimiter

    now = [0.0]
    slept = []

    def sleep(s):
        slept.append(s)
        now[0] += s

    limiter = RateLimiter(1 / 3, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        limiter.wait()
    assert now[0] == pytest.approx(1.0)  # four requests take a second at 3 per second
    assert NcbiSettings(api_key="k").min_interval == pytest.approx(0.1)
