"""Chemistry generators (RDKit) over the embedded PubChem snapshot. Importing registers them."""

from generators.chemistry import design, molecules, safety  # noqa: F401
