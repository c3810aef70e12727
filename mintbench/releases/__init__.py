"""Releases: keys, freshness against earlier releases, stratified selection, sealing,
signing, verifying, revealing and reproducing, on any fsspec store.

Imports the item core, create (to reproduce) and validators (to re-prove); nothing from
difficulty's servers, runners or flows.
"""

from mintbench.releases.keys import Keys, init_keys, load_keys
from mintbench.releases.release import publish, reproduce, reveal, sealed_items, verify
from mintbench.releases.store import Store, as_store

__all__ = ["Keys", "Store", "as_store", "init_keys", "load_keys", "publish", "reproduce", "reveal", "sealed_items", "verify"]
