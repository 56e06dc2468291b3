"""Login is required everywhere but login, /healthz and static; the URL patterns are enumerated,
so URLs added later are covered automatically."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"accounts:login", "healthz"}
ROOT = Path(__file__).resolve().parents[2]


def iter_patterns(patterns=None, prefix="", namespace=None):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            ns_full = f"{namespace}:{p.namespace}" if namespace and p.namespace else ns
            yield from iter_patterns(p.url_patterns, prefix + str(p.pattern), ns_full)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, prefix + str(p.pattern)


def concrete(route: str) -> str:
    """Fill converters with plausible values: <int:pk> -> 1, <uuid:…> -> a UUID, <str:…>/<slug:…> -> x."""
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<uuid:\w+>", "6f1c1e9a-3b7d-4c2e-9a51-0d6c8e2f4b10", route)
    route = re.sub(r"<(?:str|slug|path|uuid)?:?\w+>", "x", route)
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + route


URLS = [(n, r) for n, r in iter_patterns() if not r.startswith("admin/") and n not in PUBLIC]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), URLS, ids=[f"{n}:{r}" for n, r in URLS])
def test_anonymous_is_sent_to_login(client, name, route):
    response = client.get(concrete(route))
    assert response.status_code == 302, f"{route} answered {response.status_code} to an anonymous visitor"
    assert response["Location"].startswith("/accounts/login/")


def test_url_enumeration_sees_the_app_urls():
    names = {n for n, _ in URLS}
    assert {"home", "core:policy_list", "core:policy_add", "core:activity_detail"} <= names


@pytest.mark.django_db
def test_login_page_is_public_and_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "用户名" in response.content.decode() and "密码" in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    """A real unreachable database: a SQLite file in a folder that does not exist."""
    code = (
        "import django, os; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, r.json()['checks']['database'].split(':')[0])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "bureau.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/db.sqlite3",
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "testserver",
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    status, detail = out.stdout.split()[-2:]
    assert status == "503"
    assert detail.startswith("error")


def test_healthz_is_503_when_redis_is_configured_but_down(client, settings, db):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")
