"""全市排名 as a record type (list, detail, form, history from the generic machinery), and the page
where staff write the lead and 亮点/补充 sentences of each area of 一、Y年工作完成情况."""

from __future__ import annotations

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from bureau.records.declarations import Record
from bureau.records.filtersets import RecordFilterSet, YearFilter
from bureau.records.forms import RecordForm
from bureau.records.tables import RecordTable
from bureau.registry import register_record, registry

from . import report_services
from .models import AnnualReport, CityRanking

CHANGE = "reports.change_annualreport"


def indicator_choices() -> list[tuple[str, str]]:
    return [(code, indicator.name) for code, indicator in registry["indicators"].items()]


class CityRankingForm(RecordForm):
    indicator = forms.ChoiceField(label="指标", choices=indicator_choices)

    class Meta:
        model = CityRanking
        fields = ["indicator", "year", "rank", "out_of", "subject", "source"]


class CityRankingTable(RecordTable):
    indicator = tables.Column(verbose_name="指标", accessor="indicator_name", order_by=("indicator",), linkify=True)

    class Meta(RecordTable.Meta):
        model = CityRanking
        fields = ("selection", "year", "indicator", "subject", "rank", "out_of", "source")


class CityRankingFilterSet(RecordFilterSet):
    year = YearFilter()
    search_fields = ("subject", "source", "indicator")

    class Meta:
        model = CityRanking
        fields = ["q", "year"]


@register_record
class CityRankingRecord(Record):
    model = CityRanking
    filterset = CityRankingFilterSet
    table = CityRankingTable
    form = CityRankingForm
    detail_fields = ("indicator", "year", "rank", "out_of", "subject", "source")
    export_fields = ("year", "indicator", "subject", "rank", "out_of", "source")
    url_base = "rankings/"
    menu_group = "统计与报告"
    menu_order = 60
    menu_icon = "bi-trophy"

    create_service = report_services.city_ranking_create
    update_service = report_services.city_ranking_update


# ---------------------------------------------------------------- the staff's sentences per area


class AreaTextsForm(forms.Form):
    """Two optional texts per area of 一、: its lead sentences and its 亮点/补充."""

    def __init__(self, *args, report: AnnualReport, **kwargs):
        super().__init__(*args, **kwargs)
        current = {t.area: t for t in report.area_texts.all()}
        self.areas = []
        for section in registry["report_sections"]:
            row = current.get(section.key)
            lead, highlight = f"lead_{section.key}", f"highlight_{section.key}"
            self.fields[lead] = forms.CharField(
                label="开头语",
                required=False,
                initial=row.lead if row else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="放在本部分生成文字之前",
            )
            self.fields[highlight] = forms.CharField(
                label="亮点/补充",
                required=False,
                initial=row.highlight if row else "",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="放在本部分生成文字之后，如“获批数量、资金位列全市第一”以外的亮点",
            )
            self.areas.append((section, self[lead], self[highlight]))

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            section.key: (self.cleaned_data[f"lead_{section.key}"], self.cleaned_data[f"highlight_{section.key}"])
            for section, _, _ in self.areas
        }


@permission_required(CHANGE, raise_exception=True)
def area_texts(request, pk: int):
    report = get_object_or_404(AnnualReport, pk=pk)
    form = AreaTextsForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            report_services.report_area_texts_save(actor=request.user, report_id=report.pk, texts=form.texts())
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "已保存各部分的开头语和亮点/补充。")
            return redirect(report.get_absolute_url())
    return render(request, "reports/report_area_texts.html", {"report": report, "form": form})


ranking_urlpatterns = [
    path("annual/<int:pk>/areas/", area_texts, name="annualreport_areas"),
]
