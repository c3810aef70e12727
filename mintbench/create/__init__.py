"""Create: plan shards, generate and prove each shard, assemble a set directory.

Imports the item core, generators and validators; nothing from difficulty, releases or runners.
`flows/create_set.py` runs the same steps as Prefect tasks.
"""

from mintbench.create.build import SetSpec, item_at, resolve_generators, run_local

__all__ = ["SetSpec", "item_at", "resolve_generators", "run_local"]
