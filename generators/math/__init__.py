"""Math generators (SymPy). Importing this package registers them all."""

from generators.math import algebra, calculus, discrete, design, discernment, knowledge, matrices, number_theory, reading, reasoning, sequences  # noqa: F401
