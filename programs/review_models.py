"""专家评审 and 科研诚信 (issue 19): the expert pool, review rounds with their score sheets,
assignments and scores, and 失信 records with their logged exceptions.

Imported by ``programs/models.py`` so that Django finds the models under the ``programs`` label.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bureau.formatting import chinese_date
from bureau.records.models import RecordModel


class Expert(RecordModel):
    """专家库: one expert; an account (专家 role) lets them score their own assignments."""

    name = models.CharField("姓名", max_length=50)
    employer = models.CharField("工作单位", max_length=200, blank=True)
    employer_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="工作单位（本县企业）",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employed_experts",
        help_text="工作单位是本县企业时选择，回避时按此判断",
    )
    field = models.CharField("专业领域", max_length=100)
    title = models.CharField("职称", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    related_enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name="关联单位",
        blank=True,
        related_name="related_experts",
        help_text="与专家有任职、投资、合作或亲属关系的企业：评审这些企业的项目时回避",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert",
        help_text="专家本人录入评分时使用的账号（专家角色）",
    )
    active = models.BooleanField("在库", default=True)

    class Meta:
        verbose_name = "评审专家"
        verbose_name_plural = "专家库"
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["field"], name="expert_field_idx")]

    def __str__(self):
        return self.name

    @property
    def employer_name(self) -> str:
        return self.employer_enterprise.name if self.employer_enterprise_id else self.employer


class IntegrityRecord(RecordModel):
    """科研诚信: a 失信 record on an enterprise or a person. While it lasts the enterprise cannot
    apply and the expert cannot be assigned, unless a reviewer lets one call through (logged)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="失信企业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="integrity_records",
    )
    person_name = models.CharField(
        "失信人员/单位（非企业）", max_length=200, blank=True, help_text="不是本县企业时填写：个人姓名或单位名称"
    )
    expert = models.ForeignKey(
        Expert,
        verbose_name="对应专家",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="integrity_records",
        help_text="失信人员在专家库中时选择：期间不得指派评审",
    )
    cause = models.TextField("失信行为")
    source_document = models.CharField("依据文件", max_length=200, help_text="认定失信的文件名称及文号")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True, help_text="不填表示长期")

    class Meta:
        verbose_name = "失信记录"
        verbose_name_plural = "科研诚信"
        ordering = ["-starts_on", "-pk"]
        permissions = [("review_integrityrecord", "失信限制例外放行")]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | Q(expert__isnull=False) | ~Q(person_name=""),
                name="integrity_record_has_subject",
            ),
        ]

    def __str__(self):
        return f"{self.subject_name}失信记录（{self.starts_on:%Y-%m-%d}起）"

    @property
    def subject_name(self) -> str:
        if self.enterprise_id:
            return self.enterprise.name
        if self.expert_id:
            return self.expert.name
        return self.person_name

    @property
    def until_text(self) -> str:
        return chinese_date(self.ends_on) if self.ends_on else "长期"

    def clean(self):
        if self.enterprise_id is None and self.expert_id is None and not self.person_name.strip():
            raise ValidationError({"enterprise": "请选择失信企业或专家，或填写失信人员/单位。"})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "截止日期不能早于起始日期。"})


class IntegrityOverride(models.Model):
    """A reviewer lets one call through despite a 失信 record, with the reason (also an audit event)."""

    record = models.ForeignKey(
        IntegrityRecord, verbose_name="失信记录", on_delete=models.CASCADE, related_name="overrides"
    )
    call = models.ForeignKey(
        "programs.Call", verbose_name="申报批次", on_delete=models.CASCADE, related_name="integrity_overrides"
    )
    reason = models.TextField("放行理由")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="放行人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("放行时间", auto_now_add=True)

    class Meta:
        verbose_name = "失信限制例外放行"
        verbose_name_plural = "失信限制例外放行"
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["record", "call"], name="integrity_override_once_per_call")]

    def __str__(self):
        return f"{self.record}：{self.call}"


class ReviewRound(RecordModel):
    """专家评审: the review round of a call, its score sheet, assignments and ranking."""

    call = models.OneToOneField(
        "programs.Call", verbose_name="申报批次", on_delete=models.PROTECT, related_name="review_round"
    )
    recommend_score = models.DecimalField(
        "推荐分数线", max_digits=6, decimal_places=2, default=70, help_text="平均分达到此线的项目建议立项"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    closed_at = models.DateTimeField("评审结束时间", null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束评审人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = "专家评审"
        verbose_name_plural = "专家评审"
        ordering = ["-call__year", "-pk"]
        permissions = [("review_reviewround", "结束专家评审")]

    def __str__(self):
        return f"{self.call}专家评审"

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class ScoreCriterion(models.Model):
    """One line of a call's score sheet: a criterion, its weight and its maximum score."""

    round = models.ForeignKey(ReviewRound, verbose_name="专家评审", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("评分项", max_length=100)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2, default=1)
    maximum = models.DecimalField("满分", max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分表"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="score_criterion_unique_name"),
            models.CheckConstraint(condition=Q(maximum__gt=0), name="score_criterion_maximum_positive"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="score_criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", "待声明"
    DECLARED = "declared", "待评分"
    SCORED = "scored", "已评分"
    RECUSED = "recused", "已回避"


class ReviewAssignment(models.Model):
    """An expert assigned to review one application of the round."""

    State = AssignmentState

    round = models.ForeignKey(
        ReviewRound, verbose_name="专家评审", on_delete=models.CASCADE, related_name="assignments"
    )
    application = models.ForeignKey(
        "programs.Application", verbose_name="项目申报", on_delete=models.CASCADE, related_name="review_assignments"
    )
    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.PROTECT, related_name="assignments")
    state = models.CharField("状态", max_length=10, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指派人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)
    declared_at = models.DateTimeField("声明无利益冲突时间", null=True, blank=True)
    recusal_reason = models.CharField("回避理由", max_length=200, blank=True)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True, blank=True)
    comment = models.TextField("评审意见", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    # Who typed the scores in: the expert themself, or a staff member from the paper sheet.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "评审指派"
        verbose_name_plural = "评审指派"
        # The 专家 role's marker (roles.py): it scores only the assignments made to its own expert.
        permissions = [("score_reviewassignment", "录入本人的评审评分")]
        ordering = ["application_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="review_assignment_once"),
            models.CheckConstraint(condition=Q(state__in=AssignmentState.values), name="review_assignment_state_valid"),
        ]

    def __str__(self):
        return f"{self.expert}评审「{self.application}」"


class Score(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment, verbose_name="评审指派", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(ScoreCriterion, verbose_name="评分项", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("得分", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion}：{self.value}"
