"""The apps' imports point one way: no circle, and no import hidden in a function to dodge one.

Function-level imports of project modules are allowed only where Django wants them
(AppConfig.ready registering tasks and checks) and in migrations (outside this graph).
Nothing imports reports (it reads everything).
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
# The project's own apps, as settings lists them: a new app joins the graph without an edit here.
APPS = ("config", *(app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()))


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _resolve(target: str) -> str | None:
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def _imports(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(node, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        for _, target in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            resolved = _resolve(target)
            if resolved and resolved != name:
                graph.setdefault(name, set()).add(resolved)
    return graph


def test_no_import_circle():
    graph = _graph()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    circles = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                circles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_no_function_level_import_of_project_code_but_app_registration():
    hidden = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef) or function.name == "ready":
                continue
            for node, target in _imports(function):
                if _resolve(target):
                    hidden.append(f"{name}:{node.lineno} imports {target}")
    assert hidden == []


def test_nothing_imports_reports():
    importers = {
        name
        for name, targets in _graph().items()
        if not name.startswith("reports")
        and any(target.startswith("reports") for target in targets)
    }
    assert importers <= {"config.urls"}
