"""Rights live in the services: what a role may not do on a page it may not do through an import,
a command or a job either. Every registered record type, every role, create/update/delete.

``actor=None`` is the system (a command without ``--user``, the demo seed) and may do anything.
"""

import pytest
from django.core.exceptions import PermissionDenied

from bureau.accounts.roles import ADMIN, LEADER, REVIEWER, ROLES, STAFF
from bureau.permissions import permission_message, permission_name, require_permission, roles_with_permission
from bureau.records.declarations import instance_keyword
from bureau.registry import registry
from tests.conftest import make_user
from tests.factories import load_all_factories

FACTORIES = load_all_factories()
RECORDS = sorted(registry["records"].items())
ACTORS = [STAFF, REVIEWER, LEADER, ADMIN, None]  # None: the system


def may(role, record, action: str) -> bool:
    return role is None or ROLES[role].grants(permission_name(record.model, action))


def service_data(record, obj) -> dict:
    """The keyword arguments that recreate ``obj`` through the record's create service."""
    data = {}
    for name in record.form._meta.fields:
        field = record.model._meta.get_field(name)
        data[name] = list(getattr(obj, name).all()) if field.many_to_many else getattr(obj, name)
    return data


def actor_for(role):
    return None if role is None else make_user(role)


def refused_with_roles(exc, record, action: str) -> None:
    """The refusal names every role that may do it, so the user knows whom to ask."""
    message = str(exc.value)
    for name in roles_with_permission(permission_name(record.model, action)):
        assert name in message


@pytest.mark.django_db
@pytest.mark.parametrize("role", ACTORS, ids=[r or "system" for r in ACTORS])
@pytest.mark.parametrize(("label", "record"), RECORDS, ids=[label for label, _ in RECORDS])
def test_create_service_refuses_an_actor_without_the_add_right(role, label, record):
    actor = actor_for(role)
    template = FACTORIES[label]()
    data = service_data(record, template)
    template.delete()  # keep its related records, free its unique values
    before = record.model.objects.count()
    if may(role, record, "add"):
        obj = record.create_service(actor=actor, **data)
        assert obj.pk is not None
        assert record.model.objects.count() == before + 1
    else:
        with pytest.raises(PermissionDenied) as exc:
            record.create_service(actor=actor, **data)
        refused_with_roles(exc, record, "add")
        assert record.model.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ACTORS, ids=[r or "system" for r in ACTORS])
@pytest.mark.parametrize(("label", "record"), RECORDS, ids=[label for label, _ in RECORDS])
def test_update_service_refuses_an_actor_without_the_change_right(role, label, record):
    actor = actor_for(role)
    obj = FACTORIES[label]()
    keyword = instance_keyword(record.update_service, record.model)
    if may(role, record, "change"):
        assert record.update_service(actor=actor, **{keyword: obj}).pk == obj.pk
    else:
        with pytest.raises(PermissionDenied) as exc:
            record.update_service(actor=actor, **{keyword: obj})
        refused_with_roles(exc, record, "change")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ACTORS, ids=[r or "system" for r in ACTORS])
@pytest.mark.parametrize(("label", "record"), RECORDS, ids=[label for label, _ in RECORDS])
def test_delete_service_refuses_an_actor_without_the_delete_right(role, label, record):
    actor = actor_for(role)
    obj = FACTORIES[label]()
    if may(role, record, "delete"):
        record.delete_service(actor=actor, instance=obj)
        assert not record.model.objects.filter(pk=obj.pk).exists()
    else:
        with pytest.raises(PermissionDenied) as exc:
            record.delete_service(actor=actor, instance=obj)
        refused_with_roles(exc, record, "delete")
        assert record.model.objects.filter(pk=obj.pk).exists()


def test_every_record_type_writes_through_services_whose_update_names_the_record():
    for label, record in RECORDS:
        assert record.create_service is not None, label
        assert instance_keyword(record.update_service, record.model), label


def test_a_record_type_with_a_form_but_no_services_cannot_be_registered():
    from bureau.records.declarations import Record
    from bureau.registry import register_record
    from tests.factories import UserFactory

    class Unserviced(Record):
        model = UserFactory._meta.model
        form = object

    with pytest.raises(ValueError, match="no create_service/update_service"):
        register_record(Unserviced)
    assert "auth.user" not in registry["records"]


def test_the_permission_name_is_app_action_model():
    from programs.models import Program

    assert permission_name(Program, "add") == "programs.add_program"
    assert permission_name(Program(), "change") == "programs.change_program"


def test_the_refusal_names_the_roles_that_may():
    from bureau.core.models import AnnualTarget
    from programs.models import Program

    assert permission_message(Program, "add") == "只有管理员可以新增科技计划。"
    assert permission_message(AnnualTarget, "signoff").startswith("只有股室负责人、管理员可以签核")


@pytest.mark.django_db
def test_the_system_may_do_anything_and_a_leader_nothing(leader):
    from programs.models import Program

    require_permission(None, Program, "delete")
    with pytest.raises(PermissionDenied, match="只有管理员可以删除"):
        require_permission(leader, Program, "delete")


@pytest.mark.django_db
def test_an_update_changes_only_the_fields_it_names():
    from bureau.core.services import policy_update
    from tests.core.factories import PolicyFactory

    policy = PolicyFactory(document_number="沂科发〔2019〕3号", issuer="县科技局")
    policy_update(actor=None, policy=policy, title="关于支持科技创新的若干措施")
    policy.refresh_from_db()
    assert (policy.title, policy.document_number, policy.issuer) == (
        "关于支持科技创新的若干措施",
        "沂科发〔2019〕3号",
        "县科技局",
    )


def test_the_update_keyword_is_the_one_annotated_with_the_model_not_a_field_of_the_same_name():
    from bureau.core.models import AnnualTarget
    from bureau.core.services import annual_target_update

    # annual_target_update has a ``target`` field (the figure) and the record as ``annual_target``.
    assert instance_keyword(annual_target_update, AnnualTarget) == "annual_target"
