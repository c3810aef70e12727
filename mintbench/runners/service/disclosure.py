"""What a submission's reply may tell its sender: the grading service's disclosure rules.

A client that may submit crafted predictions learns from each reply; exact scores, breakdown
cells and replies to near-identical submissions let it single out items and read the key one
item at a time (15 of 15 verdicts over 5 submissions through ~100-item domain cells). So the
service combines two known mechanisms:

- **Kaggle's public/private split.** During the embargo the service scores only a secret, random
  public part of each release (`public_share`, default half; the split is keyed by a secret kept
  in the owner's ledger). The rest, the private part, never moves a reply: what a token learns
  by probing is about items it cannot tell apart from the others, and the results board ranks
  every model of the release on the private part alone.
- **The Ladder (Blum & Hardt, 2015)** on the public part: a released score is rounded down to a
  grid of `step` and changes only when a submission beats the token's best by at least `step`;
  otherwise the reply repeats the last released figures.
- **No breakdowns during the embargo.** Cells by domain, level or label are released only with
  the answers, at reveal (the results board's owner view); no cell is large enough while one
  item can still move a rounded figure at its edge.
- **Degenerate submissions release nothing new**: one response repeated over most of the
  submission, or mostly responses that are unparsed, refused or hedged (the shape of filler
  around a few probes); the reply repeats the token's last released figures.

The bound: a reply is either the token's last figures or a new grid value above them, so one
submission tells at most log2(1 + 1/step) bits (6.7 bits at step 0.01), and over a token's whole
quota at most 1/step replies carry new values; every bit is about the public part. A probe on a
private item changes no reply at all (tests/test_grading_service.py plays both campaigns).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from mintbench.results.stats import on_grid
from validators.grade import HEDGE_REASONS
from validators.result import Grade


@dataclass(frozen=True)
class Disclosure:
    step: float = 0.01
    min_cell: int = 50  # the results board's smallest public cell for runs the owner recorded
    max_same_share: float = 0.5  # above this share of identical responses a submission is degenerate
    max_unparsed_share: float = 0.5  # above this share of unparsed, refused or hedged responses, too
    public_share: float = 0.5  # the part of a release the service scores during its embargo

    def bits_per_reply(self) -> float:
        """The most a reply can tell: the last figures again, or one of the grid values."""
        return math.log2(1 + 1 / self.step)




def public_part(item_ids: Iterable[str], salt: str, share: float) -> frozenset[str]:
    """The items the service scores during the embargo: each in with probability `share`, by a
    keyed hash of its id, so nobody without the ledger's salt can tell which."""
    cut = int(share * 2**64)
    return frozenset(i for i in item_ids if int.from_bytes(hmac.new(salt.encode(), i.encode(), hashlib.sha256).digest()[:8], "big") < cut)


def degenerate(predictions: dict[str, str], grades: list[Grade], policy: Disclosure) -> str | None:
    """Why a submission is degenerate, or None. Responses are compared after folding case and
    whitespace, so filler varied only in spacing counts as one response."""
    if predictions:
        folded = Counter(" ".join(r.lower().split()) for r in predictions.values())
        if folded.most_common(1)[0][1] > policy.max_same_share * len(predictions):
            return "one response is repeated across most of the submission"
    # A hedge is graded wrong, but it is no answer at all: the response offered several.
    unusable = sum(g.status == "unparsed" or (g.status == "wrong" and g.reason in HEDGE_REASONS) for g in grades)
    if grades and unusable > policy.max_unparsed_share * len(grades):
        return "most responses are unparsed, refused or hedged"
    return None


def public_report(public_accuracy: float, n_public: int, n_answered: int, policy: Disclosure) -> dict:
    """The figures of one graded submission that may be released during the embargo."""
    return {
        "accuracy": on_grid(public_accuracy, policy.step),
        "scored_items": n_public,
        "answered": n_answered,
        "scored_on": f"a secret public part of the release ({n_public} items); breakdowns and every item's grade come at reveal",
    }
