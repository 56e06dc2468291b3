"""The pre-commit configuration is valid and runs the checks `make lint` runs."""

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".pre-commit-config.yaml"


def test_the_pre_commit_config_is_valid():
    pre_commit = Path(sys.executable).with_name("pre-commit")
    result = subprocess.run(
        [str(pre_commit), "validate-config", str(CONFIG)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_runs_ruff_django_upgrade_the_layers_and_the_migrations_check():
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "django-upgrade", "import-linter", "migrations"} <= set(hooks)
    assert "--fix" in hooks["ruff-check"]["args"]
    assert hooks["django-upgrade"]["args"] == ["--target-version", "5.2"]
    assert "lint-imports" in hooks["import-linter"]["entry"]
    assert "makemigrations --check" in hooks["migrations"]["entry"]
    ruff_pin = next(
        line for line in (ROOT / "requirements-dev.txt").read_text().splitlines() if line.startswith("ruff==")
    )
    ruff_repo = next(repo for repo in config["repos"] if "ruff-pre-commit" in repo["repo"])
    assert ruff_repo["rev"] == "v" + ruff_pin.removeprefix("ruff==")  # one ruff for make lint and pre-commit
