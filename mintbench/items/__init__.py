"""The item core: the Item schema, the generator registry, per-item random streams, prompt
assembly and set directories on disk.

May import only `mintbench.errors` and third-party libraries: every other stage builds on it,
and it knows nothing of difficulty, releases, runners or flows.
"""

from mintbench.items.registry import Generator, Knobs, build_item, get, register
from mintbench.items.schema import Item, Source, Tolerance

__all__ = ["Generator", "Item", "Knobs", "Source", "Tolerance", "build_item", "get", "register"]
