"""Pages of 专家库, 科研诚信 and 专家评审 (issue 19).

Staff work on the round's page (score sheet, assignments by hand or by suggestion, ranking, .xlsx,
结束评审). An expert signs in and sees 我的评审 and the assignment pages of their own assignments:
nothing else (the 专家 role holds no record permission). Every write goes through review_services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from bureau.records.declarations import Record
from bureau.records.export import xlsx_response
from bureau.records.views import RecordDetailView
from bureau.registry import register_record

from . import review_selectors as selectors
from . import review_services as services
from .review_forms import (
    AssignForm,
    CriterionForm,
    DeclareForm,
    ExpertFilterSet,
    ExpertForm,
    IntegrityOverrideForm,
    IntegrityRecordFilterSet,
    IntegrityRecordForm,
    ReviewRoundFilterSet,
    ReviewRoundForm,
    SuggestForm,
    score_form,
)
from .review_models import AssignmentState, Expert, IntegrityRecord, ReviewAssignment, ReviewRound
from .review_tables import ExpertTable, IntegrityRecordTable, ReviewRoundTable

MENU = "专家评审"


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "".join(exc.messages)
    return str(exc) or "没有权限。"


class ReviewRoundDetailView(RecordDetailView):
    """The round: score sheet, assignments per application, ranking; each form posts ``op`` here."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = self.object
        user = self.request.user
        may_change = user.has_perm("programs.change_reviewround") and not round_.closed
        context.update(
            criteria=list(round_.criteria.all()),
            assignments=list(selectors.round_assignments(round_=round_)),
            ranking=selectors.review_ranking(round_=round_),
            may_change=may_change,
            may_close=user.has_perm("programs.review_reviewround") and not round_.closed,
            criterion_form=CriterionForm() if may_change else None,
            assign_form=AssignForm(round_=round_) if may_change else None,
            suggest_form=SuggestForm(round_=round_) if may_change else None,
            trim_from=selectors.TRIM_FROM,
        )
        if round_.closed:  # the services refuse every change of a closed round: offer none
            context.update(can_change=False, can_delete=False)
        return context

    def post(self, request, *args, **kwargs):
        round_ = self.object = self.get_object()
        op = request.POST.get("op", "")
        user = request.user
        try:
            if op == "criterion":
                form = CriterionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("请完整填写评分项、满分和权重。")
                services.score_criterion_add(actor=user, round_id=round_.pk, **form.cleaned_data)
                messages.success(request, "已添加评分项。")
            elif op == "criterion_remove":
                services.score_criterion_remove(actor=user, criterion_id=int(request.POST.get("criterion", 0)))
                messages.success(request, "已删除评分项。")
            elif op == "assign":
                form = AssignForm(request.POST, round_=round_)
                if not form.is_valid():
                    raise ValidationError("请选择项目和专家。")
                a = services.review_assign(actor=user, round_id=round_.pk, **form.cleaned_data)
                messages.success(request, "已指派专家%(e)s评审「%(app)s」。" % {"e": a.expert, "app": a.application})
            elif op == "suggest":
                form = SuggestForm(request.POST, round_=round_)
                if not form.is_valid():
                    raise ValidationError("请选择项目并填写人数。")
                made = services.review_assign_suggested(actor=user, round_id=round_.pk, **form.cleaned_data)
                messages.success(
                    request,
                    "已按建议指派%(n)d位专家：%(names)s。"
                    % {"n": len(made), "names": "、".join(a.expert.name for a in made)},
                )
            elif op == "unassign":
                services.review_unassign(actor=user, assignment_id=int(request.POST.get("assignment", 0)))
                messages.success(request, "已撤销指派。")
            elif op == "close":
                services.review_round_close(actor=user, round_id=round_.pk)
                messages.success(request, "评审已结束，评分已确定。")
            else:
                messages.error(request, "没有这个操作。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        return HttpResponseRedirect(round_.get_absolute_url())


RANKING_HEADERS = [
    "排名",
    "项目名称",
    "承担单位",
    "申请资金(万元)",
    "评分专家数",
    "各专家总分",
    "平均分",
    "极差",
    "建议",
]


def ranking_rows(ranking):
    for row in ranking:
        app = row.application
        yield [
            row.rank,
            app.title,
            app.lead_name,
            app.amount_requested,
            row.count,
            "、".join(str(t) for t in row.totals),
            row.average,
            row.spread,
            row.recommendation,
        ]


def review_ranking_export(request, pk: int):
    """The ranking table as .xlsx (the portal's download helper)."""
    if not request.user.has_perm("programs.view_reviewround"):
        raise PermissionDenied
    round_ = get_object_or_404(ReviewRound.objects.select_related("call", "call__program"), pk=pk)
    ranking = selectors.review_ranking(round_=round_)
    return xlsx_response(
        filename=f"{round_}排名表.xlsx",
        sheet_title="排名表",
        headers=RANKING_HEADERS,
        rows=ranking_rows(ranking),
    )


class IntegrityRecordDetailView(RecordDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        context["overrides"] = list(record.overrides.select_related("call", "call__program", "by"))
        if self.request.user.has_perm("programs.review_integrityrecord"):
            context["override_form"] = kwargs.get("override_form") or IntegrityOverrideForm()
        today = timezone.localdate()
        context["in_force"] = record.starts_on <= today and (record.ends_on is None or record.ends_on >= today)
        return context

    def post(self, request, *args, **kwargs):
        record = self.object = self.get_object()
        form = IntegrityOverrideForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(object=record, override_form=form))
        try:
            services.integrity_override_grant(actor=request.user, record=record, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request, "已对「%(call)s」例外放行，理由已记入审计日志。" % {"call": form.cleaned_data["call"]}
            )
        return HttpResponseRedirect(record.get_absolute_url())


# --- The expert's own pages ------------------------------------------------------------------


@require_GET
def my_reviews(request):
    """我的评审: the signed-in expert's assignments (none for an account not linked to the 专家库)."""
    expert = selectors.expert_for(request.user)
    assignments = list(selectors.my_assignments(expert=expert)) if expert is not None else []
    return render(request, "programs/review_my.html", {"expert": expert, "assignments": assignments})


def review_assignment(request, pk: int):
    """One assignment: the application as the expert needs it, the declaration, the score sheet.
    The expert of the assignment, or staff entering a paper sheet; 403 for anyone else."""
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related(
            "expert",
            "application",
            "application__enterprise",
            "application__program",
            "round",
            "round__call",
            "entered_by",
        ),
        pk=pk,
    )
    user = request.user
    own = assignment.expert.user_id == user.pk
    if not own and not user.has_perm("programs.view_reviewround"):
        raise PermissionDenied
    may_enter = own or user.has_perm("programs.change_reviewround")
    criteria = list(assignment.round.criteria.all())
    declare_form, sheet = DeclareForm(), None
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied
        op = request.POST.get("op")
        try:
            if op == "declare":
                declare_form = DeclareForm(request.POST)
                if declare_form.is_valid():
                    services.assignment_declare(actor=user, assignment_id=assignment.pk, **declare_form.cleaned_data)
                    messages.success(request, "已提交声明。")
                    return HttpResponseRedirect(request.path)
            elif op == "score":
                sheet = score_form(criteria, data=request.POST)
                if sheet.is_valid():
                    values = {c.pk: sheet.cleaned_data[f"c{c.pk}"] for c in criteria}
                    services.assignment_score(
                        actor=user, assignment_id=assignment.pk, values=values, comment=sheet.cleaned_data["comment"]
                    )
                    messages.success(request, "评分已保存。")
                    return HttpResponseRedirect(request.path)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
            return HttpResponseRedirect(request.path)
    if sheet is None:
        initial = {f"c{s.criterion_id}": s.value for s in assignment.scores.all()}
        initial["comment"] = assignment.comment
        sheet = score_form(criteria, initial=initial)
    return render(
        request,
        "programs/review_assignment.html",
        {
            "a": assignment,
            "app": assignment.application,
            "own": own,
            "may_enter": may_enter and not assignment.round.closed,
            "declare_form": declare_form,
            "sheet": sheet,
            "criteria": criteria,
            "State": AssignmentState,
            "back_url": reverse("programs:my_reviews") if own else assignment.round.get_absolute_url(),
        },
    )


