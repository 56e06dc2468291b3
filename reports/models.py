"""The bureau's reports and their built versions: 年度工作总结和工作计划, 上半年工作总结 and
科技创新工作情况汇报 are kinds of one model (``kind``; ``reports.kinds`` says what each has).

The report row holds what staff write; each build is a version that freezes every figure it used
(an as-of snapshot) with its PDF and DOCX, so an old report stays reproducible after records change.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from bureau.core.models import YEAR_VALIDATORS
from bureau.records.models import RecordModel

from .kinds import ANNUAL, KIND_CHOICES, KINDS, PLAN_FIELDS, ReportKind, kind_of

__all__ = ["PLAN_FIELDS", "AnnualReport", "ReportBuild", "ReportExclusion"]


class AnnualReport(RecordModel):
    """A report of one kind for one year (a briefing: per audience too); its state follows its
    latest build. The class keeps its first name: the annual report was the only kind."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        BUILDING = "building", "生成中"
        BUILT = "built", "已生成"
        FAILED = "failed", "失败"

    kind = models.CharField("报告类型", max_length=20, choices=KIND_CHOICES, default=ANNUAL)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    audience = models.CharField(
        "汇报对象", max_length=100, blank=True, help_text="情况汇报必填，如“县政协常委会”；其他报告留空"
    )
    title = models.CharField(
        "标题",
        max_length=200,
        blank=True,
        help_text="留空则按报告类型：“县名科技局Y年工作总结和Y+1年工作计划”“县名科技局Y年上半年工作总结”"
        "“县名科技创新工作情况汇报”",
    )
    report_date = models.DateField(
        "成文日期",
        null=True,
        blank=True,
        help_text="标题下的日期；留空则为数据截止后的第一个工作日（年度报告：次年1月；半年总结：7月）；情况汇报必填",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT, editable=False)
    opening = models.TextField("开篇段落", blank=True, help_text="标题后的开篇段落，由科员撰写")
    problems = models.TextField("存在的问题", blank=True, help_text="每段一个问题；以“（一）”等开头的行作为小标题")
    plan_intro = models.TextField("工作计划总体思路", blank=True)
    plan_policy = models.TextField(PLAN_FIELDS[0][1], blank=True)
    plan_projects = models.TextField(PLAN_FIELDS[1][1], blank=True)
    plan_talent = models.TextField(PLAN_FIELDS[2][1], blank=True)
    plan_enterprise = models.TextField(PLAN_FIELDS[3][1], blank=True)
    plan_ip = models.TextField(PLAN_FIELDS[4][1], blank=True)
    plan_services = models.TextField(PLAN_FIELDS[5][1], blank=True)
    next_steps = models.TextField(
        "下一步工作打算", blank=True, help_text="情况汇报：每段一项（如“一是……”）；以“（一）”等开头的行作为小标题"
    )
    closing = models.TextField("结束语", blank=True)
    signed_off_build = models.ForeignKey(
        "ReportBuild",
        verbose_name="签发版本",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    signed_off_at = models.DateTimeField("签发时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "工作报告"
        verbose_name_plural = "工作报告"
        ordering = ["-year", "kind", "-report_date"]
        permissions = [("signoff_annualreport", "签发工作报告、确认指标不写入报告")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["draft", "building", "built", "failed"]),
                name="annual_report_state_valid",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=list(KINDS)), name="report_kind_valid"),
            models.UniqueConstraint(
                fields=["kind", "year", "audience"],
                name="report_unique_kind_year_audience",
                violation_error_message="该年度已有这一类型的报告（情况汇报：同一汇报对象）。",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def report_kind(self) -> ReportKind:
        return kind_of(self.kind)

    def clean(self):
        super().clean()
        kind = self.report_kind
        errors = {}
        if kind.audience and not self.audience.strip():
            errors["audience"] = f"{kind.label}须填写汇报对象（如“县政协常委会”）。"
        if not kind.audience and self.audience.strip():
            errors["audience"] = f"{kind.label}没有汇报对象，请留空。"
        if kind.date_required and self.report_date is None:
            errors["report_date"] = f"{kind.label}须填写成文日期（汇报的日期）。"
        if self.report_date is not None and self.year and self.report_date.year < self.year:
            errors["report_date"] = f"成文日期早于{self.year}年，报告还无从写起。"
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        from bureau.core.selectors import site_settings

        return self.report_kind.title(site_settings().county_name, self.year)

    @property
    def period_end(self) -> datetime.date:
        """The day the report's figures run to (31 Dec; 30 Jun for the half-year summary; a
        briefing's date when it falls inside the year)."""
        return self.report_kind.period_end(self.year, self.display_date)

    @property
    def display_date(self) -> datetime.date:
        """The date under the title: the one entered, else the first working day after the period
        (the annual report: of the next year)."""
        return self.report_date or self.report_kind.default_date(self.year) or datetime.date(self.year, 12, 31)


def default_report_date(year: int) -> datetime.date:
    """The annual report's date: the first working day after New Year's Day of ``year + 1``
    (weekends skipped), when a year's report is usually finished: 2020-01-02 for 2019."""
    return KINDS[ANNUAL].default_date(year)


def default_title(county_name: str, year: int) -> str:
    return KINDS[ANNUAL].title(county_name, year)


class ReportExclusion(models.Model):
    """A reviewer's decision that a figure whose inputs are missing is left out of the report."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="工作报告", on_delete=models.CASCADE, related_name="exclusions"
    )
    item = models.CharField("指标", max_length=50)
    reason = models.CharField("理由", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("确认时间", auto_now_add=True)

    history = HistoricalRecords()  # issue 22: every model a user can change keeps its history

    class Meta:
        verbose_name = "不写入报告的指标"
        verbose_name_plural = "不写入报告的指标"
        ordering = ["item"]
        constraints = [models.UniqueConstraint(fields=["report", "item"], name="report_exclusion_unique_item")]

    def __str__(self):
        return self.item


def _build_upload(instance, filename):
    report = instance.report
    if report.kind == ANNUAL:
        return f"reports/{report.year}/v{instance.version}/{filename}"
    return f"reports/{report.year}/{report.kind}-{report.pk}/v{instance.version}/{filename}"


class ReportBuild(models.Model):
    """A built version: state and progress of the Celery job, the frozen figures and the files."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        SUCCEEDED = "succeeded", "已生成"
        FAILED = "failed", "失败"

    report = models.ForeignKey(AnnualReport, verbose_name="工作报告", on_delete=models.PROTECT, related_name="builds")
    version = models.PositiveIntegerField("版本")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    snapshot = models.JSONField("数据快照", null=True, blank=True, editable=False)
    as_of = models.DateTimeField("数据截止时间", null=True, blank=True)
    pdf = models.FileField("PDF文件", upload_to=_build_upload, blank=True)
    docx = models.FileField("Word文件", upload_to=_build_upload, blank=True)
    # The font families embedded in the PDF (read back from the written file), e.g. FandolFang.
    fonts = models.JSONField("使用字体", default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "报告版本"
        verbose_name_plural = "报告版本"
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="report_build_unique_version"),
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "succeeded", "failed"]),
                name="report_build_state_valid",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_build_progress_max_100"),
        ]

    def __str__(self):
        return f"{self.report}（第{self.version}版）"

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    def file_name(self, ext: str) -> str:
        """The name a user downloads: the report's title and the version."""
        title = (self.snapshot or {}).get("title") or str(self.report)
        return f"{title}（第{self.version}版）.{ext}"


