from django import forms

from bureau.records.forms import RecordForm
from bureau.registry import registry

from .models import Activity, AnnualTarget, CountyYear, Policy, SiteSettings


class PolicyForm(RecordForm):
    class Meta:
        model = Policy
        fields = ["title", "document_number", "level", "issuer", "issued_on", "summary"]


class ActivityForm(RecordForm):
    field_help = {
        "participants": "参加的人次（同一人参加多场分别计算）",
        "funds": "活动使用的经费；没有留空",
    }

    class Meta:
        model = Activity
        fields = ["title", "kind", "held_on", "location", "participants", "organizer", "funds", "notes"]


class SiteSettingsForm(RecordForm):
    class Meta:
        model = SiteSettings
        fields = ["county_name", "bureau_name", "setup_dismissed"]


class CountyYearForm(RecordForm):
    class Meta:
        model = CountyYear
        fields = ["year", "gdp", "population", "industrial_output_above_scale"]
        # What the figures mean, beside the field (the form's help texts: no migration for wording).
        help_texts = {
            "gdp": "统计部门公布的全县地区生产总值，单位亿元；研发投入强度 = 研发经费支出 ÷ 地区生产总值。",
            "population": "年末常住人口，单位万人；用于计算每万人有效发明专利拥有量。",
            "industrial_output_above_scale": (
                "规模以上工业企业（年主营业务收入2000万元及以上）的工业总产值合计，单位万元，按统计年报填写；"
                "用于计算高新技术产业产值占比。"
            ),
        }


def indicator_choices() -> list[tuple[str, str]]:
    """Every registered indicator, labelled with its fixed Chinese name and unit."""
    indicators = sorted(registry["indicators"].values(), key=lambda i: (i.order, i.code))
    return [("", "---------"), *((i.code, f"{i.name}（{i.unit}）") for i in indicators)]


class AnnualTargetForm(RecordForm):
    field_help = {
        "target": "该指标当年的目标值，单位与看板上该指标的单位相同（项、家、万元、%）",
    }

    indicator = forms.ChoiceField(label="指标", choices=())

    class Meta:
        model = AnnualTarget
        fields = ["year", "indicator", "target", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built at form time: the indicators are registered by each app at start-up.
        self.fields["indicator"].choices = indicator_choices()
