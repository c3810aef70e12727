"""Question generators, one package per domain; each registers itself on import."""
