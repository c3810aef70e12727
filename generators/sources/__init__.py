"""Knowledge sources behind one small interface: each yields records with provenance.

A record carries its source's name, the record id within it, the source version or date,
when it was retrieved and under which licence, so every item can say where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Protocol

from mintbench.items.schema import Source


@dataclass(frozen=True)
class Record:
    source: str
    record_id: str
    version: str
    data: dict[str, Any]
    licence: str | None = None
    retrieved_at: str | None = None

    def provenance(self) -> Source:
        return Source(name=self.source, record_id=self.record_id, version=self.version, retrieved_at=self.retrieved_at, licence=self.licence)


def genbank_date(text: str | None) -> str | None:
    """A GenBank LOCUS date ('01-OCT-2026') as ISO ('2026-10-01'); None if it is not one."""
    from datetime import datetime

    try:
        return datetime.strptime(text, "%d-%b-%Y").date().isoformat()
    except (TypeError, ValueError):
        return None


@dataclass
class LoadStats:
    """Records read and skipped, by reason: a bad record is skipped and counted, never fatal."""

    read: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def load_stats(name: str) -> dict | None:
    """Read/skipped counts of an embedded source, for the set manifest."""
    if name == "biopython_data":
        from generators.sources.biopython_data import enzymes

        stats = enzymes()[1]
        return {"read": stats.read, "skipped": dict(stats.skipped)}
    if name == "pubchem_snapshot":
        from generators.sources.pubchem_snapshot import load

        stats = load()[1]
        return {"read": stats.read, "skipped": dict(stats.skipped)}
    return None


class KnowledgeSource(Protocol):
    name: str

    def records(self) -> Iterator[Record]: ...
