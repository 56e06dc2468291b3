"""No list's filter form loads a whole table: a choice over a table that grows is an autocomplete."""

import pytest
from django.urls import reverse
from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter

from bureau.records.urls import record_url
from bureau.records.widgets import AutocompleteSelect
from bureau.registry import registry
from tests.core.factories import PolicyFactory
from tests.programs.factories import ProgramFactory

# Short fixed lists a person picks from a menu (a county's towns, the certification kinds...).
LOOKUP_TABLES = {
    "enterprises.town",
    "enterprises.industry",
    "enterprises.certificationtype",
    "talent.platformtype",
}


def _choice_filters():
    for label, record in sorted(registry["records"].items()):
        if record.filterset is None:
            continue
        for name, flt in record.filterset.base_filters.items():
            if isinstance(flt, ModelChoiceFilter | ModelMultipleChoiceFilter):
                yield f"{label}.{name}", flt


def test_every_choice_filter_over_a_growing_table_is_an_autocomplete():
    loading = [
        name
        for name, flt in _choice_filters()
        if not isinstance(flt.extra.get("widget"), AutocompleteSelect)
        and flt.queryset.model._meta.label_lower not in LOOKUP_TABLES
    ]
    assert not loading, f"filters that put a whole table into the page: {loading}"


@pytest.mark.django_db
def test_a_list_page_renders_only_the_chosen_program_in_its_filter(staff_client):
    chosen = ProgramFactory(name="重点研发计划（沂源专项）")
    ProgramFactory(name="不应出现的计划")
    page = staff_client.get(record_url(chosen.applications.model, "list"), {"program": chosen.pk}).content.decode()
    assert "重点研发计划（沂源专项）" in page
    assert "不应出现的计划" not in page


@pytest.mark.django_db
def test_the_filter_autocomplete_finds_by_name_and_serves_only_declared_sources(staff_client):
    PolicyFactory(title="关于加快科技创新的若干措施", document_number="沂政发〔2021〕7号")
    PolicyFactory(title="人才新政十条")
    url = reverse("choice_autocomplete", kwargs={"source": "core.policy"})
    texts = [r["text"] for r in staff_client.get(url, {"q": "2021〕7"}).json()["results"]]
    assert texts == ["关于加快科技创新的若干措施"]
    assert staff_client.get(reverse("choice_autocomplete", kwargs={"source": "auth.user"})).status_code == 404


@pytest.mark.django_db
def test_the_filter_autocomplete_needs_a_login(client):
    response = client.get(reverse("choice_autocomplete", kwargs={"source": "programs.program"}), {"q": "计划"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_review_forms_pick_experts_and_calls_by_search_not_from_a_whole_table(reviewer_client):
    from bureau.accounts.roles import EXPERT
    from tests.conftest import _client_for, make_user
    from tests.programs.factories import CallFactory, ExpertFactory, ReviewRoundFactory

    review_round = ReviewRoundFactory()
    ExpertFactory(name="孙立华", field="现代农业", employer="省农业科学院")
    ExpertFactory(name="孙立华", field="新材料", employer="山东理工大学")  # a namesake
    ExpertFactory(name="孙立华", field="现代农业", employer="已停用的单位", active=False)
    CallFactory(title="不应出现的批次")
    page = reviewer_client.get(review_round.get_absolute_url()).content.decode()
    assert "孙立华" not in page and "不应出现的批次" not in page  # only a chosen option is rendered
    url = reverse("choice_autocomplete", kwargs={"source": "programs.expert.active"})
    texts = [r["text"] for r in reviewer_client.get(url, {"q": "孙立华"}).json()["results"]]
    assert sorted(texts) == ["孙立华（新材料，山东理工大学）", "孙立华（现代农业，省农业科学院）"]
    assert [r["text"] for r in reviewer_client.get(url, {"q": "理工"}).json()["results"]] == [
        "孙立华（新材料，山东理工大学）"
    ]
    # An outside expert may not search the pool (no view right on 专家库).
    response = _client_for(make_user(EXPERT)).get(url, {"q": "孙"})
    assert response.status_code == 403, response.status_code
