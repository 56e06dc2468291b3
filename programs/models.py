from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.core.models import YEAR_VALIDATORS
from bureau.records.models import RecordModel


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class Program(RecordModel):
    """科技计划 catalogue (admin): e.g. 省重点研发计划(科技创新类), 泰山产业领军人才."""

    class Category(models.TextChoices):
        RESEARCH = "research", _("研发")
        TALENT = "talent", _("人才")
        PLATFORM = "platform", _("平台")
        AWARD = "award", _("奖励")
        SUBSIDY = "subsidy", _("补助")

    name = models.CharField(_("计划名称"), max_length=100)
    level = models.CharField(_("计划级别"), max_length=20, choices=Level.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.RESEARCH)
    authority = models.CharField(_("主管部门"), max_length=100, blank=True)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("科技计划")
        verbose_name_plural = _("科技计划")
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "level"], name="program_unique_name_level")]

    def __str__(self):
        return self.name


class Call(RecordModel):
    """申报批次: a program's call for a year, with its window."""

    program = models.ForeignKey(Program, verbose_name=_("科技计划"), on_delete=models.PROTECT, related_name="calls")
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("批次名称"), max_length=150, blank=True)
    opens_on = models.DateField(_("开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-year", "program__name"]

    def __str__(self):
        return self.title or f"{self.program.name}（{self.year}年）"
