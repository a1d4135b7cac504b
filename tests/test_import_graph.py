"""No import circles anywhere in pintools — function-level and TYPE_CHECKING imports included —
and plans' modules use no private names of one another."""

import ast
import sys
from pathlib import Path

import pytest

import pintools
from pintools.version import __version__

PACKAGE = Path(pintools.__file__).parent


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every pintools module ``name`` imports, wherever the import statement stands."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module
            for alias in node.names:
                out.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {m for m in out if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_checker_sees_a_circle_through_a_function_level_import(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("import b\n")
    b.write_text("def f():\n    from a import x\n")
    known = {"a": a, "b": b}
    assert cycles({n: imports(n, p, known) for n, p in known.items()}) == [["a", "b"]]


def test_pintools_has_no_import_circle():
    known = modules()
    graph = {name: imports(name, path, known) for name, path in known.items()}
    assert "pintools.plans.apply" in graph["pintools.plans"]  # the walk sees the package's imports
    assert cycles(graph) == []


def test_the_plan_imports_none_of_its_verbs():
    known = modules()
    deps = imports("pintools.plans.model", known["pintools.plans.model"], known)
    verbs = {f"pintools.plans.{v}" for v in ("validate", "apply", "resume", "rollback", "spreadsheet", "runner",
                                             "review", "journal", "checks")}
    assert deps & verbs == set() and deps <= {"pintools.plans.changes", "pintools.plans.fields",
                                             "pintools.plans.guardrails", "pintools.frames", "pintools.frames.schema",
                                             "pintools.frames.rows"}


@pytest.mark.parametrize("path", sorted((PACKAGE / "plans").glob("*.py")), ids=lambda p: p.name)
def test_plans_modules_use_no_private_names_of_each_other(path):
    tree = ast.parse(path.read_text())
    private = [f"{node.module}.{a.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    reached = [f"{ast.unparse(node.value)}.{node.attr}" for node in ast.walk(tree) if isinstance(node, ast.Attribute)
               and node.attr.startswith("_") and not node.attr.startswith("__")
               and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))]
    assert private == [] and reached == []


def test_one_version_for_the_package_and_pyproject():
    import tomllib

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["project"]
    assert project["version"] == __version__ == pintools.__version__
