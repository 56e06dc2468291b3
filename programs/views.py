"""Record declarations of the programs app, the application page with its workflow buttons, batch actions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from bureau.accounts.display import user_display
from bureau.records.declarations import Record
from bureau.records.urls import record_url
from bureau.records.views import RecordDetailView
from bureau.registry import register_record

from . import selectors, services
from .filtersets import (
    AchievementFilterSet,
    ApplicationFilterSet,
    AwardFilterSet,
    CallFilterSet,
    DisbursementFilterSet,
    ProgramFilterSet,
    RewardFilterSet,
)
from .forms import (
    AchievementForm,
    ApplicationForm,
    AwardForm,
    CallForm,
    ChangeDecisionForm,
    ChangeRequestForm,
    DisbursementForm,
    MilestoneForm,
    ObjectionForm,
    ObjectionHandleForm,
    ProgramForm,
    PublicityForm,
    ReassignForm,
    RewardForm,
    transition_form,
)
from .models import Achievement, Application, Award, Call, Disbursement, Program, Reward, Track
from .services import application_recommend_many, application_transition
from .tables import (
    AchievementTable,
    ApplicationTable,
    AwardTable,
    CallTable,
    DisbursementTable,
    ProgramTable,
    RewardTable,
    status_badge,
)
from .workflow import FUNDABLE_STATES, action_label, workflow_for

MENU = "项目与资金"

# Fields of the 县级立项 track, left off the page of a 推荐上报 application.
COUNTY_ONLY = (
    "contract_signed_on",
    "first_payment_percent",
    "midterm_payment_percent",
    "midterm_due_on",
    "midterm_checked_on",
    "midterm_result",
    "midterm_rectify_due_on",
    "performance_score",
    "performance_grade",
)
COUNTY_ONLY_LABELS = {Application._meta.get_field(name).verbose_name for name in COUNTY_ONLY}


class ApplicationDetailView(RecordDetailView):
    """The application page: facts, approved vs disbursed, the track's stages, the workflow timeline
    and its buttons; for a 县级立项 application also its 形式审查, 公示异议, 任务书节点 and 变更.

    A button posts ``action`` (and the state the user saw) back to this page; the one service decides.
    A 县级 step's form posts ``step`` (objection, milestone, change…) to its service.
    """

    def get_context_data(self, *, bound_form=None, step_forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        app = self.object
        user = self.request.user
        county = app.program.track == Track.COUNTY
        steps = selectors.application_county_steps(application=app) if county else None
        # One lead: the enterprise, or (when it is not an enterprise) the institution.
        unused = Application._meta.get_field("institution" if app.enterprise_id else "enterprise").verbose_name
        hidden = {unused} if county else {unused, *COUNTY_ONLY_LABELS}
        context["fields"] = [(label, value) for label, value in context["fields"] if label not in hidden]
        forms = []
        for t in selectors.application_transitions_for(application=app, user=user):
            form = bound_form if bound_form is not None and bound_form.transition is t else None
            forms.append((t, form or transition_form(t, application=app, checklist=steps and steps.checklist)))
        may_change = user.has_perm("programs.change_application")
        is_reviewer = user.has_perm("programs.review_application")
        step_forms = step_forms or {}
        context.update(
            logs=[
                (log, action_label(log.action, track=app.program.track))
                for log in selectors.application_logs(application=app)
            ],
            stages=selectors.application_stages(application=app),
            county=steps,
            funds_model=Disbursement,
            funds=selectors.application_funds(application=app),
            transition_forms=forms,
            open_action=bound_form.transition.action if bound_form is not None else "",
            status_badge=status_badge(app),
            can_disburse=app.status in FUNDABLE_STATES and user.has_perm("programs.add_disbursement"),
            reassign_form=(ReassignForm(initial={"handler": app.handler_id}) if is_reviewer else None),
        )
        if county:
            S = Application.Status
            running = app.status in (S.APPROVED, S.IN_PROGRESS)
            context.update(
                objection_form=(
                    step_forms.get("objection", ObjectionForm(prefix="objection"))
                    if may_change and app.status == S.PUBLICITY
                    else None
                ),
                objection_handle=is_reviewer,
                milestone_form=(
                    step_forms.get("milestone", MilestoneForm(prefix="milestone")) if may_change and running else None
                ),
                change_form=(
                    step_forms.get("change", ChangeRequestForm(prefix="change"))
                    if may_change and running and not any(r.status == "pending" for r in steps.change_requests)
                    else None
                ),
                change_decide=is_reviewer,
            )
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        app = self.object
        if "step" in request.POST:
            return self._post_step(request, app, request.POST["step"])
        transition = workflow_for(app).get(request.POST.get("action", ""))
        if transition is None:
            messages.error(request, "没有这个操作。")
            return HttpResponseRedirect(app.get_absolute_url())
        checklist = services.checklist_of(app) if transition.step == "formal_review" else None
        form = transition_form(transition, application=app, data=request.POST, checklist=checklist)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(object=app, bound_form=form))
        try:
            if transition.step == "formal_review":
                services.formal_review_record(
                    actor=request.user,
                    application_id=app.pk,
                    failed_items=form.failed_items(),
                    comment=form.cleaned_data["comment"],
                    expected_status=form.cleaned_data["expected_status"] or None,
                )
            else:
                application_transition(
                    application_id=app.pk,
                    action=transition.action,
                    actor=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_status=form.cleaned_data["expected_status"] or None,
                    data=form.transition_data(),
                )
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "没有权限执行该操作。")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                # A field the step records is wrong: show it next to the field, keep what was typed.
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                self.object = Application.objects.get(pk=app.pk)
                return self.render_to_response(self.get_context_data(object=self.object, bound_form=form))
            messages.error(request, "".join(exc.messages))
        else:
            messages.success(request, "已执行「%(action)s」。" % {"action": transition.label})
        return HttpResponseRedirect(app.get_absolute_url())

    def _post_step(self, request, app, step: str):
        """A 县级 step with its own record: bind its form, call its service, show what it refused."""
        forms_by_step = {
            "objection": lambda: ObjectionForm(request.POST, prefix="objection"),
            "objection_handle": lambda: ObjectionHandleForm(request.POST, prefix="handle"),
            "milestone": lambda: MilestoneForm(request.POST, prefix="milestone"),
            "change": lambda: ChangeRequestForm(request.POST, prefix="change"),
            "change_decide": lambda: ChangeDecisionForm(request.POST, prefix="decide"),
        }
        if step not in forms_by_step:
            messages.error(request, "没有这个操作。")
            return HttpResponseRedirect(app.get_absolute_url())
        form = forms_by_step[step]()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(object=app, step_forms={step: form}))
        data, actor = form.cleaned_data, request.user
        calls = {
            "objection": lambda: services.objection_record(actor=actor, application_id=app.pk, **data),
            "objection_handle": lambda: services.objection_handle(
                actor=actor, objection_id=data["objection"], handling=data["handling"]
            ),
            "milestone": lambda: services.milestone_add(actor=actor, application_id=app.pk, **data),
            "change": lambda: services.change_request_create(actor=actor, application_id=app.pk, **data),
            "change_decide": lambda: services.change_request_decide(
                actor=actor,
                request_id=data["request"],
                approve=data["approve"],
                comment=data["comment"],
                funds_returned=data["funds_returned"],
                funds_returned_on=data["funds_returned_on"],
            ),
        }
        try:
            calls[step]()
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "没有权限执行该操作。")
        except ValidationError as exc:
            messages.error(request, "".join(exc.messages))
        else:
            messages.success(request, "已保存。")
        return HttpResponseRedirect(app.get_absolute_url())


class CallPublicityView(PermissionRequiredMixin, View):
    """公示 of a call: its period and the proposed projects (a page to print or publish), objections;
    a 股室负责人 sets the period and lists the projects that passed 专家评审."""

    permission_required = "programs.view_application"
    template_name = "programs/call_publicity.html"

    def get(self, request, pk: int, *args, form=None, **kwargs):
        call = get_object_or_404(Call.objects.select_related("program"), pk=pk)
        may_open = request.user.has_perm("programs.review_application")
        if form is None and may_open:
            form = PublicityForm(call=call, initial={"starts_on": call.publicity_starts_on or timezone.localdate()})
        return render(
            request,
            self.template_name,
            {
                "call": call,
                "applications": selectors.call_publicity(call=call),
                "form": form if may_open else None,
                "today": timezone.localdate(),
                "working_days": settings.PROGRAM_PUBLICITY_WORKING_DAYS,
            },
        )

    def post(self, request, pk: int, *args, **kwargs):
        call = get_object_or_404(Call, pk=pk)
        form = PublicityForm(request.POST, call=call)
        if not form.is_valid():
            return self.get(request, pk, form=form)
        try:
            moved = services.publicity_open(
                actor=request.user,
                call=call,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                application_ids=[a.pk for a in form.cleaned_data["applications"]],
                comment=form.cleaned_data["comment"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, "".join(exc.messages))
        else:
            call.refresh_from_db()
            messages.success(
                request,
                "公示期%(start)s至%(end)s，%(n)d个项目列入公示。"
                % {"start": call.publicity_starts_on, "end": call.publicity_ends_on, "n": len(moved)},
            )
        return HttpResponseRedirect(reverse("programs:call_publicity", args=[call.pk]))


class ApplicationReassignView(PermissionRequiredMixin, View):
    """更换经办人: a reviewer hands the application to someone else, who is notified."""

    permission_required = "programs.review_application"
    http_method_names = ["post"]

    def post(self, request, pk: int, *args, **kwargs):
        app = Application.objects.filter(pk=pk).first()
        if app is None:
            raise Http404
        form = ReassignForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择经办人。")
            return HttpResponseRedirect(app.get_absolute_url())
        try:
            services.application_reassign(
                actor=request.user, application_id=app.pk, handler=form.cleaned_data["handler"]
            )
        except ValidationError as exc:
            messages.error(request, "".join(exc.messages))
        else:
            messages.success(request, "经办人已改为%(name)s。" % {"name": user_display(form.cleaned_data["handler"])})
        return HttpResponseRedirect(app.get_absolute_url())


class ApplicationBatchRecommendView(PermissionRequiredMixin, View):
    """推荐所选: the workflow service per application, all or nothing."""

    permission_required = "programs.review_application"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pks = [int(pk) for pk in request.POST.getlist("pk") if pk.isdigit()]
        list_url = record_url(Application, "list")
        if not pks:
            messages.warning(request, "请先勾选要推荐的项目。")
            return HttpResponseRedirect(list_url)
        try:
            count = application_recommend_many(
                actor=request.user, application_ids=pks, comment=request.POST.get("comment", "")
            )
        except ValidationError as exc:
            messages.error(request, "".join(exc.messages))
        else:
            messages.success(request, "已推荐上报 %(n)d 个项目。" % {"n": count})
        return HttpResponseRedirect(list_url)


@register_record
class ProgramRecord(Record):
    model = Program
    filterset = ProgramFilterSet
    table = ProgramTable
    form = ProgramForm
    menu_group = MENU
    menu_order = 10
    menu_icon = "bi-journal-bookmark"
    create_service = services.program_create
    update_service = services.program_update


@register_record
class CallRecord(Record):
    model = Call
    queryset = Call.objects.select_related("program")
    filterset = CallFilterSet
    table = CallTable
    form = CallForm
    menu_group = MENU
    menu_order = 20
    menu_icon = "bi-calendar-range"
    create_service = services.call_create
    update_service = services.call_update


@register_record
class ApplicationRecord(Record):
    model = Application
    document_kinds = (
        ("proposal", "申报书"),
        ("recommendation", "推荐函"),
        ("approval_notice", "立项通知"),
        ("contract", "任务书/合同"),
        ("payment_voucher", "拨付凭证"),
        ("midterm_report", "中期报告"),
        ("acceptance_report", "验收报告"),
        ("other", "其他"),
    )
    queryset = selectors.application_queryset()
    filterset = ApplicationFilterSet
    table = ApplicationTable
    form = ApplicationForm
    detail_view = ApplicationDetailView
    menu_group = MENU
    menu_order = 30
    menu_icon = "bi-clipboard-check"
    detail_fields = (
        "title",
        "enterprise",
        "institution",
        "program",
        "call",
        "year",
        "amount_requested",
        "handler",
        "status",
        "recommended_on",
        "approved_on",
        "approval_number",
        "approved_amount",
        "contract_number",
        "contract_signed_on",
        "first_payment_percent",
        "midterm_payment_percent",
        "midterm_due_on",
        "midterm_checked_on",
        "midterm_result",
        "midterm_rectify_due_on",
        "acceptance_due_on",
        "accepted_on",
        "acceptance_result",
        "performance_score",
        "performance_grade",
        "summary",
    )
    export_fields = (
        "title",
        "lead_name",
        "program",
        "program_level",
        "year",
        "amount_requested",
        "status",
        "recommended_on",
        "approved_on",
        "approval_number",
        "approved_amount",
        "contract_number",
        "acceptance_due_on",
        "accepted_on",
        "acceptance_result",
    )

    create_service = services.application_create
    update_service = services.application_update


@register_record
class DisbursementRecord(Record):
    model = Disbursement
    queryset = Disbursement.objects.select_related("application")
    filterset = DisbursementFilterSet
    table = DisbursementTable
    form = DisbursementForm
    menu_group = MENU
    menu_order = 40
    menu_icon = "bi-cash-stack"

    create_service = services.disbursement_create
    update_service = services.disbursement_update


@register_record
class RewardRecord(Record):
    model = Reward
    queryset = Reward.objects.select_related("enterprise", "policy")
    filterset = RewardFilterSet
    table = RewardTable
    form = RewardForm
    menu_group = MENU
    menu_order = 50
    menu_icon = "bi-wallet2"
    create_service = services.reward_create
    update_service = services.reward_update


@register_record
class AwardRecord(Record):
    model = Award
    queryset = Award.objects.select_related("enterprise")
    filterset = AwardFilterSet
    table = AwardTable
    form = AwardForm
    menu_group = MENU
    menu_order = 60
    menu_icon = "bi-trophy"
    create_service = services.award_create
    update_service = services.award_update


@register_record
class AchievementRecord(Record):
    model = Achievement
    queryset = Achievement.objects.select_related("enterprise")
    filterset = AchievementFilterSet
    table = AchievementTable
    form = AchievementForm
    menu_group = MENU
    menu_order = 70
    menu_icon = "bi-lightbulb"
    create_service = services.achievement_create
    update_service = services.achievement_update
