"""Difficulty: reference models (config, OpenAI-compatible client, response cache, embedded
and scripted servers), sequential sampling, labels and the report.

Imports the item core and validators (the one grader per answer type); nothing from releases,
runners or flows.
"""

from mintbench.difficulty.config import FilterSettings, Ladder, ModelSpec, load_ladder
from mintbench.difficulty.filtering import run_filter

__all__ = ["FilterSettings", "Ladder", "ModelSpec", "load_ladder", "run_filter"]
