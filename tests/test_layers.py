"""The layers of README ("Layers") are a contract that `make lint` checks, and it bites.

Each case copies the six packages and pyproject.toml into a temporary folder, adds one import that
breaks a rule, and runs ``lint-imports`` there with our contracts.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bureau", "enterprises", "programs", "talent", "reports", "dossiers", "demo")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def tree(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_real_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "contract"),
    [
        ("bureau/core/upward.py", "from reports import dashboard_views", "Apps depend downward"),
        ("enterprises/upward.py", "import programs.models", "Apps depend downward"),
        ("programs/upward.py", "from talent import models", "Apps depend downward"),
        ("talent/upward.py", "import reports.models", "Apps depend downward"),
        ("reports/upward.py", "import dossiers.builder", "Apps depend downward"),
        ("enterprises/uses_demo.py", "from demo import names", "Apps depend downward"),
        ("reports/peek.py", "from enterprises.models import Enterprise", "Reports read other apps only"),
    ],
)
def test_an_import_against_the_layers_fails_lint(tree, module, statement, contract):
    (tree / module).write_text(f"{statement}  # noqa: F401\n", encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken
    assert module.removesuffix(".py").replace("/", ".") in broken


def test_make_lint_runs_the_contracts():
    lint_recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "lint-imports" in lint_recipe
