"""The ledger engine depends on bureau.records one way, and bureau never knows enterprises: every
import statement of those packages, at module level or inside a function, is read."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> dict[str, set[str]]:
    found = {}
    for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def offenders(package: str, forbidden: str) -> list[str]:
    return sorted(
        f"{path}: {name}"
        for path, names in imported_modules(package).items()
        for name in names
        if name == forbidden or name.startswith(forbidden + ".")
    )


def test_bureau_records_never_imports_the_ledger_engine():
    assert offenders("bureau.records", "bureau.ledgers") == []


def test_nothing_in_bureau_imports_enterprises():
    assert offenders("bureau", "enterprises") == [
        path for path in offenders("bureau", "enterprises") if "/demo/" in path
    ]


def test_the_ledger_engine_imports_no_app():
    for app in ("enterprises", "programs", "talent", "reports"):
        assert offenders("bureau.ledgers", app) == []