class ReportAreaText(models.Model):
    """The staff's own sentences for an area of 一、Y年工作完成情况 (``ReportSection.key``): lead
    sentences that open it, and a 亮点/补充 text placed after the generated paragraphs."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度工作报告", on_delete=models.CASCADE, related_name="area_texts"
    )
    area = models.CharField("部分", max_length=30)
    lead = models.TextField("开头语", blank=True, help_text="放在本部分生成文字之前，每段一行")
    highlight = models.TextField("亮点/补充", blank=True, help_text="放在本部分生成文字之后，每段一行")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "报告各部分补充文字"
        verbose_name_plural = "报告各部分补充文字"
        ordering = ["report", "area"]
        constraints = [models.UniqueConstraint(fields=["report", "area"], name="report_area_text_unique_area")]

    def __str__(self):
        return f"{self.report}：{self.area}"


class CityRanking(RecordModel):
    """全市排名: where the county stood among the city's counties on an indicator in a year, and who
    said so. The report states it ("获批数量位列全市第一") where it states that indicator's figure,
    linked here; the indicator is named by its code (the registry's list)."""

    indicator = models.CharField("指标", max_length=50)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    rank = models.PositiveSmallIntegerField("名次", validators=[MinValueValidator(1)])
    out_of = models.PositiveSmallIntegerField("参与排名数", validators=[MinValueValidator(1)], help_text="全市区县数")
    subject = models.CharField(
        "排名事项", max_length=40, blank=True, help_text="报告中的说法，如“获批数量”；留空则用指标名称"
    )
    source = models.CharField(
        "来源", max_length=200, help_text="发布排名的文件或通报，如“市科技局2019年度工作考核通报”"
    )

    class Meta:
        verbose_name = "全市排名"
        verbose_name_plural = "全市排名"
        ordering = ["-year", "indicator", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "subject"], name="city_ranking_unique"),
            models.CheckConstraint(condition=models.Q(rank__lte=models.F("out_of")), name="city_ranking_rank_le_n"),
        ]

    def __str__(self):
        return f"{self.year}年{self.indicator_name}：全市第{self.rank}名（共{self.out_of}个）"

    @property
    def indicator_name(self) -> str:
        from bureau.registry import registry

        indicator = registry["indicators"].get(self.indicator)
        return indicator.name if indicator is not None else self.indicator

    @property
    def said(self) -> str:
        """What the report calls it: the subject, else the indicator's name."""
        return self.subject or self.indicator_name

    def clean(self):
        from bureau.registry import registry

        errors = {}
        if self.indicator and self.indicator not in registry["indicators"]:
            errors["indicator"] = "没有这个指标。"
        if self.rank and self.out_of and self.rank > self.out_of:
            errors["rank"] = "名次不能大于参与排名数。"
        if errors:
            raise ValidationError(errors)
