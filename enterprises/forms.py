from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html

from bureau.accounts.fields import UserChoiceField
from bureau.records.forms import RecordForm
from bureau.records.widgets import AutocompleteSelect

from .models import Certification, Enterprise, Need, YearlyStatistic
from .validators import normalise_credit_code


class EnterpriseChoiceField(forms.ModelChoiceField):
    """The enterprise picker every form that points at an enterprise uses."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Enterprise.objects.all())
        kwargs.setdefault("widget", AutocompleteSelect("enterprises:enterprise_autocomplete"))
        kwargs.setdefault("label", "企业")
        kwargs.setdefault("error_messages", {"invalid_choice": "所选企业不存在，请重新选择。"})
        super().__init__(**kwargs)


class EnterpriseForm(RecordForm):
    field_help = {
        "credit_code": "18位，营业执照上的统一社会信用代码；粘贴时前后空格和小写字母会自动处理",
        "scale": "规上：年主营业务收入2000万元及以上的工业企业；其余为规下",
        "industry": "企业的主营行业，用于按行业统计",
    }

    class Meta:
        model = Enterprise
        fields = [
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
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A code pasted with blanks around it is longer than 18 characters until it is normalised:
        # the input must not cut it (the model's validators check the normalised length).
        field = self.fields["credit_code"]
        field.max_length = None
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.widget.attrs.pop("maxlength", None)

    def clean_credit_code(self):
        return normalise_credit_code(self.cleaned_data["credit_code"])

    def validate_unique(self):
        super().validate_unique()
        errors = self._errors.get("credit_code")
        if not errors or not any(e.code == "unique" for e in errors.as_data()):
            return
        existing = Enterprise.objects.filter(credit_code=self.instance.credit_code).exclude(pk=self.instance.pk).first()
        if existing is not None:
            self._errors["credit_code"] = self.error_class(
                [
                    format_html(
                        '该统一社会信用代码已登记为企业<a href="{}">{}</a>，请打开该企业核对，不要重复录入。',
                        existing.get_absolute_url(),
                        existing.name,
                    )
                ],
                renderer=self.renderer,
            )


class CertificationForm(RecordForm):
    field_help = {
        "state": "培育库：列入培育但尚未申报；已申报：已提交，等待结果；已认定/未通过：结果公布后填写",
        "year": "申报或认定的年度",
    }

    enterprise = EnterpriseChoiceField()

    class Meta:
        model = Certification
        fields = [
            "enterprise",
            "type",
            "year",
            "state",
            "applied_on",
            "certified_on",
            "certificate_no",
            "issued_on",
            "expires_on",
            "first_time",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class YearlyStatisticForm(RecordForm):
    enterprise = EnterpriseChoiceField()

    class Meta:
        model = YearlyStatistic
        fields = [
            "enterprise",
            "year",
            "rd_expenditure",
            "revenue",
            "industrial_output",
            "high_tech_output",
            "patents_applied",
            "patents_granted",
            "invention_patents_granted",
            "valid_invention_patents",
        ]
        help_texts = {
            "rd_expenditure": (
                "企业当年研究与试验发展（R&D）经费支出，含人员人工、直接投入、折旧、设计试验等费用，"
                "按统计年报“研发经费支出”口径填写，单位万元。"
            ),
            "revenue": "企业当年营业收入（主营与其他业务收入之和），单位万元。",
            "industrial_output": "按当年价格计算的工业总产值（统计年报口径），单位万元；非工业企业可不填。",
            "high_tech_output": "高新技术产品（服务）的产值，计入全县高新技术产业产值，单位万元。",
            "valid_invention_patents": "年末仍然有效（已授权且未失效）的发明专利件数，不是当年新授权数。",
        }


class NeedForm(RecordForm):
    field_help = {
        "handler": "负责跟进对接这项需求的工作人员",
        "result": "对接的结果，例如对接的高校、达成的合作",
    }

    enterprise = EnterpriseChoiceField()
    handler = UserChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        label="对接负责人",
    )

    class Meta:
        model = Need
        fields = [
            "enterprise",
            "kind",
            "title",
            "description",
            "collected_on",
            "handler",
            "state",
            "result",
            "resolved_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "result": forms.Textarea(attrs={"rows": 3})}
