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
# pipeline_metrics (read-only, scrape time) puts the worker side on the receiver's /metrics.
RECEIVER_JOBS_MODULES = {"jobs.queues", "jobs.defaults", "jobs.monitoring.pipeline_metrics"}


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
            allowed = any(name == m or name.startswith(m + ".") for m in RECEIVER_JOBS_MODULES)
            if name.startswith("jobs.") and not allowed:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


# jobs/ is a package per capability; only what every capability shares sits at its top.
JOBS_SHARED_MODULES = {"__init__.py", "context.py", "defaults.py", "queues.py"}
JOBS_CAPABILITIES = {
    "processing",
    "filters",
    "moysklad",
    "lifecycle",
    "monitoring",
    "housekeeping",
    "sync",
}


def test_jobs_is_a_package_per_capability():
    jobs = ROOT / "jobs"
    modules = {path.name for path in jobs.glob("*.py")}
    packages = {path.parent.name for path in jobs.glob("*/__init__.py")}
    assert modules == JOBS_SHARED_MODULES
    assert packages >= JOBS_CAPABILITIES


def test_every_tests_folder_mirrors_a_source_folder():
    missing = []
    for folder in sorted((ROOT / "tests").rglob("__init__.py")):
        relative = folder.parent.relative_to(ROOT / "tests")
        if relative.parts and relative.parts[0] in ALLOWED and not (ROOT / relative).is_dir():
            missing.append(str(relative))
    assert missing == []
