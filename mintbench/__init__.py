"""mintbench: fresh, sealed, code-proven science exams for language models."""

__version__ = "0.1.0"
