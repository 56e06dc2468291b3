from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.records.models import MoneyField, RecordModel

YEAR_VALIDATORS = [MinValueValidator(1949), MaxValueValidator(2100)]


class SiteSettings(models.Model):
    """The portal's own settings, edited by 管理员 (one row)."""

    county_name = models.CharField(_("县（区）名称"), max_length=50)
    bureau_name = models.CharField(_("单位名称"), max_length=80, blank=True, help_text=_("留空则为“县名+科技局”"))

    class Meta:
        verbose_name = _("门户设置")
        verbose_name_plural = _("门户设置")

    def __str__(self):
        return self.display_bureau_name

    @property
    def display_bureau_name(self) -> str:
        return self.bureau_name or f"{self.county_name}科技局"


class Policy(RecordModel):
    """政策文件: a county policy the bureau issued or implements."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    title = models.CharField(_("政策名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices, default=Level.COUNTY)
    issuer = models.CharField(_("发文单位"), max_length=100, blank=True)
    issued_on = models.DateField(_("发布日期"))
    summary = models.TextField(_("主要内容"), blank=True)

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return self.title


class Activity(RecordModel):
    """培训/活动: trainings (期数/人次), visits, events held by the bureau."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("培训班")
        VISIT = "visit", _("走访调研")
        EVENT = "event", _("对接活动")
        PUBLICITY = "publicity", _("宣传活动")

    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.TRAINING)
    held_on = models.DateField(_("举办日期"))
    location = models.CharField(_("地点"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("参加人次"), default=0)
    organizer = models.CharField(_("主办单位"), max_length=100, blank=True)
    funds = MoneyField(_("经费(万元)"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("培训与活动")
        verbose_name_plural = _("培训与活动")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title


class CountyYear(RecordModel):
    """县域基础数据: the denominators of the ratio indicators, per year (admin)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True, validators=YEAR_VALIDATORS)
    gdp = models.DecimalField(_("地区生产总值(亿元)"), max_digits=12, decimal_places=4, null=True, blank=True)
    population = models.DecimalField(_("常住人口(万人)"), max_digits=10, decimal_places=4, null=True, blank=True)
    industrial_output_above_scale = MoneyField(_("规上工业总产值(万元)"), null=True, blank=True)

    class Meta:
        verbose_name = _("县域基础数据")
        verbose_name_plural = _("县域基础数据")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年县域基础数据"


class AnnualTarget(RecordModel):
    """年度目标任务: a target per indicator per year (admin; reviewers sign off)."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    indicator = models.CharField(_("指标"), max_length=50)
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=4)
    notes = models.CharField(_("说明"), max_length=200, blank=True)
    # A reviewer's sign-off; a later change to the target clears it (annual_target_save).
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("签核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["-year", "indicator"]
        permissions = [("signoff_annualtarget", _("可签核年度目标"))]
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
