from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from bureau.core.models import YEAR_VALIDATORS
from bureau.records.models import MoneyField, RecordModel


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


# Programs of these levels are "上级科技计划" (DOMAIN.md: applications to programs above county level).
UPPER_LEVELS = (Level.NATIONAL, Level.PROVINCIAL, Level.CITY)


class Track(models.TextChoices):
    """Which workflow a program's applications follow (programs/workflow.py holds both)."""

    RECOMMEND = "recommend", "推荐上报"
    COUNTY = "county", "县级立项"


DEFAULT_CHECKLIST = "材料齐全\n单位资格\n承诺书"


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
    track = models.CharField(
        "办理流程",
        max_length=20,
        choices=Track.choices,
        default=Track.RECOMMEND,
        help_text="推荐上报：县局审核后推荐给上级；县级立项：形式审查、专家评审、公示、立项、任务书、中期检查、验收全过程",
    )
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "科技计划"
        verbose_name_plural = "科技计划"
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "level"], name="program_unique_name_level"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="program_level_valid"),
            models.CheckConstraint(condition=Q(track__in=Track.values), name="program_track_valid"),
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
    # 县级立项 only: 形式审查 checklist, the 补正 window, the 公示 period.
    checklist = models.TextField(
        "形式审查清单", blank=True, default=DEFAULT_CHECKLIST, help_text="每行一项，如：材料齐全、单位资格、承诺书"
    )
    correction_days = models.PositiveSmallIntegerField(
        "补正期限(天)", default=10, help_text="退回补正后，经办人须在此天数内补正提交"
    )
    publicity_starts_on = models.DateField("公示开始", null=True, blank=True)
    publicity_ends_on = models.DateField("公示结束", null=True, blank=True)

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ["-year", "program__name"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-year"], name="call_year_idx"),
        ]

    def __str__(self):
        return self.title or f"{self.program.name}（{self.year}年）"

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "截止日期不能早于开始日期。"})
        if self.publicity_starts_on and self.publicity_ends_on and self.publicity_ends_on < self.publicity_starts_on:
            raise ValidationError({"publicity_ends_on": "公示结束日期不能早于开始日期。"})

    @property
    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    COUNTY_REVIEW = "county_review", "县局审核"
    RECOMMENDED = "recommended", "已推荐上报"
    # 县级立项 track only (programs/workflow.py COUNTY_TRANSITIONS)
    FORMAL_REVIEW = "formal_review", "形式审查"
    CORRECTION = "correction", "补正"
    EXPERT_REVIEW = "expert_review", "专家评审"
    PUBLICITY = "publicity", "公示"
    APPROVED = "approved", "已立项"
    REJECTED = "rejected", "未立项"
    IN_PROGRESS = "in_progress", "实施中"
    RECONSIDER = "reconsider", "验收复议"
    ACCEPTED = "accepted", "已验收"
    TERMINATED = "terminated", "已终止"


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


class MidtermResult(models.TextChoices):
    PASSED = "passed", "合格"
    RECTIFY = "rectify", "限期整改"
    FAILED = "failed", "不合格"


class PerformanceGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


def default_first_payment_percent() -> int:
    return settings.PROGRAM_FIRST_PAYMENT_PERCENT


def default_midterm_payment_percent() -> int:
    return settings.PROGRAM_MIDTERM_PAYMENT_PERCENT


