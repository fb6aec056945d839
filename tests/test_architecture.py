"""The layers import one way only (STYLE.md, principle 7)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {
    "store": set(),
    "jobs": {"store"},
    "receiver": {"store", "jobs"},
    "console": {"store", "jobs"},
    "scripts": {"store", "jobs"},
}
# The receiver may only enqueue: it must not pull the processing machinery into its workers.
RECEIVER_JOBS_MODULES = {"jobs.queues", "jobs.defaults"}


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_the_layers_below_it(package):
    ours = set(ALLOWED)
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imports_of(path):
            top = name.split(".")[0]
            if top in ours and top != package and top not in ALLOWED[package]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


def test_receiver_uses_jobs_only_to_enqueue():
    wrong = []
    for path in sorted((ROOT / "receiver").rglob("*.py")):
        for name in imports_of(path):
            if (
                name.startswith("jobs.")
                and name.count(".") == 1
                and name not in RECEIVER_JOBS_MODULES
            ):
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []
