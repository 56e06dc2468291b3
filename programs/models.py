from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bureau.core.models import YEAR_VALIDATORS
from bureau.records.models import MoneyField, RecordModel


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


# Programs of these levels are "上级科技计划" (DOMAIN.md: applications to programs above county level).
UPPER_LEVELS = (Level.NATIONAL, Level.PROVINCIAL, Level.CITY)


class Program(RecordModel):
    """科技计划 catalogue (admin): e.g. 省重点研发计划(科技创新类), 泰山产业领军人才."""

    class Category(models.TextChoices):
        RESEARCH = "research", "研发"
        TALENT = "talent", "人才"
        PLATFORM = "platform", "平台"
        AWARD = "award", "奖励"
        SUBSIDY = "subsidy", "补助"

    name = models.CharField("计划名称", max_length=100)
    level = models.CharField("计划级别", max_length=20, choices=Level.choices)
    category = models.CharField("类别", max_length=20, choices=Category.choices, default=Category.RESEARCH)
    authority = models.CharField("主管部门", max_length=100, blank=True)
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "科技计划"
        verbose_name_plural = "科技计划"
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "level"], name="program_unique_name_level"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="program_level_valid"),
        ]

    def __str__(self):
        return self.name


class Call(RecordModel):
    """申报批次: a program's call for a year, with its window."""

    program = models.ForeignKey(Program, verbose_name="科技计划", on_delete=models.PROTECT, related_name="calls")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    title = models.CharField("批次名称", max_length=150, blank=True)
    opens_on = models.DateField("开始日期", null=True, blank=True)
    closes_on = models.DateField("截止日期", null=True, blank=True)

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ["-year", "program__name"]

    def __str__(self):
        return self.title or f"{self.program.name}（{self.year}年）"

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "截止日期不能早于开始日期。"})


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    COUNTY_REVIEW = "county_review", "县局审核"
    RECOMMENDED = "recommended", "已推荐上报"
    APPROVED = "approved", "已立项"
    REJECTED = "rejected", "未立项"
    IN_PROGRESS = "in_progress", "实施中"
    ACCEPTED = "accepted", "已验收"
    TERMINATED = "terminated", "已终止"


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


