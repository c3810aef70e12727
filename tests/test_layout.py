"""The package layout shows the pipeline: each stage imports only the stages below it.

An examiner's objection answered here: "the item core is said to be independent of the rest,
but nothing stops a generator importing the release code". Every import statement, including
ones inside functions, is read from the source and checked against the stage order.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Stage -> the imports it must never make (a prefix match on the dotted module name).
FORBIDDEN = {
    "mintbench/items": ("mintbench.create", "mintbench.difficulty", "mintbench.releases", "mintbench.runners", "mintbench.cli", "flows"),
    "validators": ("mintbench.create", "mintbench.difficulty", "mintbench.releases", "mintbench.runners", "mintbench.cli", "flows"),
    "generators": ("mintbench.create", "mintbench.difficulty", "mintbench.releases", "mintbench.runners", "mintbench.cli", "flows"),
    "mintbench/create": ("mintbench.difficulty", "mintbench.releases", "mintbench.runners", "mintbench.cli", "flows"),
    "mintbench/difficulty": ("mintbench.releases", "mintbench.runners", "mintbench.cli", "flows"),
    "mintbench/releases": ("mintbench.results", "mintbench.runners", "mintbench.cli", "flows"),
    "mintbench/results": ("mintbench.runners", "mintbench.cli", "flows"),
    "mintbench/runners": ("mintbench.cli", "flows"),
    "flows": ("mintbench.cli",),
}


def imports_of(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return found


def test_lower_stages_never_import_higher_ones():
    bad = []
    for stage, forbidden in FORBIDDEN.items():
        files = sorted((ROOT / stage).rglob("*.py"))
        assert files, stage
        for path in files:
            for name in imports_of(path):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, "\n".join(bad)


def test_top_level_holds_only_the_cli_the_face_and_few_helpers():
    modules = sorted(p.name for p in (ROOT / "mintbench").glob("*.py"))
    helpers = [m for m in modules if m not in ("__init__.py", "cli.py")]
    assert len(helpers) <= 4, modules
    stages = sorted(p.name for p in (ROOT / "mintbench").iterdir() if (p / "__init__.py").is_file())
    assert stages == ["create", "difficulty", "items", "releases", "results", "runners"]
    for stage in stages:
        doc = ast.get_docstring(ast.parse((ROOT / "mintbench" / stage / "__init__.py").read_text()))
        assert doc and "import" in doc.lower(), f"{stage}/__init__.py must say what it owns and may import"


def test_the_checker_catches_a_forbidden_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from mintbench.releases.release import publish\n")
    assert "mintbench.releases.release" in imports_of(probe)
