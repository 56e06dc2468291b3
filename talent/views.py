from django.http import JsonResponse
from django.views.decorators.http import require_GET

from bureau.records.declarations import Record
from bureau.records.urls import record_url
from bureau.records.views import RecordDetailView
from bureau.registry import register_record

from . import selectors, services
from .filtersets import (
    CommissionerFilterSet,
    CooperationAgreementFilterSet,
    InstitutionFilterSet,
    PersonFilterSet,
    PlatformEvaluationFilterSet,
    PlatformFilterSet,
    SecondmentFilterSet,
    TalentSelectionFilterSet,
)
from .forms import (
    CommissionerForm,
    CooperationAgreementForm,
    InstitutionForm,
    PersonForm,
    PlatformEvaluationForm,
    PlatformForm,
    SecondmentForm,
    TalentSelectionForm,
)
from .models import (
    Commissioner,
    CooperationAgreement,
    Institution,
    Person,
    Platform,
    PlatformEvaluation,
    Secondment,
    TalentSelection,
)
from .tables import (
    CommissionerTable,
    CooperationAgreementTable,
    InstitutionTable,
    PersonTable,
    PlatformEvaluationTable,
    PlatformTable,
    SecondmentTable,
    TalentSelectionTable,
)

MENU = "人才与平台"


class PersonDetailView(RecordDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.person_roles(person=self.object))
        return context


class PlatformDetailView(RecordDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["evaluations"] = selectors.platform_evaluations(platform=self.object)
        may_add = self.object.is_established and user.has_perm(PlatformEvaluationRecord.permission("add"))
        context["add_evaluation_url"] = (
            record_url(PlatformEvaluation, "add", platform=self.object.pk) if may_add else None
        )
        return context


@register_record
class PersonRecord(Record):
    model = Person
    queryset = selectors.person_list()
    filterset = PersonFilterSet
    table = PersonTable
    form = PersonForm
    detail_view = PersonDetailView
    menu_group = MENU
    menu_order = 10
    menu_icon = "bi-person-badge"
    create_service = services.person_create
    update_service = services.person_update


@register_record
class TalentSelectionRecord(Record):
    model = TalentSelection
    queryset = selectors.talent_selection_list()
    filterset = TalentSelectionFilterSet
    table = TalentSelectionTable
    form = TalentSelectionForm
    url_base = "selections/"
    menu_group = MENU
    menu_order = 20
    menu_icon = "bi-award"

    create_service = services.talent_selection_create
    update_service = services.talent_selection_update


@register_record
class CommissionerRecord(Record):
    model = Commissioner
    queryset = selectors.commissioner_list()
    filterset = CommissionerFilterSet
    table = CommissionerTable
    form = CommissionerForm
    menu_group = MENU
    menu_order = 30
    menu_icon = "bi-person-walking"
    create_service = services.commissioner_create
    update_service = services.commissioner_update


@register_record
class SecondmentRecord(Record):
    model = Secondment
    queryset = selectors.secondment_list()
    filterset = SecondmentFilterSet
    table = SecondmentTable
    form = SecondmentForm
    menu_group = MENU
    menu_order = 40
    menu_icon = "bi-briefcase"
    create_service = services.secondment_create
    update_service = services.secondment_update


@register_record
class PlatformRecord(Record):
    model = Platform
    document_kinds = (("certification_document", "认定文件"), ("evaluation_report", "评估报告"))
    queryset = selectors.platform_list()
    filterset = PlatformFilterSet
    table = PlatformTable
    form = PlatformForm
    detail_view = PlatformDetailView
    menu_group = MENU
    menu_order = 50
    menu_icon = "bi-buildings"

    create_service = services.platform_create
    update_service = services.platform_update


@register_record
class PlatformEvaluationRecord(Record):
    model = PlatformEvaluation
    queryset = selectors.platform_evaluation_list()
    filterset = PlatformEvaluationFilterSet
    table = PlatformEvaluationTable
    form = PlatformEvaluationForm
    url_base = "evaluations/"
    menu_group = MENU
    menu_order = 60
    menu_icon = "bi-clipboard-check"

    create_service = services.platform_evaluation_create
    update_service = services.platform_evaluation_update


@register_record
class CooperationAgreementRecord(Record):
    model = CooperationAgreement
    document_kinds = (("agreement_text", "协议文本"),)
    queryset = selectors.cooperation_agreement_list()
    filterset = CooperationAgreementFilterSet
    table = CooperationAgreementTable
    form = CooperationAgreementForm
    detail_fields = (
        "title",
        "enterprises",
        "county_government",
        "institutions",
        "state",
        "signed_on",
        "funds",
        "content",
    )
    url_base = "agreements/"
    menu_group = MENU
    menu_order = 70
    menu_icon = "bi-people"

    create_service = services.cooperation_agreement_create
    update_service = services.cooperation_agreement_update


@require_GET
def person_autocomplete(request):
    if not request.user.has_perm("talent.view_person"):
        return JsonResponse({"results": []}, status=403)
    results = [
        {"id": p.pk, "text": f"{p.name}（{p.employer}）" if p.employer else p.name}
        for p in selectors.person_search(query=request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})


@register_record
class InstitutionRecord(Record):
    """高校院所: staff add a new university or institute while entering agreements and people."""

    model = Institution
    filterset = InstitutionFilterSet
    table = InstitutionTable
    form = InstitutionForm
    menu_group = MENU
    menu_order = 90
    menu_icon = "bi-bank"
    create_service = services.institution_create
    update_service = services.institution_update
