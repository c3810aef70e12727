"""The outcome of grading one response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["correct", "wrong", "unparsed"]
STATUSES: tuple[Status, ...] = ("correct", "wrong", "unparsed")


@dataclass(frozen=True)
class Grade:
    status: Status
    # Short and answer-free: reasons reach logs and service responses.
    reason: str


def correct(reason: str = "matches") -> Grade:
    return Grade("correct", reason)


def wrong(reason: str) -> Grade:
    return Grade("wrong", reason)


def unparsed(reason: str) -> Grade:
    return Grade("unparsed", reason)


class Unparsable(ValueError):
    """Raised by parsers when a response cannot be read as the expected type."""
