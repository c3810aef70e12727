"""Biology generators (Biopython). Importing this package registers them all."""

from generators.biology import design, discernment, molecules, reading, records, sequences  # noqa: F401