class Application(RecordModel):
    """项目申报: one application to a program, moved through programs/workflow.py."""

    Status = ApplicationStatus
    AcceptanceResult = AcceptanceResult

    title = models.CharField("项目名称", max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="承担企业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    institution = models.CharField(
        "承担单位（非企业）", max_length=200, blank=True, help_text="承担单位不是企业时填写，如高校、医院、合作社"
    )
    call = models.ForeignKey(
        Call, verbose_name="申报批次", on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    # Denormalised from call.program (and required without a call) so indicators group by program directly.
    program = models.ForeignKey(Program, verbose_name="科技计划", on_delete=models.PROTECT, related_name="applications")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    amount_requested = MoneyField("申请资金(万元)", null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_applications",
    )
    summary = models.TextField("项目简介", blank=True)
    status = models.CharField("状态", max_length=20, choices=ApplicationStatus.choices, default=Status.DRAFT)
    recommended_on = models.DateField("推荐上报日期", null=True, blank=True)
    approved_on = models.DateField("立项日期", null=True, blank=True)
    approved_amount = MoneyField("获批资金(万元)", null=True, blank=True)
    approval_number = models.CharField(
        "立项文号", max_length=100, blank=True, help_text="立项通知的文号，如“×科发〔2020〕12号”"
    )
    contract_number = models.CharField("合同编号", max_length=100, blank=True, help_text="任务书或合同上的编号")
    acceptance_due_on = models.DateField("验收到期日", null=True, blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    acceptance_result = models.CharField("验收结论", max_length=10, choices=AcceptanceResult.choices, blank=True)

    class Meta:
        verbose_name = "项目申报"
        verbose_name_plural = "项目申报"
        ordering = ["-year", "-pk"]
        permissions = [("review_application", "审核推荐项目申报")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | ~Q(institution=""), name="application_has_lead"
            ),
            models.CheckConstraint(
                condition=Q(acceptance_result__in=["", *AcceptanceResult.values]),
                name="application_acceptance_result_valid",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
                name="application_approved_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gte=0),
                name="application_amount_requested_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="application_status_idx"),
            models.Index(fields=["recommended_on"], name="application_recommended_idx"),
            models.Index(fields=["approved_on"], name="application_approved_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def lead_name(self) -> str:
        """承担单位 as a person reads it: the enterprise, or the institution's name."""
        return self.enterprise.name if self.enterprise_id else self.institution

    def clean(self):
        errors = {}
        if self.enterprise_id is None and not self.institution.strip():
            errors["enterprise"] = "请选择承担企业；承担单位不是企业时，请填写单位名称。"
        elif self.enterprise_id is not None and self.institution.strip():
            errors["institution"] = "已选择承担企业时，不要再填写非企业单位名称。"
        if self.call_id is not None and self.program_id is not None and self.call.program_id != self.program_id:
            errors["call"] = "申报批次「%(call)s」不属于所选科技计划。" % {"call": self.call}
        if errors:
            raise ValidationError(errors)


class ApplicationLog(models.Model):
    """One workflow step of an application: who moved it from where to where, when, and why."""

    application = models.ForeignKey(Application, verbose_name="项目申报", on_delete=models.CASCADE, related_name="logs")
    action = models.CharField("操作", max_length=30)
    source = models.CharField("原状态", max_length=20, choices=Application.Status.choices)
    target = models.CharField("新状态", max_length=20, choices=Application.Status.choices)
    # None: the system (a command without --user, the demo seed).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    at = models.DateTimeField("操作时间", auto_now_add=True, db_index=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "申报流转记录"
        verbose_name_plural = "申报流转记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_source_display()} → {self.get_target_display()}"


class Disbursement(RecordModel):
    """资金拨付: money paid out against an approved application."""

    application = models.ForeignKey(
        Application, verbose_name="项目申报", on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = MoneyField("拨付金额(万元)")
    paid_on = models.DateField("拨付日期")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "资金拨付"
        verbose_name_plural = "资金拨付"
        ordering = ["-paid_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")]

    def __str__(self):
        return f"{self.application}（{self.paid_on:%Y-%m-%d}）"


class RewardKind(models.TextChoices):
    RD_SUBSIDY = "rd_subsidy", "研发补贴"
    HIGH_TECH = "high_tech", "高企奖励"
    PLATFORM = "platform", "平台奖励"
    TALENT = "talent", "人才奖励"
    OTHER = "other", "其他"


class Reward(RecordModel):
    """奖励兑现: a county reward or subsidy paid to an enterprise under a policy."""

    Kind = RewardKind

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="rewards"
    )
    policy = models.ForeignKey(
        "core.Policy",
        verbose_name="依据政策",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rewards",
    )
    kind = models.CharField("兑现类型", max_length=20, choices=RewardKind.choices)
    amount = MoneyField("兑现金额(万元)")
    paid_on = models.DateField("兑现日期")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "奖励兑现"
        verbose_name_plural = "奖励兑现"
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="reward_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=RewardKind.values), name="reward_kind_valid"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.get_kind_display()}（{self.paid_on:%Y-%m-%d}）"


class AwardGrade(models.TextChoices):
    SPECIAL = "special", "特等"
    FIRST = "first", "一等"
    SECOND = "second", "二等"
    THIRD = "third", "三等"
    OTHER = "other", "其他"


class Award(RecordModel):
    """科技奖励: an award won by an enterprise or a person."""

    Grade = AwardGrade

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="获奖企业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    person = models.CharField("获奖人/单位（非企业）", max_length=100, blank=True)
    name = models.CharField("奖项名称", max_length=100, help_text="如：省科学技术进步奖")
    project = models.CharField("获奖项目", max_length=200, blank=True)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    grade = models.CharField("等级", max_length=10, choices=AwardGrade.choices)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)

    class Meta:
        verbose_name = "科技奖励"
        verbose_name_plural = "科技奖励"
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(enterprise__isnull=False) | ~Q(person=""), name="award_has_winner"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="award_level_valid"),
            models.CheckConstraint(condition=Q(grade__in=AwardGrade.values), name="award_grade_valid"),
        ]

    def __str__(self):
        return f"{self.year}年{self.name}{self.get_grade_display()}"

    @property
    def winner_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.person

    def clean(self):
        if self.enterprise_id is None and not self.person.strip():
            raise ValidationError({"enterprise": "请选择获奖企业，或填写获奖人/单位。"})


class TransformMode(models.TextChoices):
    TRANSFER = "transfer", "转让"
    LICENSE = "license", "许可"
    EQUITY = "equity", "作价入股"
    SELF = "self", "自行实施"
    JOINT = "joint", "合作实施"


class Achievement(RecordModel):
    """科技成果: a registered result and, once transformed, how."""

    Mode = TransformMode

    title = models.CharField("成果名称", max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="完成企业", on_delete=models.PROTECT, related_name="achievements"
    )
    registration_number = models.CharField("登记号", max_length=50, blank=True)
    registered_on = models.DateField("登记日期", null=True, blank=True)
    transformed_on = models.DateField("转化日期", null=True, blank=True)
    transform_mode = models.CharField("转化方式", max_length=20, choices=TransformMode.choices, blank=True)

    class Meta:
        verbose_name = "科技成果"
        verbose_name_plural = "科技成果"
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(transform_mode__in=["", *TransformMode.values]), name="achievement_mode_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.transformed_on and not self.transform_mode:
            raise ValidationError({"transform_mode": "已填写转化日期，请选择转化方式。"})
        if self.transform_mode and not self.transformed_on:
            raise ValidationError({"transformed_on": "已选择转化方式，请填写转化日期。"})


# 专家评审 and 科研诚信 live in their own module; imported here so Django registers them.
from .review_models import (  # noqa: E402, F401
    Expert,
    IntegrityOverride,
    IntegrityRecord,
    ReviewAssignment,
    ReviewRound,
    Score,
    ScoreCriterion,
)
