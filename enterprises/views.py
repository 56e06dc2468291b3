from django.http import JsonResponse
from django.views.decorators.http import require_GET

from bureau.records.declarations import Record
from bureau.registry import register_record

from .filtersets import EnterpriseFilterSet
from .forms import EnterpriseForm
from .models import Enterprise
from .selectors import enterprise_search
from .tables import EnterpriseTable


@register_record
class EnterpriseRecord(Record):
    model = Enterprise
    queryset = Enterprise.objects.select_related("town", "industry")
    filterset = EnterpriseFilterSet
    table = EnterpriseTable
    form = EnterpriseForm
    menu_group = "企业"
    menu_order = 10
    menu_icon = "bi-building"


@require_GET
def enterprise_autocomplete(request):
    if not request.user.has_perm("enterprises.view_enterprise"):
        return JsonResponse({"results": []}, status=403)
    results = [
        {"id": e.pk, "text": f"{e.name}（{e.credit_code}）"} for e in enterprise_search(query=request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})
