"""Math generators (SymPy). Importing this package registers them all."""

from generators.math import algebra, calculus, discrete, matrices, number_theory, reasoning, sequences  # noqa: F401
