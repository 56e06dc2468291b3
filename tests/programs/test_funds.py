"""Approved vs disbursed: payments never pass the approved amount; the page shows both sums."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs.models import Application, Disbursement
from programs.services import disbursement_create, disbursement_update
from tests.programs.factories import ApplicationFactory, DisbursementFactory

pytestmark = pytest.mark.django_db


def pay(app, amount, on=datetime.date(2019, 11, 5)):
    return disbursement_create(actor=None, application=app, amount=Decimal(amount), paid_on=on)


def test_payments_up_to_the_approved_amount_are_accepted_to_the_yuan():
    app = ApplicationFactory(approved=True, approved_amount=Decimal("100"))
    pay(app, "60")
    pay(app, "39.9999")
    pay(app, "0.0001")
    assert sum(d.amount for d in app.disbursements.all()) == Decimal("100")


def test_a_payment_beyond_the_approved_amount_is_refused_with_what_is_left():
    app = ApplicationFactory(approved=True, approved_amount=Decimal("100"))
    pay(app, "80")
    with pytest.raises(ValidationError) as exc:
        pay(app, "20.0001")
    message = exc.value.message_dict["amount"][0]
    assert "超过获批资金100万元" in message
    assert "最多还可拨付20万元" in message
    assert app.disbursements.count() == 1


def test_editing_a_payment_counts_the_others_only():
    app = ApplicationFactory(approved=True, approved_amount=Decimal("100"))
    first = pay(app, "50")
    pay(app, "30")
    disbursement_update(actor=None, disbursement=first, amount=Decimal("70"))  # 70 + 30 = 100: allowed
    with pytest.raises(ValidationError):
        disbursement_update(actor=None, disbursement=first, amount=Decimal("70.01"))
    first.refresh_from_db()
    assert first.amount == Decimal("70")


@pytest.mark.parametrize(
    "status", [Application.Status.DRAFT, Application.Status.RECOMMENDED, Application.Status.REJECTED]
)
def test_no_payment_to_a_project_that_is_not_approved(status):
    app = ApplicationFactory(status=status, approved_amount=Decimal("100"))
    with pytest.raises(ValidationError) as exc:
        pay(app, "1")
    assert "只有已立项、实施中或已验收的项目才能拨付资金" in exc.value.message_dict["application"][0]


def test_the_add_page_shows_the_refusal_next_to_the_amount(staff_client):
    app = ApplicationFactory(approved=True, approved_amount=Decimal("50"))
    response = staff_client.post(
        reverse("programs:disbursement_add"), {"application": app.pk, "amount": "50.5", "paid_on": "2019-12-01"}
    )
    assert response.status_code == 200
    assert "超过获批资金50万元" in response.context["form"].errors["amount"][0]
    assert not Disbursement.objects.exists()


def test_the_add_form_is_prefilled_from_the_application_page(staff_client):
    app = ApplicationFactory(approved=True)
    page = staff_client.get(app.get_absolute_url()).content.decode()
    add_url = reverse("programs:disbursement_add") + f"?application={app.pk}"
    assert add_url in page
    assert staff_client.get(add_url).context["form"].initial["application"] == str(app.pk)


def test_detail_page_shows_approved_disbursed_and_remaining(staff_client):
    app = ApplicationFactory(approved=True, approved_amount=Decimal("120"))
    DisbursementFactory(application=app, amount=Decimal("45.5"))
    DisbursementFactory(application=app, amount=Decimal("30"))
    response = staff_client.get(app.get_absolute_url())
    funds = response.context["funds"]
    assert (funds.approved, funds.disbursed, funds.remaining) == (Decimal("120"), Decimal("75.5"), Decimal("44.5"))
    page = response.content.decode()
    assert 'data-figure="approved">120<' in page
    assert 'data-figure="disbursed">75.5<' in page
    assert 'data-figure="remaining">44.5<' in page
