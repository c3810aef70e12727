"""The monthly refresh asks about its own month: live PubChem and NCBI records, fetched from
replay servers in the documented formats, make up the configured share of the chemistry and
biology items, dated inside the month before the release; the next month cites only its own
month; an unreachable source fails the run by name or is recorded as a fallback; a fetch killed
half-way resumes without refetching the pages it has."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import live_world
from mintbench.faults import ENV as KILL_ENV
from mintbench.releases.keys import load_keys
from mintbench.releases.release import decrypt_payload, verify

pytestmark = pytest.mark.prefect
CLI = [sys.executable, "-m", "mintbench.cli"]
ROOT = Path(__file__).resolve().parents[1]
WINDOWS = {"2026.11": ("2026-10-01", "2026-10-31"), "2026.12": ("2026-11-01", "2026-11-30")}


def _refresh(root: Path, url: str, keys_home: Path, month: str, sources: str, kill_at: str | None = None,
             flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    cfg = root / "mintbench.toml"
    cfg.write_text(f'[refresh]\nstore = "{root / "store"}"\nwork = "{root / "work"}"\n'
                   f'quotas = {{ chemistry = 10, biology = 10 }}\nfilter = false\nshard_size = 10\n' + sources)
    env = {**os.environ, "PREFECT_API_URL": url, "XDG_CONFIG_HOME": str(keys_home)}
    env.pop(KILL_ENV, None)
    if kill_at:
        env[KILL_ENV] = kill_at
    return subprocess.run([*CLI, "refresh", "--month", month, "--config", str(cfg), *flags], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def _release(root: Path, version: str) -> tuple[dict, list[dict], Path]:
    release = root / "store" / version
    assert verify(version, root / "store") == []
    manifest = json.loads((release / "manifest.json").read_text())
    return manifest, decrypt_payload(release, load_keys())["items"], release


def _live_items(items: list[dict]) -> list[dict]:
    return [i for i in items if i["source"]["name"] in ("pubchem_live", "ncbi_live")]


def _iso(version: str) -> str:
    from datetime import datetime

    try:
        return datetime.strptime(version, "%d-%b-%Y").date().isoformat()
    except ValueError:
        return version


def test_two_consecutive_months_each_cite_records_of_their_own_month(prefect_server, keys_home, tmp_path):
    server = live_world.serve()
    try:
        used = {}
        for month in ("2026-11", "2026-12"):
            out = _refresh(tmp_path, prefect_server[0], keys_home, month, live_world.sources_toml(server.base))
            assert out.returncode == 0, out.stderr[-3000:]
            version = month.replace("-", ".")
            manifest, items, release = _release(tmp_path, version)
            start, end = WINDOWS[version]
            live = manifest["live"]
            for domain in ("chemistry", "biology"):
                assert live["share"][domain] >= 0.3, (version, live)
                cited = [i for i in _live_items(items) if i["domain"] == domain]
                assert len(cited) >= 3 and all(start <= _iso(i["source"]["version"]) <= end for i in cited), (version, domain)
                assert all(i["source"]["record_id"] and i["source"]["retrieved_at"] for i in cited)
            for name in ("pubchem", "ncbi"):
                source = live["sources"][name]
                assert source["status"] == "ok" and source["window"] == [start, end]
                assert start <= source["records_used"][0] <= source["records_used"][1] <= end
            assert live["sources"]["ncbi"]["skipped"].get("outside_window") == (1 if version == "2026.11" else None)
            assert "ask about records first published in" in (release / "CARD.md").read_text()
            assert "live: pubchem ok" in (release / "NOTES.md").read_text()
            used[version] = {i["source"]["record_id"] for i in _live_items(items)}
        # No record asked about in November is the basis of a December item.
        assert used["2026.11"] and used["2026.12"] and not used["2026.11"] & used["2026.12"]
    finally:
        server.close()


@pytest.mark.parametrize("require_live", [True, False])
def test_a_source_answering_503_fails_by_name_or_is_recorded_as_a_fallback(prefect_server, keys_home, tmp_path, require_live):
    server = live_world.serve(failures=10**9)
    try:
        # The flag overrides the table, which says the opposite.
        out = _refresh(tmp_path, prefect_server[0], keys_home, "2026-11", live_world.sources_toml(server.base, require_live=not require_live),
                       flags=("--require-live",) if require_live else ("--allow-fallback",))
    finally:
        server.close()
    if require_live:
        assert out.returncode != 0 and "live source pubchem is unavailable" in out.stderr and "503" in out.stderr, out.stderr[-2000:]
        assert not (tmp_path / "store" / "2026.11").exists()
        return
    assert out.returncode == 0, out.stderr[-3000:]
    manifest, items, release = _release(tmp_path, "2026.11")
    assert not _live_items(items) and manifest["live"]["sources"]["pubchem"]["status"] == "unavailable"
    notes = (release / "NOTES.md").read_text()
    assert "live: pubchem unavailable" in notes and "0 items" in notes and "live: ncbi unavailable" in notes
    assert "(0 %) ask about records" in (release / "CARD.md").read_text()


def test_a_fetch_killed_after_a_page_resumes_without_refetching(prefect_server, keys_home, tmp_path):
    server = live_world.serve()
    try:
        killed = _refresh(tmp_path, prefect_server[0], keys_home, "2026-11", live_world.sources_toml(server.base), kill_at="refresh:fetched-page")
        assert killed.returncode != 0
        before = list(server.seen)
        # One search and one page (its dates and its properties): then the process died.
        assert [p for p, _ in before] == ["/pubchem/eutils/esearch.fcgi", "/pubchem/eutils/esummary.fcgi", before[2][0]]
        again = _refresh(tmp_path, prefect_server[0], keys_home, "2026-11", live_world.sources_toml(server.base))
        assert again.returncode == 0, again.stderr[-3000:]
    finally:
        server.close()
    paths = [p for p, _ in server.seen]
    # 12 compounds in pages of 4, 5 records in pages of 2: exactly what one uninterrupted fetch asks.
    assert paths.count("/pubchem/eutils/esearch.fcgi") == 1 and paths.count("/pubchem/eutils/esummary.fcgi") == 3
    assert paths.count("/ncbi/eutils/esearch.fcgi") == 1 and paths.count("/ncbi/eutils/efetch.fcgi") == 3
    assert len(paths) == 11
    manifest, items, _ = _release(tmp_path, "2026.11")
    assert manifest["live"]["share"]["chemistry"] >= 0.3 and len(_live_items(items)) >= 6


def test_a_bad_live_setting_names_the_key_and_the_allowed_values():
    from flows.monthly_refresh import RefreshConfig, with_live_overrides
    from mintbench.cli import live_sources
    from mintbench.errors import MintbenchError

    with pytest.raises(MintbenchError, match=r"share = 2.0: Input should be less than or equal to 1"):
        with_live_overrides(RefreshConfig(), {"share": 2.0})
    with pytest.raises(MintbenchError, match=r"bad --live source 'genbank'; allowed: pubchem, ncbi, none"):
        live_sources("pubchem,genbank")
    assert live_sources("none") == [] and with_live_overrides(RefreshConfig(), {"use": ["ncbi"]}).sources.use == ["ncbi"]
