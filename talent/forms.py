from django import forms

from bureau.records.forms import RecordForm
from bureau.records.widgets import AutocompleteSelect
from enterprises.forms import EnterpriseChoiceField
from enterprises.models import Enterprise
from programs.models import Call, Program

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

ENHANCED = {"data-enhance": "1"}  # Tom Select on a short list (see static/js/portal.js)


class PersonSelect(AutocompleteSelect):
    def __init__(self, attrs=None):
        super().__init__("talent:person_autocomplete", attrs=attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-placeholder"] = "输入姓名或电话搜索"
        return context


class PersonChoiceField(forms.ModelChoiceField):
    """The person picker: a server-side search, since the list of people grows every year."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Person.objects.all())
        kwargs.setdefault("widget", PersonSelect())
        kwargs.setdefault("label", "人员")
        kwargs.setdefault("error_messages", {"invalid_choice": "所选人员不存在，请重新选择。"})
        super().__init__(**kwargs)


class AutocompleteSelectMultiple(AutocompleteSelect, forms.SelectMultiple):
    """The enterprise picker for several enterprises (Tom Select on a <select multiple>)."""


class EnterpriseMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Enterprise.objects.all())
        kwargs.setdefault("widget", AutocompleteSelectMultiple("enterprises:enterprise_autocomplete"))
        kwargs.setdefault("error_messages", {"invalid_choice": "所选企业不存在，请重新选择。"})
        super().__init__(**kwargs)


def _institution_field(form, name: str) -> None:
    field = form.fields[name]
    field.widget.attrs.update(ENHANCED)


class PersonForm(RecordForm):
    employer_enterprise = EnterpriseChoiceField(label="工作单位（企业）", required=False)

    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "birth_year",
            "degree",
            "title",
            "field",
            "employer_enterprise",
            "employer_institution",
            "employer_text",
            "phone",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _institution_field(self, "employer_institution")


class TalentSelectionForm(RecordForm):
    field_help = {
        "mode": "全职：人事关系在本县；柔性：兼职、项目合作等不转人事关系；共享：与其他地区共用",
        "support_funds": "县里给予的扶持资金",
    }

    person = PersonChoiceField()

    class Meta:
        model = TalentSelection
        fields = ["person", "program", "subcategory", "call", "year", "state", "mode", "support_funds", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(category=Program.Category.TALENT).order_by("name")
        self.fields["program"].widget.attrs.update(ENHANCED)
        calls = Call.objects.filter(program__category=Program.Category.TALENT).select_related("program")
        self.fields["call"].queryset = calls.order_by("-year", "program__name", "pk")
        self.fields["call"].widget.attrs.update(ENHANCED)
        self.fields["call"].help_text = "填写后，年度和人才工程须与批次一致"


class CommissionerForm(RecordForm):
    person = PersonChoiceField()
    service_enterprise = EnterpriseChoiceField(label="服务企业", required=False)

    class Meta:
        model = Commissioner
        fields = ["person", "kind", "level", "service_area", "service_enterprise", "start_year", "end_year", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class SecondmentForm(RecordForm):
    person = PersonChoiceField()

    class Meta:
        model = Secondment
        fields = ["person", "post", "post_text", "origin_institution", "start", "end", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _institution_field(self, "origin_institution")


class PlatformForm(RecordForm):
    host_enterprise = EnterpriseChoiceField(label="依托企业", required=False)

    class Meta:
        model = Platform
        fields = [
            "name",
            "type",
            "level",
            "state",
            "host_enterprise",
            "host_institution",
            "year",
            "applied_on",
            "certified_on",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _institution_field(self, "host_institution")


class PlatformEvaluationForm(RecordForm):
    field_help = {
        "reward": "评估结果为优秀等获得的奖励资金；没有留空",
    }

    class Meta:
        model = PlatformEvaluation
        fields = ["platform", "year", "result", "reward", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["platform"]
        field.widget.attrs.update(ENHANCED)
        # Only established platforms are offered; the service refuses any other all the same.
        offered = Platform.objects.filter(state__in=Platform.ESTABLISHED)
        if self.instance.pk:
            offered = Platform.objects.filter(pk=self.instance.platform_id) | offered
        field.queryset = offered.order_by("name", "pk")
        field.help_text = "只能选择已认定或已备案的平台"
        field.error_messages["invalid_choice"] = "只能对已认定或已备案的平台进行绩效评估。"


class CooperationAgreementForm(RecordForm):
    field_help = {
        "funds": "协议约定的合作经费总额",
    }

    enterprises = EnterpriseMultipleChoiceField(label="合作企业", required=False)

    class Meta:
        model = CooperationAgreement
        fields = ["title", "enterprises", "county_government", "institutions", "state", "signed_on", "funds", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = Institution.objects.all()
        self.fields["institutions"].widget.attrs.update(ENHANCED)
        self.fields["institutions"].help_text = "可选择多个"


class InstitutionForm(RecordForm):
    field_help = {
        "order": "在选择列表中的顺序，数字小的在前",
    }

    class Meta:
        model = Institution
        fields = ["name", "kind", "order"]
