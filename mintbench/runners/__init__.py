"""Runners: grading a release as its owner, exports for other runners (Inspect,
lm-evaluation-harness, JSONL, Hugging Face) and the closed grading service.

The top stage: imports releases, the item core and validators; nothing imports it but the CLI.
"""

from mintbench.runners.grading import grade_items, summarize

__all__ = ["grade_items", "summarize"]
