"""A user and a logged-in client per role (cookiecutter-django conftest)."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from bureau.accounts.roles import ADMIN, LEADER, REVIEWER, ROLES, STAFF
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Attachments: a directory of this test's own, or (S3 run) a key prefix of its own in the bucket.
    storage = {**settings.STORAGES["documents"], "OPTIONS": dict(settings.STORAGES["documents"]["OPTIONS"])}
    if "location" in storage["OPTIONS"] and not settings.DOCUMENTS_S3_ENDPOINT:
        storage["OPTIONS"]["location"] = tmp_path / "documents"
    else:
        storage["OPTIONS"]["location"] = f"test-{uuid.uuid4().hex}"
    settings.STORAGES = {**settings.STORAGES, "documents": storage}
    from django.core.cache import cache

    cache.clear()


def make_user(role: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=ROLES[role].name))
    if role == ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


@pytest.fixture
def staff(db):
    return make_user(STAFF, username="keyuan_t", first_name="王科员")


@pytest.fixture
def reviewer(db):
    return make_user(REVIEWER, username="guzhang_t", first_name="赵股长")


@pytest.fixture
def leader(db):
    return make_user(LEADER, username="juzhang_t", first_name="刘局长")


@pytest.fixture
def admin_user(db):
    return make_user(ADMIN, username="admin_t", first_name="管理员")


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def reviewer_client(reviewer):
    return _client_for(reviewer)


@pytest.fixture
def leader_client(leader):
    return _client_for(leader)


@pytest.fixture
def admin_client_(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def role_client(request, db):
    """Parametrise indirectly with a role code: yields (user, client)."""
    user = make_user(request.param)
    return user, _client_for(user)
