"""Chemistry generators (RDKit) over the embedded PubChem snapshot. Importing registers them."""

from generators.chemistry import molecules  # noqa: F401
