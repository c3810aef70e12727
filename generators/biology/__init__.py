"""Biology generators (Biopython). Importing this package registers them all."""

from generators.biology import molecules, records, sequences  # noqa: F401
