"""Math generators (SymPy). Importing this package registers them all."""

from generators.math import algebra, calculus, composed, discrete, design, discernment, knowledge, matrices, number_theory, reading, reasoning, sequences  # noqa: F401
