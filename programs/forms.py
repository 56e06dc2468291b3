from django import forms
from django.contrib.auth import get_user_model

from bureau.accounts.fields import UserChoiceField
from bureau.accounts.roles import REVIEWER, STAFF, group_name
from bureau.core.models import Policy
from bureau.records.forms import DateInput, RecordForm
from enterprises.forms import EnterpriseChoiceField

from .models import (
    Achievement,
    Application,
    Award,
    Call,
    ChangeRequest,
    Disbursement,
    Milestone,
    Objection,
    Program,
    Reward,
)
from .workflow import FUNDABLE_STATES, Transition


def handler_queryset():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[group_name(STAFF), group_name(REVIEWER)])
        .distinct()
        .order_by("first_name", "username")
    )


def program_label(program: Program) -> str:
    """Programs of the same name exist at several levels (省/市): show which one."""
    return f"{program.name}（{program.get_level_display()}）"


class ProgramForm(RecordForm):
    field_help = {
        "category": "研发、人才、平台、奖励或补助；类别为人才的计划是人才工程可选的计划",
        "active": "计划是否仍在发布；不再发布的计划取消勾选即可，不要删除（历年项目仍引用它）",
        "authority": "发布计划的上级主管部门，如省科技厅",
    }

    class Meta:
        model = Program
        fields = ["name", "level", "category", "track", "authority", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].required = False  # unsaid: 推荐上报, as before the 县级立项 track existed

    def clean_track(self):
        return self.cleaned_data.get("track") or Program._meta.get_field("track").default


class CallForm(RecordForm):
    field_help = {
        "closes_on": "截止前14天起，科员的待办中会提醒",
    }

    class Meta:
        model = Call
        fields = ["program", "year", "title", "opens_on", "closes_on", "checklist", "correction_days"]
        widgets = {"checklist": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].label_from_instance = program_label
        self.fields["correction_days"].required = False

    def clean_correction_days(self):
        value = self.cleaned_data.get("correction_days")
        return Call._meta.get_field("correction_days").default if value is None else value