class Application(RecordModel):
    """项目申报: one application to a program, moved through programs/workflow.py."""

    Status = ApplicationStatus
    AcceptanceResult = AcceptanceResult
    MidtermResult = MidtermResult
    PerformanceGrade = PerformanceGrade

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
    # 县级立项: 任务书/合同 and its payment plan (first share on signing, the next after 中期检查 合格,
    # the rest after 验收 通过), 中期检查, 绩效评价.
    contract_signed_on = models.DateField("任务书签订日期", null=True, blank=True)
    first_payment_percent = models.PositiveSmallIntegerField(
        "签订后拨付比例(%)", default=default_first_payment_percent, validators=[MaxValueValidator(100)]
    )
    midterm_payment_percent = models.PositiveSmallIntegerField(
        "中期检查合格后拨付比例(%)", default=default_midterm_payment_percent, validators=[MaxValueValidator(100)]
    )
    midterm_due_on = models.DateField("中期检查日期", null=True, blank=True)
    midterm_checked_on = models.DateField("中期检查完成日期", null=True, blank=True)
    midterm_result = models.CharField("中期检查结论", max_length=10, choices=MidtermResult.choices, blank=True)
    midterm_rectify_due_on = models.DateField("整改期限", null=True, blank=True)
    performance_score = models.DecimalField(
        "绩效评价得分",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    performance_grade = models.CharField("绩效评价等级", max_length=10, choices=PerformanceGrade.choices, blank=True)

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
                condition=Q(midterm_result__in=["", *MidtermResult.values]), name="application_midterm_result_valid"
            ),
            models.CheckConstraint(
                condition=Q(first_payment_percent__lte=100 - F("midterm_payment_percent")),
                name="application_payment_plan_within_100",
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
            models.Index(fields=["-year", "-id"], name="application_order_idx"),
            models.Index(fields=["year", "status"], name="application_year_status_idx"),
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
        if (self.first_payment_percent or 0) + (self.midterm_payment_percent or 0) > 100:
            errors["midterm_payment_percent"] = "签订后与中期检查后的拨付比例合计不能超过100%。"
        if self.midterm_result == MidtermResult.RECTIFY and not self.midterm_rectify_due_on:
            errors["midterm_rectify_due_on"] = "限期整改须填写整改期限。"
        for later, earlier in (
            ("contract_signed_on", "approved_on"),
            ("midterm_checked_on", "contract_signed_on"),
            ("accepted_on", "approved_on"),
        ):
            a, b = getattr(self, later), getattr(self, earlier)
            if a and b and a < b:
                errors.setdefault(
                    later,
                    "%(later)s不能早于%(earlier)s（%(date)s）。"
                    % {
                        "later": self._meta.get_field(later).verbose_name,
                        "earlier": self._meta.get_field(earlier).verbose_name,
                        "date": b.isoformat(),
                    },
                )
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
    # What the step recorded, as a person reads it (「中期检查结论：合格；中期检查完成日期：2021-06-30」).
    details = models.TextField("登记内容", blank=True)

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
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-paid_on", "-id"], name="disbursement_order_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")]

    def __str__(self):
        return f"{self.application}（{self.paid_on:%Y-%m-%d}）"


class FormalReview(models.Model):
    """形式审查 of a 县级立项 application: the call's checklist, the failed items, the 补正 deadline."""

    application = models.ForeignKey(
        Application, verbose_name="项目申报", on_delete=models.CASCADE, related_name="formal_reviews"
    )
    reviewed_on = models.DateField("审查日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    items = models.JSONField("审查项目", default=list)
    failed_items = models.JSONField("不合格项目", default=list, blank=True)
    correction_due_on = models.DateField("补正截止日期", null=True, blank=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "形式审查"
        verbose_name_plural = "形式审查"
        ordering = ["reviewed_on", "pk"]

    def __str__(self):
        return f"{self.application} 形式审查（{self.reviewed_on:%Y-%m-%d}）"

    @property
    def passed(self) -> bool:
        return not self.failed_items


class Objection(models.Model):
    """公示期异议 and how it was handled."""

    application = models.ForeignKey(
        Application, verbose_name="项目申报", on_delete=models.CASCADE, related_name="objections"
    )
    received_on = models.DateField("收到日期")
    raised_by = models.CharField("异议人", max_length=100, blank=True)
    content = models.TextField("异议内容")
    handling = models.TextField("处理情况", blank=True)
    handled_on = models.DateField("处理日期", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.application} 异议（{self.received_on:%Y-%m-%d}）"


class Milestone(models.Model):
    """任务书节点: what is due when, and what shows it was done."""

    application = models.ForeignKey(
        Application, verbose_name="项目申报", on_delete=models.CASCADE, related_name="milestones"
    )
    content = models.CharField("节点内容", max_length=200)
    due_on = models.DateField("完成时限")
    deliverable = models.CharField("成果形式", max_length=200, blank=True)

    class Meta:
        verbose_name = "任务书节点"
        verbose_name_plural = "任务书节点"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.content


class ChangeKind(models.TextChoices):
    EXTENSION = "extension", "延期"
    CHANGE = "change", "内容变更"
    REVOKE = "revoke", "撤销"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class ChangeRequest(models.Model):
    """变更/延期/撤销 of a running 县级 project, approved (or not) by a 股室负责人."""

    Kind = ChangeKind
    Status = ChangeStatus

    application = models.ForeignKey(
        Application, verbose_name="项目申报", on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField("类型", max_length=20, choices=ChangeKind.choices)
    reason = models.TextField("理由")
    new_end_on = models.DateField("延期至", null=True, blank=True)
    new_content = models.TextField("变更内容", blank=True)
    requested_on = models.DateField("申请日期")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField("审批状态", max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_comment = models.TextField("审批意见", blank=True)
    funds_returned = MoneyField("已退回资金(万元)", null=True, blank=True)
    funds_returned_on = models.DateField("资金退回日期", null=True, blank=True)

    class Meta:
        verbose_name = "变更申请"
        verbose_name_plural = "变更申请"
        ordering = ["requested_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ChangeKind.values), name="changerequest_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ChangeStatus.values), name="changerequest_status_valid"),
        ]

    def __str__(self):
        return f"{self.application} {self.get_kind_display()}"

    def clean(self):
        if self.kind == ChangeKind.EXTENSION and not self.new_end_on:
            raise ValidationError({"new_end_on": "延期申请须填写延期至的日期。"})
        if self.kind == ChangeKind.CHANGE and not self.new_content.strip():
            raise ValidationError({"new_content": "变更申请须填写变更内容。"})


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
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-paid_on", "-id"], name="reward_order_idx"),
        ]
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
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-year", "-id"], name="award_order_idx"),
        ]
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
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-registered_on", "-id"], name="achievement_order_idx"),
        ]
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
