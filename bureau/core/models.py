from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.records.models import MoneyField, RecordModel

YEAR_VALIDATORS = [MinValueValidator(1949), MaxValueValidator(2100)]


class SiteSettings(models.Model):
    """The portal's own settings, edited by 管理员 (one row)."""

    county_name = models.CharField("县（区）名称", max_length=50)
    bureau_name = models.CharField("单位名称", max_length=80, blank=True, help_text="留空则为“县名+科技局”")
    setup_dismissed = models.BooleanField(
        "首页不再显示首次使用清单", default=False, help_text="清单仍可在“首次使用清单”页面查看"
    )

    history = HistoricalRecords()  # issue 22: every model a user can change keeps its history

    class Meta:
        verbose_name = "门户设置"
        verbose_name_plural = "门户设置"

    def __str__(self):
        return self.display_bureau_name

    @property
    def display_bureau_name(self) -> str:
        return self.bureau_name or f"{self.county_name}科技局"


class Policy(RecordModel):
    """政策文件: a county policy the bureau issued or implements."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    title = models.CharField("政策名称", max_length=200)
    document_number = models.CharField("文号", max_length=80, blank=True)
    level = models.CharField("级别", max_length=20, choices=Level.choices, default=Level.COUNTY)
    issuer = models.CharField("发文单位", max_length=100, blank=True)
    issued_on = models.DateField("发布日期")
    summary = models.TextField("主要内容", blank=True)

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        ordering = ["-issued_on", "-pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-issued_on", "-id"], name="policy_order_idx"),
        ]

    def __str__(self):
        return self.title


class Activity(RecordModel):
    """培训/活动: trainings (期数/人次), visits, events held by the bureau."""

    class Kind(models.TextChoices):
        TRAINING = "training", "培训班"
        VISIT = "visit", "走访调研"
        EVENT = "event", "对接活动"
        PUBLICITY = "publicity", "宣传活动"

    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.TRAINING)
    held_on = models.DateField("举办日期")
    location = models.CharField("地点", max_length=100, blank=True)
    participants = models.PositiveIntegerField("参加人次", default=0)
    organizer = models.CharField("主办单位", max_length=100, blank=True)
    funds = MoneyField("经费(万元)", null=True, blank=True)
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "培训与活动"
        verbose_name_plural = "培训与活动"
        ordering = ["-held_on", "-pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-held_on", "-id"], name="activity_order_idx"),
        ]

    def __str__(self):
        return self.title


class CountyYear(RecordModel):
    """县域基础数据: the denominators of the ratio indicators, per year (admin)."""

    year = models.PositiveSmallIntegerField("年度", unique=True, validators=YEAR_VALIDATORS)
    gdp = models.DecimalField("地区生产总值(亿元)", max_digits=12, decimal_places=4, null=True, blank=True)
    population = models.DecimalField("常住人口(万人)", max_digits=10, decimal_places=4, null=True, blank=True)
    industrial_output_above_scale = MoneyField("规上工业总产值(万元)", null=True, blank=True)

    class Meta:
        verbose_name = "县域基础数据"
        verbose_name_plural = "县域基础数据"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年县域基础数据"


class AnnualTarget(RecordModel):
    """年度目标任务: a target per indicator per year (admin; reviewers sign off)."""

    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    indicator = models.CharField("指标", max_length=50)
    target = models.DecimalField("目标值", max_digits=14, decimal_places=4)
    notes = models.CharField("说明", max_length=200, blank=True)
    # A reviewer's sign-off; a later change to the target clears it (annual_target_save).
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField("签核时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["-year", "indicator"]
        permissions = [("signoff_annualtarget", "可签核年度目标")]
        constraints = [
            models.UniqueConstraint(fields=["year", "indicator"], name="annual_target_unique_year_indicator")
        ]

    def __str__(self):
        return f"{self.year}年 {self.get_indicator_display()}"

    def get_indicator_display(self) -> str:
        return indicator_label(self.indicator)[0]


def indicator_label(code: str) -> tuple[str, str]:
    """(Chinese name, unit) of an indicator code: the registered one, else the fixed NAMES."""
    from bureau.indicators import NAMES
    from bureau.registry import registry

    indicator = registry["indicators"].get(code)
    if indicator is not None:
        return str(indicator.name), str(indicator.unit)
    return NAMES.get(code, (code, ""))
