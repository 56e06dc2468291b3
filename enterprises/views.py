from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from bureau.records.declarations import Record
from bureau.records.views import RecordDetailView
from bureau.registry import register_record, registry

from .filtersets import CertificationFilterSet, EnterpriseFilterSet, NeedFilterSet, YearlyStatisticFilterSet
from .forms import CertificationForm, EnterpriseForm, NeedForm, YearlyStatisticForm
from .models import Certification, Enterprise, Need, YearlyStatistic
from .selectors import (
    EXPIRY_WARNING_DAYS,
    certificate_badges,
    certifications_expiring,
    current_certificates,
    enterprise_search,
)
from .services import (
    certification_create,
    certification_update,
    enterprise_create,
    enterprise_update,
    need_create,
    need_update,
    yearly_statistic_create,
    yearly_statistic_update,
)
from .tables import CertificationTable, EnterpriseTable, NeedTable, YearlyStatisticTable


class EnterpriseProfileView(RecordDetailView):
    """一企一档: key facts and certificate badges, then every registered profile section."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        user = self.request.user
        today = timezone.localdate()
        sections = []
        for section_class in registry["profile_sections"]:
            section = section_class()
            if not section.can_view(user) or not section.should_render(enterprise):
                continue
            sections.append(
                {
                    "section": section,
                    "title": section.title,
                    "anchor": section.anchor(),
                    "template_name": section.template_name,
                    "context": section.get_context(enterprise),
                    "add_url": section.add_url(enterprise, user),
                }
            )
        context.update(
            sections=sections,
            badges=certificate_badges(current_certificates(enterprise=enterprise, today=today), today=today),
            expiring=[
                (cert, (cert.expires_on - today).days)
                for cert in certifications_expiring(today=today, enterprise=enterprise)
            ],
            expiry_days=EXPIRY_WARNING_DAYS,
            today=today,
        )
        return context


@register_record
class EnterpriseRecord(Record):
    model = Enterprise
    document_kinds = (("business_license", "营业执照"), ("other", "其他"))
    queryset = Enterprise.objects.select_related("town", "industry")
    filterset = EnterpriseFilterSet
    table = EnterpriseTable
    form = EnterpriseForm
    detail_view = EnterpriseProfileView
    menu_group = "企业"
    menu_order = 10
    menu_icon = "bi-building"
    detail_fields = (
        "name",
        "credit_code",
        "town",
        "industry",
        "scale",
        "address",
        "contact",
        "phone",
        "founded_on",
        "notes",
    )

    create_service = enterprise_create
    update_service = enterprise_update


@register_record
class CertificationRecord(Record):
    model = Certification
    document_kinds = (("certificate", "证书"),)
    queryset = Certification.objects.select_related("enterprise", "type")
    filterset = CertificationFilterSet
    table = CertificationTable
    form = CertificationForm
    menu_group = "企业"
    menu_order = 20
    menu_icon = "bi-patch-check"

    create_service = certification_create
    update_service = certification_update


@register_record
class YearlyStatisticRecord(Record):
    model = YearlyStatistic
    queryset = YearlyStatistic.objects.select_related("enterprise")
    filterset = YearlyStatisticFilterSet
    table = YearlyStatisticTable
    form = YearlyStatisticForm
    url_base = "statistics/"
    menu_group = "企业"
    menu_order = 30
    menu_icon = "bi-graph-up"

    create_service = yearly_statistic_create
    update_service = yearly_statistic_update


@register_record
class NeedRecord(Record):
    model = Need
    queryset = Need.objects.select_related("enterprise", "handler")
    filterset = NeedFilterSet
    table = NeedTable
    form = NeedForm
    menu_group = "企业"
    menu_order = 40
    menu_icon = "bi-chat-square-text"

    create_service = need_create
    update_service = need_update


@require_GET
def enterprise_autocomplete(request):
    if not request.user.has_perm("enterprises.view_enterprise"):
        return JsonResponse({"results": []}, status=403)
    results = [
        {"id": e.pk, "text": f"{e.name}（{e.credit_code}）", "initials": e.name_initials}
        for e in enterprise_search(query=request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})
