"""The layout shows the architecture: imports inside ``events`` only point down the layers.

web → api is never allowed (and neither is the reverse); reporting, services and queries
never reach up into web or the API; the domain rules at the bottom import only each other;
nothing a production server runs imports ``events.devtools``.
"""

import ast
from pathlib import Path

import pytest

EVENTS = Path(__file__).resolve().parent.parent / "events"

# Each layer and the layers it must not import.
FORBIDDEN = {
    "web": {"api", "devtools"},
    "api": {"web", "devtools"},
    "reporting": {"web", "api", "devtools"},
    "services": {"web", "api", "reporting", "devtools"},
    "queries": {"web", "api", "reporting", "services", "devtools"},
    "rules": {"web", "api", "reporting", "services", "queries", "devtools"},
    "glue": {"web", "api", "devtools"},
}
RULES = {"models", "conflicts", "permissions", "time", "audit", "validators", "totals", "checks"}


def layer_of(path: Path) -> str | None:
    parts = path.relative_to(EVENTS).with_suffix("").parts
    if parts[0] in FORBIDDEN:
        return parts[0]
    if parts[0] in {"migrations", "devtools", "management"}:
        return None
    return "rules" if parts[0] in RULES else "glue"


def imported_layers(path: Path, source: str | None = None) -> set[str]:
    """The layers of every module this file imports from ``events``."""
    package = ["events", *path.relative_to(EVENTS).parent.parts]
    found = set()
    for node in ast.walk(ast.parse(path.read_text() if source is None else source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = [*base, *(node.module.split(".") if node.module else [])]
                targets = (
                    [module + [alias.name] for alias in node.names]
                    if len(module) == 1
                    else [module]
                )
            else:
                targets = [node.module.split(".")] if node.module else []
        elif isinstance(node, ast.Import):
            targets = [alias.name.split(".") for alias in node.names]
        else:
            continue
        for target in targets:
            if target[0] == "events" and len(target) > 1:
                first = target[1]
                found.add(
                    first
                    if first in FORBIDDEN or first == "devtools"
                    else ("rules" if first in RULES else "glue")
                )
    return found


SOURCES = sorted(p for p in EVENTS.rglob("*.py") if layer_of(p))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(EVENTS)))
def test_imports_only_point_down_the_layers(path):
    wrong = imported_layers(path) & FORBIDDEN[layer_of(path)]
    assert not wrong, f"events/{path.relative_to(EVENTS)} ({layer_of(path)}) imports {wrong}"


def test_the_checker_sees_an_upward_import():
    service = EVENTS / "services" / "events.py"
    upward = "from ..web.views import planning\nfrom events.reporting import stats\n"
    assert imported_layers(service, upward) == {"web", "reporting"}
    assert imported_layers(service, upward) & FORBIDDEN[layer_of(service)] == {"web", "reporting"}