# --- Record declarations ----------------------------------------------------------------------


@register_record
class ExpertRecord(Record):
    model = Expert
    queryset = Expert.objects.select_related("employer_enterprise", "user")
    filterset = ExpertFilterSet
    table = ExpertTable
    form = ExpertForm
    menu_group = MENU
    menu_order = 10
    menu_icon = "bi-person-badge"
    create_service = services.expert_create
    update_service = services.expert_update


@register_record
class ReviewRoundRecord(Record):
    model = ReviewRound
    queryset = ReviewRound.objects.select_related("call", "call__program", "closed_by")
    filterset = ReviewRoundFilterSet
    table = ReviewRoundTable
    form = ReviewRoundForm
    detail_view = ReviewRoundDetailView
    detail_fields = ("call", "recommend_score", "note")  # when and by whom it was closed: the page's notice
    menu_group = MENU
    menu_order = 20
    menu_icon = "bi-clipboard-data"
    create_service = services.review_round_create
    update_service = services.review_round_update
    delete_service = staticmethod(services.review_round_delete)


@register_record
class IntegrityRecordRecord(Record):
    model = IntegrityRecord
    queryset = IntegrityRecord.objects.select_related("enterprise", "expert")
    filterset = IntegrityRecordFilterSet
    table = IntegrityRecordTable
    form = IntegrityRecordForm
    detail_view = IntegrityRecordDetailView
    menu_group = MENU
    menu_order = 30
    menu_icon = "bi-shield-exclamation"
    create_service = services.integrity_record_create
    update_service = services.integrity_record_update
