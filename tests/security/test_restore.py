"""Issue 22 #6: a deleted record comes back from its history (股室负责人/管理员), through a service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bureau.audit.models import AuditEvent, AuditKind
from bureau.records.urls import record_url
from bureau.services import deleted_history, record_restore
from enterprises.models import Enterprise
from talent.models import CooperationAgreement, Institution
from tests.factories import load_all_factories

FACTORIES = load_all_factories()


def _deleted_enterprise(client, **values):
    enterprise = FACTORIES["enterprises.enterprise"](**values)
    assert client.post(record_url(enterprise, "delete")).status_code == 302
    return enterprise


@pytest.mark.django_db
def test_reviewer_restores_a_deleted_enterprise_from_the_deleted_page(reviewer_client, reviewer):
    enterprise = _deleted_enterprise(reviewer_client, name="示例县恢复测试有限公司", address="恢复路1号")
    page = reviewer_client.get(record_url(Enterprise, "deleted"))
    assert page.status_code == 200
    assert "示例县恢复测试有限公司" in page.content.decode()
    entry = deleted_history(Enterprise).get()
    response = reviewer_client.post(record_url(Enterprise, "restore", history_id=entry.history_id))
    restored = Enterprise.objects.get(pk=enterprise.pk)  # same id
    assert restored.address == "恢复路1号"
    assert response["Location"] == restored.get_absolute_url()
    assert reviewer_client.get(record_url(Enterprise, "deleted")).context["entries"] == []
    assert AuditEvent.objects.filter(kind=AuditKind.RESTORE, actor=reviewer, object_id=str(enterprise.pk)).exists()


@pytest.mark.django_db
def test_staff_and_leaders_cannot_restore(staff_client, leader_client, reviewer_client, staff):
    _deleted_enterprise(reviewer_client)
    entry = deleted_history(Enterprise).get()
    for client in (staff_client, leader_client):
        assert client.get(record_url(Enterprise, "deleted")).status_code == 403
        assert client.post(record_url(Enterprise, "restore", history_id=entry.history_id)).status_code == 403
    with pytest.raises(PermissionDenied):
        record_restore(actor=staff, model=Enterprise, history_id=entry.history_id)
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_a_restore_is_refused_when_the_record_it_refers_to_is_still_deleted(reviewer, reviewer_client):
    evaluation = FACTORIES["talent.platformevaluation"]()
    reviewer_client.post(record_url(evaluation.platform, "delete"))  # takes its evaluations with it
    Evaluation = type(evaluation)
    assert not Evaluation.objects.filter(pk=evaluation.pk).exists()
    entry = deleted_history(Evaluation).get()
    with pytest.raises(ValidationError, match="请先恢复"):
        record_restore(actor=reviewer, model=Evaluation, history_id=entry.history_id)
    platform_entry = deleted_history(type(evaluation.platform)).get()
    record_restore(actor=reviewer, model=type(evaluation.platform), history_id=platform_entry.history_id)
    assert record_restore(actor=reviewer, model=Evaluation, history_id=entry.history_id).pk == evaluation.pk


@pytest.mark.django_db
def test_a_restored_agreement_gets_back_its_enterprises_and_institutions(admin_user):
    agreement = FACTORIES["talent.cooperationagreement"]()
    enterprises = FACTORIES["enterprises.enterprise"].create_batch(2)
    institution = Institution.objects.create(name="示例大学")
    agreement.enterprises.set(enterprises)
    agreement.institutions.set([institution])
    agreement.save()
    pk = agreement.pk
    agreement.delete()
    entry = deleted_history(CooperationAgreement).get()
    restored = record_restore(actor=admin_user, model=CooperationAgreement, history_id=entry.history_id)
    assert restored.pk == pk
    assert set(restored.enterprises.all()) == set(enterprises)
    assert list(restored.institutions.all()) == [institution]


@pytest.mark.django_db
def test_many_to_many_changes_are_in_the_history():
    agreement = FACTORIES["talent.cooperationagreement"]()
    institution = Institution.objects.create(name="示例理工大学")
    before = agreement.history.order_by("-history_id").first()
    agreement.institutions.add(institution)
    latest = agreement.history.order_by("-history_id").first()
    assert institution.pk not in [row.institution_id for row in before.institutions.all()]
    assert institution.pk in [row.institution_id for row in latest.institutions.all()]


@pytest.mark.django_db
def test_managed_lists_and_institutions_keep_a_history(admin_user):
    institution = Institution.objects.create(name="示例农业大学")
    institution.name = "示例农林大学"
    institution.save()
    assert [h.name for h in institution.history.order_by("history_id")] == ["示例农业大学", "示例农林大学"]
