"""Entry that helps: a duplicate credit code names its enterprise, pasted codes are normalised, amounts
show without the column's trailing zeros."""

from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.forms import EnterpriseForm, YearlyStatisticForm
from tests.enterprises.factories import (
    EnterpriseFactory,
    IndustryFactory,
    TownFactory,
    YearlyStatisticFactory,
    credit_code,
)

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "name": "沂源新材料科技有限公司",
        "credit_code": credit_code(900),
        "town": TownFactory().pk,
        "industry": IndustryFactory().pk,
        "scale": "above",
    }
    data.update(overrides)
    return data


def test_duplicate_credit_code_names_and_links_the_enterprise_that_has_it(staff_client):
    existing = EnterpriseFactory(name="鲁中精密机械有限公司")
    response = staff_client.post(reverse("enterprises:enterprise_add"), _data(credit_code=existing.credit_code))
    page = response.content.decode()
    assert response.status_code == 200
    assert "鲁中精密机械有限公司" in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert "已存在" not in page


def test_pasted_credit_code_with_blanks_and_lower_case_is_accepted_as_its_18_characters(staff_client):
    code = credit_code(901)
    response = staff_client.post(reverse("enterprises:enterprise_add"), _data(credit_code=f" \u3000{code.lower()} "))
    assert response.status_code == 302
    assert EnterpriseFactory._meta.model.objects.filter(credit_code=code).exists()


def test_credit_code_input_has_no_maxlength_that_would_cut_a_pasted_code():
    html = str(EnterpriseForm()["credit_code"])
    assert "maxlength" not in html


def test_amounts_in_an_edit_form_show_without_trailing_zeros():
    stat = YearlyStatisticFactory(
        rd_expenditure=Decimal("60"), revenue=Decimal("60.5"), industrial_output=Decimal("60.25")
    )
    stat.refresh_from_db()
    form = YearlyStatisticForm(instance=stat)
    assert 'value="60"' in str(form["rd_expenditure"])
    assert 'value="60.5"' in str(form["revenue"])
    assert 'value="60.25"' in str(form["industrial_output"])


def test_change_history_shows_amounts_without_trailing_zeros(staff_client):
    stat = YearlyStatisticFactory(rd_expenditure=Decimal("60"))
    stat.rd_expenditure = Decimal("60.5")
    stat.save()
    page = staff_client.get(stat.get_absolute_url()).content.decode()
    assert "60.0000" not in page and "60.5000" not in page
    assert "60.5" in page


def test_fields_whose_meaning_is_not_obvious_explain_themselves_on_the_form(staff_client, admin_client_):
    page = staff_client.get(reverse("enterprises:yearlystatistic_add")).content.decode()
    assert "统计年报“研发经费支出”口径" in page
    page = admin_client_.get(reverse("core:countyyear_add")).content.decode()
    assert "规模以上工业企业" in page
