"""Issue 22 #3/#4: no silent lost update, no sign-off of a value the signer did not see."""

from decimal import Decimal

import pytest
from django.test import Client

from bureau.core.models import AnnualTarget
from bureau.records.urls import record_url
from bureau.registry import registry
from tests.conftest import make_user
from tests.core.factories import AnnualTargetFactory
from tests.factories import load_all_factories
from tests.test_records_generic import form_data

FACTORIES = load_all_factories()
ENTERPRISE = registry["records"]["enterprises.enterprise"]


def _opened(client, obj) -> dict:
    """What the edit page gives this user: the form's fields with the version they saw."""
    page = client.get(record_url(obj, "edit"))
    assert page.status_code == 200
    form = page.context["form"]
    data = form_data(ENTERPRISE, obj)
    data["record_version"] = form["record_version"].value()
    return data


@pytest.mark.django_db
def test_second_of_two_stale_saves_is_refused_naming_who_and_when(staff):
    other = make_user("staff", username="keyuan_b", last_name="李", first_name="明")
    enterprise = FACTORIES["enterprises.enterprise"](address="旧地址1号")
    first, second = Client(), Client()
    first.force_login(other)
    second.force_login(staff)
    mine, theirs = _opened(second, enterprise), _opened(first, enterprise)

    theirs["address"] = "对方改的地址"
    assert first.post(record_url(enterprise, "edit"), theirs).status_code == 302
    mine["phone"] = "0531-99999999"
    response = second.post(record_url(enterprise, "edit"), mine)

    assert response.status_code == 200
    page = response.content.decode()
    enterprise.refresh_from_db()
    changed_at = enterprise.updated_at.astimezone().strftime("%H:%M")
    assert f"该记录已被 李明 于 {changed_at} 修改" in page
    assert enterprise.address == "对方改的地址"  # their change kept
    assert enterprise.phone != "0531-99999999"  # nothing of the stale save written
    conflict = {c["field"]: c for c in response.context["conflict"]}
    assert conflict["地址"]["seen"] == "旧地址1号"
    assert conflict["地址"]["theirs"] == "对方改的地址"
    assert conflict["地址"]["changed_by_them"]
    assert conflict["联系电话"]["yours"] == "0531-99999999"


@pytest.mark.django_db
def test_saving_again_after_reading_the_conflict_overwrites_deliberately(staff_client, staff):
    enterprise = FACTORIES["enterprises.enterprise"]()
    mine = _opened(staff_client, enterprise)
    enterprise.address = "别人改过"
    enterprise.save()
    mine["address"] = "我的地址"
    refused = staff_client.post(record_url(enterprise, "edit"), mine)
    assert refused.status_code == 200
    again = dict(mine, record_version=refused.context["form"]["record_version"].value())
    assert staff_client.post(record_url(enterprise, "edit"), again).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.address == "我的地址"


@pytest.mark.django_db
def test_an_unchanged_record_saves_with_its_version(staff_client):
    enterprise = FACTORIES["enterprises.enterprise"]()
    data = _opened(staff_client, enterprise)
    data["address"] = "新地址"
    assert staff_client.post(record_url(enterprise, "edit"), data).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.address == "新地址"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "label", sorted(label for label, r in registry["records"].items() if hasattr(r.model, "updated_at"))
)
def test_every_edit_form_carries_the_version_seen(admin_client_, label):
    obj = FACTORIES[label]()
    form = admin_client_.get(record_url(obj, "edit")).context["form"]
    assert form["record_version"].value() == obj.updated_at.isoformat()


@pytest.mark.django_db
def test_sign_off_of_a_target_changed_after_the_page_was_shown_is_refused(reviewer_client, admin_client_):
    target = AnnualTargetFactory(target=Decimal("7500"))
    page = reviewer_client.get(record_url(target)).content.decode()
    assert 'name="seen_target" value="7500' in page
    edit = admin_client_.get(record_url(target, "edit")).context["form"]
    data = {**edit.initial, "target": "75000", "record_version": edit["record_version"].value()}
    assert admin_client_.post(record_url(target, "edit"), data).status_code == 302

    response = reviewer_client.post(
        f"/core/annualtargets/{target.pk}/signoff/",
        {"seen_year": target.year, "seen_indicator": target.indicator, "seen_target": "7500"},
        follow=True,
    )
    target.refresh_from_db()
    assert target.signed_off_at is None
    assert target.target == Decimal("75000")
    assert "您看到的值已被修改" in response.content.decode()


@pytest.mark.django_db
def test_sign_off_signs_the_value_the_signer_saw(reviewer_client, reviewer):
    target = AnnualTargetFactory(target=Decimal("7500"))
    reviewer_client.post(
        f"/core/annualtargets/{target.pk}/signoff/",
        {"seen_year": target.year, "seen_indicator": target.indicator, "seen_target": "7500.0000"},
    )
    target.refresh_from_db()
    assert target.signed_off_by == reviewer
    assert target.target == Decimal("7500")


@pytest.mark.django_db
def test_sign_off_without_the_value_seen_is_refused(reviewer_client):
    target = AnnualTargetFactory()
    reviewer_client.post(f"/core/annualtargets/{target.pk}/signoff/")
    assert AnnualTarget.objects.get(pk=target.pk).signed_off_at is None