class ApplicationForm(RecordForm):
    """The application's own data. The status is not here: it moves only through the workflow buttons."""

    field_help = {
        "handler": "负责这个项目的工作人员，收到退回、立项等通知；只有股室负责人可以更换",
        "acceptance_due_on": "任务书约定的验收期限；到期前60天起经办人的待办中会提醒",
        "call": "申报的批次；选了批次时科技计划按批次填写",
    }

    accepts_user = True
    enterprise = EnterpriseChoiceField(label="承担企业", required=False)
    handler = UserChoiceField(queryset=handler_queryset(), label="经办人", required=False)

    class Meta:
        model = Application
        fields = [
            "title",
            "enterprise",
            "institution",
            "program",
            "call",
            "year",
            "amount_requested",
            "handler",
            "approval_number",
            "contract_number",
            "acceptance_due_on",
            "summary",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "program": "选择申报批次时可不填，按批次所属计划登记",
            "year": "选择申报批次时可不填，按批次年度登记",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["handler"].queryset = handler_queryset()
        self.fields["call"].queryset = Call.objects.select_related("program")
        self.fields["program"].required = False
        self.fields["program"].label_from_instance = program_label
        self.fields["year"].required = False
        if self.instance.pk is None and user is not None and "handler" not in self.initial:
            self.initial["handler"] = user.pk
        if self.instance.pk is not None and user is not None and not user.has_perm("programs.review_application"):
            # 经办人 is changed by a reviewer (更换经办人); the service refuses it from anyone else.
            self.fields["handler"].disabled = True
            self.fields["handler"].help_text = "由股室负责人更换"

    def clean(self):
        cleaned = super().clean()
        call = cleaned.get("call")
        if call is not None:
            if cleaned.get("program") is None:
                cleaned["program"] = call.program
            if cleaned.get("year") is None:
                cleaned["year"] = call.year
        if cleaned.get("program") is None and "program" not in self.errors:
            self.add_error("program", "请选择科技计划（或选择申报批次）。")
        if cleaned.get("year") is None and "year" not in self.errors:
            self.add_error("year", "请填写年度（或选择申报批次）。")
        return cleaned


class DisbursementForm(RecordForm):
    field_help = {
        "amount": "本次拨付的金额；同一项目累计拨付不能超过获批资金",
    }

    class Meta:
        model = Disbursement
        fields = ["application", "amount", "paid_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Application.objects.filter(status__in=FUNDABLE_STATES)
        if self.instance.application_id:
            qs = Application.objects.filter(pk=self.instance.application_id) | qs
        self.fields["application"].queryset = qs.order_by("-year", "title")
        self.fields["application"].help_text = "只能选择已立项、实施中或已验收的项目"


class RewardForm(RecordForm):
    field_help = {
        "policy": "兑现所依据的县级政策文件",
        "kind": "研发补贴、高企奖励、平台奖励、人才奖励或其他",
    }

    enterprise = EnterpriseChoiceField()

    class Meta:
        model = Reward
        fields = ["enterprise", "policy", "kind", "amount", "paid_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = Policy.objects.order_by("-issued_on")


class AwardForm(RecordForm):
    field_help = {
        "person": "获奖者不是本县企业时填写个人或单位名称",
        "grade": "一等奖、二等奖等",
    }

    enterprise = EnterpriseChoiceField(label="获奖企业", required=False)

    class Meta:
        model = Award
        fields = ["enterprise", "person", "name", "project", "level", "grade", "year"]


class AchievementForm(RecordForm):
    field_help = {
        "registration_number": "科技成果登记证书上的登记号",
        "transformed_on": "成果转化（转让、许可、作价入股、自行或合作实施）的日期；尚未转化留空",
        "transform_mode": "尚未转化留空",
    }

    enterprise = EnterpriseChoiceField(label="完成企业")

    class Meta:
        model = Achievement
        fields = ["title", "enterprise", "registration_number", "registered_on", "transformed_on", "transform_mode"]


class TransitionForm(forms.Form):
    """One workflow step: the comment, the state the user saw, and the fields the step records."""

    # The state the page showed; the service refuses the step if it has changed since (the page always sends it).
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    transition: Transition

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = self.transition.comment_required
        if self.transition.comment_required:
            self.fields["comment"].label = "意见（必填）"

    def transition_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.transition.fields}


def transition_form_class(transition: Transition) -> type[TransitionForm]:
    """A form for ``transition``, its extra fields taken from the Application model."""
    attrs = {"transition": transition}
    for name in transition.fields:
        model_field = Application._meta.get_field(name)
        field = model_field.formfield(required=name in transition.required)
        field.error_messages["required"] = "请填写%(field)s。" % {"field": model_field.verbose_name}
        if isinstance(field, forms.DateField):
            field.widget = DateInput()
        attrs[name] = field
    return type(f"{transition.action.title()}TransitionForm", (TransitionForm,), attrs)


def transition_form(
    transition: Transition, *, application: Application, data=None, checklist: list[str] | None = None
) -> TransitionForm:
    if transition.step == "formal_review":
        return FormalReviewForm(
            data=data,
            prefix=transition.action,
            initial={"expected_status": application.status},
            transition=transition,
            checklist=checklist or [],
        )
    return transition_form_class(transition)(
        data=data, prefix=transition.action, initial={"expected_status": application.status}
    )


class FormalReviewForm(TransitionForm):
    """形式审查 against the call's checklist: 通过 needs every item ticked, 退回补正 the failed ones."""

    items = forms.MultipleChoiceField(label="审查项目", widget=forms.CheckboxSelectMultiple, required=True)

    def __init__(self, *args, transition: Transition, checklist: list[str], **kwargs):
        self.transition = transition
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        self.fields["items"].choices = [(item, item) for item in checklist]
        if transition.action == "formal_return":
            self.fields["items"].label = "不合格项（勾选须补正的项目）"
            self.fields["items"].error_messages["required"] = "请勾选不合格的项目。"
        else:
            self.fields["items"].label = "逐项核对（全部合格方可通过）"
            self.fields["items"].error_messages["required"] = "请逐项核对审查项目。"

    def clean_items(self):
        items = self.cleaned_data["items"]
        if self.transition.action == "formal_pass" and set(items) != set(self.checklist):
            missing = [i for i in self.checklist if i not in items]
            raise forms.ValidationError(
                "以下项目未核对为合格：%(items)s；不合格请选择「退回补正」。" % {"items": "、".join(missing)}
            )
        return items

    def failed_items(self) -> list[str]:
        return self.cleaned_data["items"] if self.transition.action == "formal_return" else []

    def transition_data(self) -> dict:
        return {}


class PublicityForm(forms.Form):
    """列入公示: the call's period (end by default after N working days) and the projects proposed."""

    starts_on = forms.DateField(label="公示开始日期", widget=DateInput())
    ends_on = forms.DateField(
        label="公示结束日期", required=False, widget=DateInput(), help_text="不填则按工作日自动计算"
    )
    applications = forms.ModelMultipleChoiceField(
        label="拟立项项目", queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = Application.objects.filter(
            call=call, status=Application.Status.EXPERT_REVIEW
        ).order_by("title")


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["received_on", "raised_by", "content"]
        widgets = {"received_on": DateInput(), "content": forms.Textarea(attrs={"rows": 2})}


class ObjectionHandleForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    handling = forms.CharField(label="处理情况", widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["content", "due_on", "deliverable"]
        widgets = {"due_on": DateInput()}


class ChangeRequestForm(forms.ModelForm):
    class Meta:
        model = ChangeRequest
        fields = ["kind", "reason", "new_end_on", "new_content"]
        widgets = {
            "new_end_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "new_content": forms.Textarea(attrs={"rows": 2}),
        }


class ChangeDecisionForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label="审批结果",
        choices=[("1", "批准"), ("0", "不予批准")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="审批意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    funds_returned = forms.DecimalField(label="已退回资金(万元)", required=False, max_digits=14, decimal_places=4)
    funds_returned_on = forms.DateField(label="资金退回日期", required=False, widget=DateInput())


class ReassignForm(forms.Form):
    """更换经办人 (股室负责人): the application's new handler."""

    handler = UserChoiceField(queryset=handler_queryset(), label="经办人")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handler_queryset()
