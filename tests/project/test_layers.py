"""native_host/ keeps its layers apart: each folder imports only its own layer and the ones beneath it.

From the bottom up: the shared facts at the top of native_host/ (statuses, exit codes, paths, version...), the
rules (format, signing, sources), the engine, history, and the two front doors, messaging and the CLI. The rules
service in server/ may use the rules layer and the shared facts only. Every import is read with `ast`, including
the ones inside functions and under TYPE_CHECKING, because a lazy import still ties the layers together.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "native_host"

# Lowest first. A module may import its own layer and any layer below it.
LAYERS = ("shared", "rules", "engine", "history", "messaging", "cli")
RANK = {name: rank for rank, name in enumerate(LAYERS)}
# The top-level modules everything may use. A new top-level module must be put in a layer folder or named here.
SHARED_FACTS = {
    "__init__",
    "addresses",
    "error_words",
    "exit_codes",
    "extension_ids",
    "file_lock",
    "languages",
    "paths",
    "statuses",
    "version",
}
# `python -m native_host` is the CLI's front door.
FRONT_DOOR_MODULES = {"__main__": "cli"}
SERVER_MAY_USE = {"shared", "rules"}


@dataclass(frozen=True)
class Crossing:
    importer: str  # a path relative to the root it was found under
    imported: str  # a dotted module name

    def __str__(self) -> str:
        return f"{self.importer} imports {self.imported}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path) -> list[str]:
    """Every module `path` imports, as dotted names; `from a import b` counts as a.b, which may be a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.append(base)
            found.extend(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def layer_of(dotted: str, root: Path) -> str | None:
    """The layer a native_host module belongs to, or None for anything outside native_host."""
    parts = dotted.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) == 1:
        return "shared"
    name = parts[1]
    if (root / PACKAGE / name).is_dir():
        return name if name in RANK else f"unknown folder {name}"
    if name in FRONT_DOOR_MODULES:
        return FRONT_DOOR_MODULES[name]
    if name in SHARED_FACTS:
        return "shared"
    if (root / PACKAGE / f"{name}.py").is_file():
        return f"unplaced module {name}"
    return None  # a name imported from a module (`from native_host.paths import data_dir`), not a module


def python_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if "node_modules" not in path.parts)


def unplaced_modules(root: Path) -> list[str]:
    """Modules of native_host that sit in no known layer."""
    problems = []
    for path in python_files(root / PACKAGE):
        layer = layer_of(module_name(path, root), root)
        if layer not in RANK:
            problems.append(f"{path.relative_to(root)}: {layer}")
    return problems


def upward_imports(root: Path) -> list[Crossing]:
    """Imports from a layer into one above it, in native_host/."""
    crossings = []
    for path in python_files(root / PACKAGE):
        own = layer_of(module_name(path, root), root)
        if own not in RANK:
            continue
        for dotted in imported_modules(path, root):
            target = layer_of(dotted, root)
            if target is None or target not in RANK:
                continue
            # The two front doors are not above each other, but messaging never reaches into the CLI.
            if RANK[target] > RANK[own]:
                crossings.append(Crossing(str(path.relative_to(root)), dotted))
    return crossings


def server_reaching_past_rules(root: Path) -> list[Crossing]:
    """Imports from server/ into native_host beyond the rules layer and the shared facts."""
    crossings = []
    for path in python_files(root / "server"):
        for dotted in imported_modules(path, root):
            target = layer_of(dotted, root)
            if target is not None and target not in SERVER_MAY_USE:
                crossings.append(Crossing(str(path.relative_to(root)), dotted))
    return crossings


def test_every_module_of_native_host_sits_in_a_layer() -> None:
    assert unplaced_modules(ROOT) == [], "move these into a layer folder, or name them in SHARED_FACTS"


def test_no_layer_imports_a_layer_above_it() -> None:
    assert [str(crossing) for crossing in upward_imports(ROOT)] == []


def test_the_server_uses_only_the_rules_layer_and_the_shared_facts() -> None:
    assert [str(crossing) for crossing in server_reaching_past_rules(ROOT)] == []


def test_the_layers_all_exist() -> None:
    for layer in LAYERS[1:]:
        assert (ROOT / PACKAGE / layer / "__init__.py").is_file(), f"native_host/{layer}/ is missing"


# The checks above must notice a crossing: a small made-up tree with one of each.


def write(root: Path, relative: str, text: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def made_up_tree(tmp_path: Path) -> Path:
    for layer in LAYERS[1:]:
        write(tmp_path, f"{PACKAGE}/{layer}/__init__.py")
    write(tmp_path, f"{PACKAGE}/__init__.py")
    write(tmp_path, f"{PACKAGE}/paths.py")
    write(tmp_path, f"{PACKAGE}/rules/format.py", "from native_host.paths import data_dir\n")
    write(tmp_path, f"{PACKAGE}/engine/run.py", "from native_host.rules import format\nfrom . import labels\n")
    write(tmp_path, f"{PACKAGE}/engine/labels.py")
    write(tmp_path, f"{PACKAGE}/history/store.py", "from native_host.engine.run import check\n")
    write(tmp_path, f"{PACKAGE}/messaging/host.py", "def later():\n    from native_host.history import store\n")
    write(tmp_path, f"{PACKAGE}/cli/main.py", "from native_host.messaging import host\nimport server\n")
    write(tmp_path, "server/__init__.py", "from native_host.rules.format import RULES_DIR\n")
    return tmp_path


def test_a_tree_that_keeps_its_layers_passes(made_up_tree: Path) -> None:
    assert unplaced_modules(made_up_tree) == []
    assert upward_imports(made_up_tree) == []
    assert server_reaching_past_rules(made_up_tree) == []


@pytest.mark.parametrize(
    ("relative", "text", "expected"),
    [
        ("native_host/rules/sources.py", "from native_host.engine.site_map import is_loopback\n", "engine.site_map"),
        ("native_host/engine/cookies.py", "def f():\n    from native_host.history.store import Store\n", "store"),
        ("native_host/engine/report.py", "from ..messaging import host\n", "native_host.messaging"),
        ("native_host/history/store.py", "import native_host.cli.main\n", "native_host.cli.main"),
        ("native_host/messaging/host.py", "from native_host.cli import main\n", "native_host.cli"),
        ("native_host/paths.py", "from native_host.rules import format\n", "native_host.rules"),
    ],
)
def test_an_import_from_a_higher_layer_is_caught(made_up_tree: Path, relative: str, text: str, expected: str) -> None:
    write(made_up_tree, relative, text)
    crossings = upward_imports(made_up_tree)
    assert [crossing.importer for crossing in crossings] == [relative] * len(crossings) != []
    assert any(expected in crossing.imported for crossing in crossings)


def test_the_server_reaching_into_the_engine_is_caught(made_up_tree: Path) -> None:
    write(made_up_tree, "server/bundles.py", "from native_host.engine import run\n")
    assert [str(crossing) for crossing in server_reaching_past_rules(made_up_tree)] == [
        "server/bundles.py imports native_host.engine",
        "server/bundles.py imports native_host.engine.run",
    ]


def test_a_module_left_outside_the_layers_is_caught(made_up_tree: Path) -> None:
    write(made_up_tree, f"{PACKAGE}/new_thing.py")
    assert unplaced_modules(made_up_tree) == ["native_host/new_thing.py: unplaced module new_thing"]
