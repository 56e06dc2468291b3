"""培训班期数, county base data and annual targets (entered by admins, signed off by reviewers)."""

import datetime
from decimal import Decimal

import pytest

from bureau.core.forms import AnnualTargetForm
from bureau.core.models import Activity, AnnualTarget, CountyYear
from bureau.indicators import NAMES
from bureau.records.urls import record_url
from bureau.registry import registry
from tests.conftest import make_user
from tests.core.factories import ActivityFactory, AnnualTargetFactory

pytestmark = pytest.mark.django_db
TRAINING = Activity.Kind.TRAINING


def trainings():
    return registry["indicators"]["trainings"]


def test_trainings_has_the_fixed_name_and_unit():
    assert (trainings().name, trainings().unit) == NAMES["trainings"] == ("培训班期数", "期")


def test_trainings_counts_trainings_held_within_the_year_only():
    ActivityFactory(kind=TRAINING, held_on=datetime.date(2020, 1, 1))
    ActivityFactory(kind=TRAINING, held_on=datetime.date(2020, 12, 31))
    ActivityFactory(kind=TRAINING, held_on=datetime.date(2019, 12, 31))
    ActivityFactory(kind=TRAINING, held_on=datetime.date(2021, 1, 1))
    ActivityFactory(kind=Activity.Kind.VISIT, held_on=datetime.date(2020, 6, 1))
    assert trainings().value(2020) == 2
    assert trainings().value(2019) == 1
    assert trainings().value(2018) == 0


def test_trainings_drilldown_lists_exactly_the_trainings_counted(leader_client):
    counted = [
        ActivityFactory(kind=TRAINING, held_on=datetime.date(2020, 3, 1), title="研发费用加计扣除政策培训班"),
        ActivityFactory(kind=TRAINING, held_on=datetime.date(2020, 12, 31), title="高新技术企业申报培训班"),
    ]
    ActivityFactory(kind=TRAINING, held_on=datetime.date(2021, 1, 1), title="跨年培训班")
    ActivityFactory(kind=Activity.Kind.EVENT, held_on=datetime.date(2020, 5, 1), title="校企对接活动")
    response = leader_client.get(record_url(Activity, "list", indicator="trainings", year=2020))
    assert response.status_code == 200
    assert response.context["total"] == trainings().value(2020) == len(counted)
    page = response.content.decode()
    assert "2020年 培训班期数" in page
    assert all(a.title in page for a in counted)
    assert "跨年培训班" not in page and "校企对接活动" not in page


def test_target_form_offers_every_registered_indicator_with_its_name_and_unit():
    choices = dict(AnnualTargetForm().fields["indicator"].choices)
    for code, indicator in registry["indicators"].items():
        assert choices[code] == f"{indicator.name}（{indicator.unit}）"
    assert choices["trainings"] == "培训班期数（期）"


def test_target_form_refuses_an_indicator_that_is_not_registered():
    form = AnnualTargetForm(data={"year": 2020, "indicator": "no_such_indicator", "target": "5"})
    assert not form.is_valid()
    assert "indicator" in form.errors


ROLE_CAN_WRITE = [("staff", 403), ("reviewer", 403), ("leader", 403), ("admin", 302)]


@pytest.mark.parametrize(("role", "expected"), ROLE_CAN_WRITE)
def test_only_the_admin_enters_annual_targets(client, role, expected):
    client.force_login(make_user(role))
    response = client.post(
        record_url(AnnualTarget, "add"), {"year": 2021, "indicator": "trainings", "target": "12", "notes": ""}
    )
    assert response.status_code == expected
    assert AnnualTarget.objects.filter(year=2021, indicator="trainings").exists() == (expected == 302)


@pytest.mark.parametrize(("role", "expected"), ROLE_CAN_WRITE)
def test_only_the_admin_enters_county_base_data(client, role, expected):
    client.force_login(make_user(role))
    response = client.post(record_url(CountyYear, "add"), {"year": 2021, "gdp": "312.5", "population": "48.6"})
    assert response.status_code == expected
    assert CountyYear.objects.filter(year=2021).exists() == (expected == 302)


@pytest.mark.parametrize("role", ["staff", "reviewer", "leader", "admin"])
def test_everyone_reads_targets_and_base_data(client, role):
    client.force_login(make_user(role))
    target = AnnualTargetFactory(year=2020, indicator="trainings", target=Decimal(8))
    listing = client.get(record_url(AnnualTarget, "list"))
    assert listing.status_code == 200
    assert "培训班期数" in listing.content.decode()
    assert client.get(record_url(target)).status_code == 200
    assert client.get(record_url(CountyYear, "list")).status_code == 200


def test_reviewer_signs_off_a_target(reviewer_client, reviewer):
    target = AnnualTargetFactory(year=2020, indicator="trainings", target=Decimal(8))
    seen = {"seen_year": "2020", "seen_indicator": "trainings", "seen_target": "8"}
    response = reviewer_client.post(f"/core/annualtargets/{target.pk}/signoff/", seen, follow=True)
    assert "已签核" in response.content.decode()
    target.refresh_from_db()
    assert target.signed_off_by == reviewer and target.signed_off_at is not None


def test_staff_cannot_sign_off_a_target(staff_client):
    target = AnnualTargetFactory(year=2020, indicator="trainings", target=Decimal(8))
    assert staff_client.post(f"/core/annualtargets/{target.pk}/signoff/").status_code == 403
    target.refresh_from_db()
    assert target.signed_off_at is None


def test_detail_page_offers_sign_off_to_reviewers_only(reviewer_client, staff_client):
    target = AnnualTargetFactory(year=2020, indicator="trainings", target=Decimal(8))
    assert "签核</button>" in reviewer_client.get(record_url(target)).content.decode()
    assert "签核</button>" not in staff_client.get(record_url(target)).content.decode()


def test_a_changed_target_needs_a_new_sign_off_but_a_changed_note_does_not(admin_client_, reviewer):
    target = AnnualTargetFactory(year=2020, indicator="trainings", target=Decimal(8), notes="")
    AnnualTarget.objects.filter(pk=target.pk).update(
        signed_off_by=reviewer, signed_off_at=datetime.datetime(2020, 1, 10, tzinfo=datetime.UTC)
    )
    data = {"year": 2020, "indicator": "trainings", "target": "8", "notes": "按县委要求"}
    assert admin_client_.post(record_url(target, "edit"), data).status_code == 302
    target.refresh_from_db()
    assert target.signed_off_by == reviewer

    data["target"] = "10"
    assert admin_client_.post(record_url(target, "edit"), data).status_code == 302
    target.refresh_from_db()
    assert target.target == 10 and target.signed_off_by is None and target.signed_off_at is None


def test_target_detail_names_the_indicator_in_chinese(leader_client):
    target = AnnualTargetFactory(year=2020, indicator="trainings", target=Decimal(8))
    page = leader_client.get(record_url(target)).content.decode()
    assert "2020年 培训班期数" in page
    assert ">trainings<" not in page
