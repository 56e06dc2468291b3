"""Certificates expiring within 90 days (高企: 180, its re-certification): 我的待办 and the enterprise profile."""

import datetime

import pytest
from django.urls import reverse

from enterprises.models import Certification
from enterprises.reminders import MAX_LISTED, certification_expiry_reminders
from tests.enterprises.factories import CertificationFactory, EnterpriseFactory, high_tech_type

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 1)


def expiring_on(day: datetime.date, **kwargs) -> Certification:
    return CertificationFactory(
        issued_on=day - datetime.timedelta(days=3 * 365), expires_on=day, year=day.year - 3, **kwargs
    )


def reminded(user) -> list[str]:
    return [r.text for r in certification_expiry_reminders(user=user, today=TODAY)]


def test_certificate_expiring_within_180_days_is_reminded(staff):
    cert = expiring_on(TODAY + datetime.timedelta(days=180))
    texts = reminded(staff)
    assert len(texts) == 1
    assert cert.enterprise.name in texts[0]
    assert "国家高新技术企业" in texts[0] and "2025-08-28" in texts[0] and "还剩180天" in texts[0]


def test_other_certificates_are_listed_from_90_days_before_expiry(staff):
    from enterprises.models import CertificationType

    other_type = CertificationType.objects.exclude(code=CertificationType.HIGH_TECH).first()
    assert other_type is not None
    expiring_on(TODAY + datetime.timedelta(days=91), type=other_type)
    assert reminded(staff) == []
    near = expiring_on(TODAY + datetime.timedelta(days=90), type=other_type)
    [item] = certification_expiry_reminders(user=staff, today=TODAY)
    assert item.kind == "资质到期" and near.enterprise.name in item.text


def test_certificate_expiring_in_181_days_is_not_reminded_yet(staff):
    expiring_on(TODAY + datetime.timedelta(days=181))
    assert reminded(staff) == []


def test_expired_certificate_is_not_reminded(staff):
    expiring_on(TODAY - datetime.timedelta(days=1))
    assert reminded(staff) == []


def test_certificate_expiring_today_is_urgent(staff):
    expiring_on(TODAY)
    [reminder] = certification_expiry_reminders(user=staff, today=TODAY)
    assert reminder.level == "danger"
    assert reminder.due == TODAY


def test_renewed_certificate_is_not_reminded(staff):
    old = expiring_on(TODAY + datetime.timedelta(days=60))
    CertificationFactory(
        enterprise=old.enterprise,
        type=old.type,
        year=2024,
        issued_on=datetime.date(2024, 12, 1),
        expires_on=datetime.date(2027, 11, 30),
    )
    assert reminded(staff) == []


@pytest.mark.parametrize("state", [Certification.State.APPLIED, Certification.State.REJECTED])
def test_only_certified_certificates_are_reminded(staff, state):
    expiring_on(TODAY + datetime.timedelta(days=30), state=state)
    assert reminded(staff) == []


def test_long_list_ends_with_a_link_to_the_filtered_list(staff):
    for i in range(MAX_LISTED + 2):
        expiring_on(TODAY + datetime.timedelta(days=10 + i))
    reminders = certification_expiry_reminders(user=staff, today=TODAY)
    assert len(reminders) == MAX_LISTED + 1
    assert reminders[-1].url.endswith("?expiring_within=180")


def test_home_page_lists_the_expiring_certificate(staff_client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    cert = expiring_on(TODAY + datetime.timedelta(days=90))
    page = staff_client.get(reverse("home")).content.decode()
    assert "高企重新认定" in page
    assert cert.enterprise.name in page
    assert cert.enterprise.get_absolute_url() in page


def test_profile_warns_about_its_expiring_certificate(staff_client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    cert = expiring_on(TODAY + datetime.timedelta(days=90), certificate_no="GR202237000123")
    other = expiring_on(TODAY + datetime.timedelta(days=20))  # another enterprise's certificate
    page = staff_client.get(cert.enterprise.get_absolute_url()).content.decode()
    assert "180天内到期的资质" in page
    assert "GR202237000123" in page and "还剩 90 天" in page
    assert other.certificate_no not in page


def test_expiring_filter_lists_certificates_due_within_n_days(staff_client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    soon = expiring_on(TODAY + datetime.timedelta(days=25))
    expiring_on(TODAY + datetime.timedelta(days=45))
    expiring_on(TODAY - datetime.timedelta(days=5))
    CertificationFactory(enterprise=EnterpriseFactory(), type=high_tech_type(), state=Certification.State.APPLIED)
    response = staff_client.get(reverse("enterprises:certification_list"), {"expiring_within": 30})
    assert response.context["total"] == 1
    assert soon.enterprise.name in response.content.decode()
