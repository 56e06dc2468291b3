from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from bureau.records.models import MoneyField, RecordModel

from .validators import normalise_credit_code, validate_credit_code


class Town(models.Model):
    """乡镇/街道: a managed list (admin)."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()  # issue 22: every model a user can change keeps its history

    class Meta:
        verbose_name = "乡镇/街道"
        verbose_name_plural = "乡镇/街道"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Industry(models.Model):
    """行业: a managed list (admin)."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()  # issue 22: every model a user can change keeps its history

    class Meta:
        verbose_name = "行业"
        verbose_name_plural = "行业"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Enterprise(RecordModel):
    class Scale(models.TextChoices):
        ABOVE = "above", "规上"
        BELOW = "below", "规下"

    name = models.CharField("企业名称", max_length=200)
    # Pinyin initials of the name (科技有限公司 -> kjyxgs) for the picker; kept by the services.
    name_initials = models.CharField("名称拼音首字母", max_length=200, blank=True, editable=False, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code])
    town = models.ForeignKey(
        Town, verbose_name="所属乡镇", on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    industry = models.ForeignKey(
        Industry, verbose_name="行业", on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    scale = models.CharField("企业规模", max_length=10, choices=Scale.choices, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["name"], name="enterprise_name_idx"),
            models.Index(fields=["town", "name"], name="enterprise_town_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(scale__in=["above", "below", ""]), name="enterprise_scale_valid")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.credit_code:
            self.credit_code = normalise_credit_code(self.credit_code)


YEAR_VALIDATORS = [MinValueValidator(1949), MaxValueValidator(2100)]


class CertificationType(models.Model):
    """资质类型: a managed list (admin). ``code`` lets indicators find a type whatever its name."""

    HIGH_TECH = "high_tech"
    TECH_SME = "tech_sme"

    name = models.CharField("名称", max_length=50, unique=True)
    short_name = models.CharField("简称", max_length=12, blank=True, help_text="企业档案徽标上显示，如“高企”“科小”")
    code = models.SlugField("代码", max_length=30, unique=True, help_text="英文代码，指标按代码识别类型")
    validity_years = models.PositiveSmallIntegerField(
        "有效期(年)", null=True, blank=True, help_text="留空表示没有固定有效期"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()  # issue 22: every model a user can change keeps its history

    class Meta:
        verbose_name = "资质类型"
        verbose_name_plural = "资质类型"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def badge_name(self) -> str:
        return self.short_name or self.name


class Certification(RecordModel):
    """企业资质: one certification (or its application) of an enterprise for a year."""

    class State(models.TextChoices):
        CULTIVATING = "cultivating", "培育库"
        APPLIED = "applied", "已申报"
        CERTIFIED = "certified", "已认定"
        REJECTED = "rejected", "未通过"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="certifications"
    )
    type = models.ForeignKey(
        CertificationType, verbose_name="资质类型", on_delete=models.PROTECT, related_name="certifications"
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.CULTIVATING)
    applied_on = models.DateField("申报日期", null=True, blank=True)
    certified_on = models.DateField("认定日期", null=True, blank=True)
    certificate_no = models.CharField("证书编号", max_length=50, blank=True)
    issued_on = models.DateField("发证日期", null=True, blank=True, help_text="留空则同认定日期")
    expires_on = models.DateField("有效期至", null=True, blank=True, help_text="留空则按资质类型的有效期自动计算")
    first_time = models.BooleanField("首次认定", default=False, help_text="首次认定的高新技术企业可享受县级奖励")
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "企业资质"
        verbose_name_plural = "企业资质"
        ordering = ["-year", "enterprise__name", "pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-year"], name="certification_year_idx"),
            models.Index(fields=["type", "-year"], name="certification_type_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["cultivating", "applied", "certified", "rejected"]),
                name="certification_state_valid",
                violation_error_message="资质状态无效。",
            ),
            # The service fills the certificate date from the certification date, so a form may
            # bring either; the indicators read issued_on, which certification_create/_update set.
            models.CheckConstraint(
                condition=~Q(state="certified") | Q(issued_on__isnull=False) | Q(certified_on__isnull=False),
                name="certification_certified_has_date",
                violation_error_message="已认定的资质请填写认定日期。",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="certification_expiry_after_issue",
                violation_error_message="有效期至不能早于发证日期。",
            ),
            models.UniqueConstraint(fields=["enterprise", "type", "year"], name="certification_unique_per_year"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.type} · {self.year}年"

    def clean(self):
        errors = {}
        if self.state == self.State.CERTIFIED and not (self.certified_on or self.issued_on):
            errors["certified_on"] = "已认定的资质请填写认定日期。"
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            errors["expires_on"] = "有效期至不能早于发证日期。"
        if self.applied_on and self.certified_on and self.certified_on < self.applied_on:
            errors["certified_on"] = "认定日期不能早于申报日期。"
        if errors:
            raise ValidationError(errors)

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("enterprise", "type", "year"):
            return ValidationError(
                "该企业%(year)s年的%(type)s记录已存在，请编辑原记录。" % {"year": self.year, "type": self.type},
                code="unique_together",
            )
        return super().unique_error_message(model_class, unique_check)


class YearlyStatistic(RecordModel):
    """企业年度统计: one row per enterprise and year (R&D, output, patents)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="yearly_statistics"
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    rd_expenditure = MoneyField("研发经费支出(万元)", null=True, blank=True)
    revenue = MoneyField("营业收入(万元)", null=True, blank=True)
    industrial_output = MoneyField("工业总产值(万元)", null=True, blank=True)
    high_tech_output = MoneyField("高新技术产业产值(万元)", null=True, blank=True)
    patents_applied = models.PositiveIntegerField("专利申请量", null=True, blank=True)
    patents_granted = models.PositiveIntegerField("专利授权量", null=True, blank=True)
    invention_patents_granted = models.PositiveIntegerField("发明专利授权量", null=True, blank=True)
    valid_invention_patents = models.PositiveIntegerField("有效发明专利数", null=True, blank=True)

    class Meta:
        verbose_name = "企业年度统计"
        verbose_name_plural = "企业年度统计"
        ordering = ["-year", "enterprise__name", "pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-year"], name="yearly_statistic_year_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="yearly_statistic_unique_per_year"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.year}年统计"

    def clean(self):
        errors = {}
        if (
            self.patents_granted is not None
            and self.invention_patents_granted is not None
            and self.invention_patents_granted > self.patents_granted
        ):
            errors["invention_patents_granted"] = "发明专利授权量不能大于专利授权量。"
        if (
            self.industrial_output is not None
            and self.high_tech_output is not None
            and self.high_tech_output > self.industrial_output
        ):
            errors["high_tech_output"] = "高新技术产业产值不能大于工业总产值。"
        if errors:
            raise ValidationError(errors)

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("enterprise", "year"):
            return ValidationError("该企业%(year)s年的统计数据已存在" % {"year": self.year}, code="unique_together")
        return super().unique_error_message(model_class, unique_check)


class Need(RecordModel):
    """企业需求: a technology or talent need collected from an enterprise, tracked to a result (台账)."""

    class Kind(models.TextChoices):
        TECHNOLOGY = "technology", "技术需求"
        TALENT = "talent", "人才需求"

    class State(models.TextChoices):
        PENDING = "pending", "待对接"
        IN_PROGRESS = "in_progress", "对接中"
        RESOLVED = "resolved", "已解决"
        UNRESOLVED = "unresolved", "未解决"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="needs")
    kind = models.CharField("需求类型", max_length=20, choices=Kind.choices, default=Kind.TECHNOLOGY)
    title = models.CharField("需求名称", max_length=200)
    description = models.TextField("需求描述", blank=True)
    collected_on = models.DateField("征集日期")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="对接负责人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PENDING)
    result = models.TextField("对接结果", blank=True)
    resolved_on = models.DateField("解决日期", null=True, blank=True)

    class Meta:
        verbose_name = "企业需求"
        verbose_name_plural = "企业需求"
        ordering = ["-collected_on", "-pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-collected_on", "-id"], name="need_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "in_progress", "resolved", "unresolved"]),
                name="need_state_valid",
                violation_error_message="需求状态无效。",
            ),
            models.CheckConstraint(
                condition=~Q(state="resolved") | Q(resolved_on__isnull=False),
                name="need_resolved_has_date",
                violation_error_message="状态为“已解决”时请填写解决日期。",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.state == self.State.RESOLVED and not self.resolved_on:
            errors["resolved_on"] = "状态为“已解决”时请填写解决日期。"
        if self.resolved_on and self.collected_on and self.resolved_on < self.collected_on:
            errors["resolved_on"] = "解决日期不能早于征集日期。"
        if errors:
            raise ValidationError(errors)
