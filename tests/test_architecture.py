"""The shape of the code: the core never imports Prefect, floors that every import goes down, no import cycles,
a thin flow, small modules. scripts/architecture-report prints the same facts measured."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT

CORE = PROJECT / "papercast"
FLOWS = PROJECT / "flows"


def module_files() -> dict[str, Path]:
    """Every module of the papercast distribution by its import name (flows/ is papercast.flows)."""
    found = {}
    for root, package in ((CORE, "papercast"), (FLOWS, "papercast.flows")):
        for path in sorted(root.rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


def imported(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """The papercast modules `path` imports anywhere (at the top or inside a function)."""
    targets = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            targets |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names}
    return {target for target in targets if target in modules and target != name}


# The floors of papercast, bottom first: a unit (a package, or a top-level module) imports only units on floors
# below its own. A new unit must be placed here.
FLOORS = (
    {"errors", "identity", "jsonable", "addresses", "printable", "schedule", "cores", "heap", ""},  # the foundation
    {"faults", "files", "lock", "models", "settings"},  # shared: values, the config's shape, files on disk
    {"store", "links", "first_run"},  # the state; identity and signed links
    {"sources", "relevance"},  # stages: what is new, who wants it
    {"newsletter"},  # stage: what each reader gets
    {"delivery", "site"},  # stages: did it arrive; the public archive
    {"config", "report", "serving"},  # a run: the config checked against the registries, its report
    {"preflight", "summary", "web"},  # before a run, after it, and the reader app
    {"flows"},  # Prefect's wiring
    {"cli"},  # the command
)


def unit(module: str) -> str:
    """`papercast.store.ledger` -> `store`; `papercast.settings` -> `settings`; `papercast` -> ""."""
    return module.split(".")[1] if "." in module else ""


def unit_imports() -> dict[str, set[str]]:
    modules = module_files()
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges.setdefault(unit(name), set()).update(unit(t) for t in imported(path, name, modules) if unit(t) != unit(name))
    return edges


def arrows_not_down(edges: dict[str, set[str]]) -> list[str]:
    floor = {name: level for level, names in enumerate(FLOORS) for name in names}
    unplaced = sorted(set(edges) - set(floor))
    return [f"{name}: on no floor" for name in unplaced] + sorted(
        f"{source} (floor {floor[source]}) -> {target} (floor {floor.get(target)})"
        for source, targets in edges.items() if source in floor for target in targets
        if floor.get(target, len(FLOORS)) >= floor[source])


def test_every_import_goes_down_a_floor():
    assert arrows_not_down(unit_imports()) == []


def test_the_floor_check_finds_an_arrow_back_up():
    edges = unit_imports()
    edges["links"] = edges["links"] | {"web"}
    edges["widgets"] = set()
    assert arrows_not_down(edges) == ["widgets: on no floor", "links (floor 2) -> web (floor 7)"]


def test_no_two_units_import_each_other():
    edges = unit_imports()
    assert sorted({tuple(sorted((a, b))) for a, targets in edges.items() for b in targets if a in edges.get(b, ())}) == []


def test_core_modules_import_without_prefect():
    modules = [name for name in module_files() if not name.startswith("papercast.flows") and name != "papercast.cli"]
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "leaked = sorted(m for m in sys.modules if m == 'prefect' or m.startswith('prefect.'))\n"
            "print(','.join(leaked))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(modules) >= 30
    assert result.stdout.strip() == "", f"core modules imported prefect: {result.stdout}"


def test_no_import_cycles():
    modules = module_files()
    graph = {name: imported(path, name, modules) for name, path in modules.items()}
    cycles = []

    def visit(node: str, trail: list[str], done: set[str]) -> None:
        if node in trail:
            cycles.append(trail[trail.index(node):] + [node])
            return
        if node in done:
            return
        for target in sorted(graph[node]):
            visit(target, trail + [node], done)
        done.add(node)

    finished: set[str] = set()
    for name in sorted(graph):
        visit(name, [], finished)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def test_the_cycle_check_finds_a_cycle(tmp_path):
    """The check above can fail: two modules importing each other are found."""
    (tmp_path / "a.py").write_text("from papercast.b import x\n")
    (tmp_path / "b.py").write_text("def f():\n    import papercast.a\n")
    modules = {"papercast.a": tmp_path / "a.py", "papercast.b": tmp_path / "b.py"}
    assert imported(modules["papercast.a"], "papercast.a", modules) == {"papercast.b"}
    assert imported(modules["papercast.b"], "papercast.b", modules) == {"papercast.a"}


def test_the_flow_is_thin():
    flow = FLOWS / "newsletter.py"
    assert len(flow.read_text(encoding="utf-8").splitlines()) <= 170
    for path in sorted(FLOWS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                assert length <= 30, f"{path.name}:{node.lineno} {node.name} has {length} lines"


def test_modules_stay_small():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in module_files().items()}
    assert {name: size for name, size in sizes.items() if size > 400} == {}
