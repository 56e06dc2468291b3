"""Every registered record type, every generic view, every role (NetBox ViewTestCases).

A new record type is covered here by registering it and giving it a factory.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import models
from django.forms.models import model_to_dict

from bureau.accounts.roles import ADMIN, LEADER, REVIEWER, ROLES, STAFF
from bureau.records.urls import record_url
from bureau.registry import registry
from tests.conftest import make_user
from tests.factories import load_all_factories

FACTORIES = load_all_factories()
RECORDS = sorted(registry["records"].items())
ALL_ROLES = [STAFF, REVIEWER, LEADER, ADMIN]


def test_every_record_type_has_a_factory():
    missing = [label for label, _ in RECORDS if label not in FACTORIES]
    assert not missing, f"record types without a test factory: {missing}"


def may(role: str, record, action: str) -> bool:
    return ROLES[role].grants(record.permission(action))


def form_data(record, obj) -> dict:
    """POST data that recreates ``obj`` through the record's form."""
    form_fields = list(record.form.base_fields)
    data = {}
    for name, value in model_to_dict(obj, fields=form_fields).items():
        if value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = [v.pk if isinstance(v, models.Model) else v for v in value]
        elif isinstance(value, datetime.date | Decimal | int):
            data[name] = str(value)
        elif isinstance(value, bool):
            data[name] = "on" if value else ""
        else:
            data[name] = value
    return {k: v for k, v in data.items() if not (isinstance(v, bool) and not v)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("label", "record"), RECORDS, ids=[label for label, _ in RECORDS])
def test_list_and_detail_follow_the_role(client, role, label, record):
    user = make_user(role)
    client.force_login(user)
    obj = FACTORIES[label]()
    expected = 200 if may(role, record, "view") else 403
    assert client.get(record_url(record.model, "list")).status_code == expected
    assert client.get(record_url(obj)).status_code == expected
    export = client.get(record_url(record.model, "list") + "?export=xlsx")
    assert export.status_code == expected
    if expected == 200:
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("label", "record"), RECORDS, ids=[label for label, _ in RECORDS])
def test_create_edit_delete_follow_the_role(client, role, label, record):
    user = make_user(role)
    client.force_login(user)
    template = FACTORIES[label]()
    data = form_data(record, template)
    model = record.model
    template.delete()  # keep its related records, free its unique values
    before = model.objects.count()

    add = client.post(record_url(model, "add"), data)
    if may(role, record, "add"):
        assert add.status_code == 302, add.context and add.context["form"].errors
        assert model.objects.count() == before + 1
    else:
        assert add.status_code == 403
        assert model.objects.count() == before

    obj = FACTORIES[label]()
    edit = client.post(record_url(obj, "edit"), form_data(record, obj))
    assert edit.status_code == (302 if may(role, record, "change") else 403)

    delete = client.post(record_url(obj, "delete"))
    if may(role, record, "delete"):
        assert delete.status_code == 302
        assert not model.objects.filter(pk=obj.pk).exists()
    else:
        assert delete.status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "record"), RECORDS, ids=[label for label, _ in RECORDS])
def test_leader_gets_403_on_every_write_view(leader_client, label, record):
    obj = FACTORIES[label]()
    for url in (record_url(record.model, "add"), record_url(obj, "edit"), record_url(obj, "delete")):
        assert leader_client.get(url).status_code == 403
        assert leader_client.post(url, {}).status_code == 403
    assert (
        leader_client.post(record_url(record.model, "bulk_delete"), {"pk": [obj.pk], "confirm": "1"}).status_code == 403
    )
    assert record.model.objects.filter(pk=obj.pk).exists()


STAFF_DELETABLE = [(label, r) for label, r in RECORDS if ROLES[STAFF].grants(r.permission("delete"))]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "record"), STAFF_DELETABLE, ids=[label for label, _ in STAFF_DELETABLE])
def test_bulk_delete_asks_then_deletes(staff_client, label, record):
    objs = [FACTORIES[label]() for _ in range(2)]
    url = record_url(record.model, "bulk_delete")
    pks = [o.pk for o in objs]
    confirm_page = staff_client.post(url, {"pk": pks})
    assert confirm_page.status_code == 200
    assert record.model.objects.filter(pk__in=pks).count() == 2
    assert staff_client.post(url, {"pk": pks, "confirm": "1"}).status_code == 302
    assert record.model.objects.filter(pk__in=pks).count() == 0
