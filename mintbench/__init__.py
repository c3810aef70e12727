"""mintbench: fresh, sealed, code-proven science exams for language models.

Stages, lowest first: `items` (the item core) -> `create` -> `difficulty` -> `releases` ->
`runners`; `cli` sits on top. A stage imports only the ones below it (tests/test_layout.py).
Cross-cutting helpers: `errors`, `faults`, `paths`, `prefect_env`.
"""

__version__ = "0.1.0"
