"""人才与平台: people and talent programs, commissioners, secondments, platforms, 产学研 agreements."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from bureau.core.models import YEAR_VALIDATORS
from bureau.records.models import MoneyField, RecordModel


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


LEVEL_ORDER = {value: index for index, value in enumerate(Level.values)}


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    OTHER = "other", "其他"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Degree(models.TextChoices):
    DOCTOR = "doctor", "博士"
    MASTER = "master", "硕士"
    BACHELOR = "bachelor", "学士"
    COLLEGE = "college", "大专"
    OTHER = "other", "其他"


class SelectionState(models.TextChoices):
    APPLIED = "applied", "已申报"
    SELECTED = "selected", "已入选"
    NOT_SELECTED = "not_selected", "未入选"


class IntroductionMode(models.TextChoices):
    FULL_TIME = "full_time", "全职"
    FLEXIBLE = "flexible", "柔性"
    SHARED = "shared", "共享"


class CommissionerKind(models.TextChoices):
    AGRICULTURE = "agriculture", "农业"
    INDUSTRY = "industry", "工业"


class SecondmentPost(models.TextChoices):
    VICE_COUNTY = "vice_county", "科技副县长"
    VICE_TOWN = "vice_town", "科技副镇长"
    OTHER = "other", "其他"


class PlatformState(models.TextChoices):
    PLANNED = "planned", "规划"
    APPLIED = "applied", "已申报"
    CERTIFIED = "certified", "已认定"
    FILED = "filed", "已备案"
    REJECTED = "rejected", "未通过"
    REVOKED = "revoked", "已撤销"


class EvaluationResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class AgreementState(models.TextChoices):
    NEGOTIATING = "negotiating", "洽谈中"
    SIGNED = "signed", "已签约"
    EXECUTING = "executing", "执行中"
    COMPLETED = "completed", "已完成"
    TERMINATED = "terminated", "已终止"


def _choices_q(field: str, choices) -> Q:
    return Q(**{f"{field}__in": [value for value, _label in choices]})


class Institution(models.Model):
    """高校、科研院所: a managed list (admin), e.g. 山东大学, 中科院金属研究所."""

    Kind = InstitutionKind

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=20, choices=InstitutionKind.choices, default=Kind.UNIVERSITY)
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()  # issue 22: every model a user can change keeps its history
    # The version an edit form carries (optimistic concurrency, bureau/records/concurrency.py).
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "高校院所"
        verbose_name_plural = "高校院所"
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=_choices_q("kind", InstitutionKind.choices), name="institution_kind_valid")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        from bureau.records.urls import record_url

        return record_url(self)


class Person(RecordModel):
    """人员: a talent, a commissioner or a seconded cadre, with an employer."""

    Gender = Gender
    Degree = Degree

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField("出生年份", null=True, blank=True, validators=YEAR_VALIDATORS)
    degree = models.CharField("学位", max_length=20, choices=Degree.choices, blank=True)
    title = models.CharField("职称", max_length=50, blank=True, help_text="如：教授、研究员、高级工程师")
    field = models.CharField("专业领域", max_length=100, blank=True)
    employer_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="工作单位（企业）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talents",
    )
    employer_institution = models.ForeignKey(
        Institution,
        verbose_name="工作单位（高校院所）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    employer_text = models.CharField(
        "工作单位（其他）", max_length=100, blank=True, help_text="不在企业和高校院所名录中的单位"
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["name", "id"], name="person_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer_enterprise__isnull=True) | Q(employer_institution__isnull=True),
                name="person_one_employer",
                violation_error_message="工作单位只能填写一个：企业或高校院所。",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        filled = [
            bool(self.employer_enterprise_id),
            bool(self.employer_institution_id),
            bool(self.employer_text.strip()),
        ]
        if sum(filled) > 1:
            raise ValidationError("工作单位只能填写一项：企业、高校院所或其他单位。")

    @property
    def employer(self):
        """The employer as shown: an enterprise, an institution, or the free text (select_related both)."""
        return self.employer_enterprise or self.employer_institution or self.employer_text or None


class TalentSelection(RecordModel):
    """人才工程申报与入选: a person applying to a talent program (e.g. 泰山产业领军人才 创新类)."""

    State = SelectionState
    Mode = IntroductionMode

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="selections")
    program = models.ForeignKey(
        "programs.Program",
        verbose_name="人才工程",
        on_delete=models.PROTECT,
        related_name="talent_selections",
        limit_choices_to={"category": "talent"},
        error_messages={"invalid": "请选择人才类科技计划。"},
    )
    call = models.ForeignKey(
        "programs.Call",
        verbose_name="申报批次",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talent_selections",
    )
    subcategory = models.CharField("类别", max_length=50, blank=True, help_text="如：创新类、创业类")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    state = models.CharField("状态", max_length=20, choices=SelectionState.choices, default=State.APPLIED)
    mode = models.CharField("引进方式", max_length=20, choices=IntroductionMode.choices, blank=True)
    support_funds = MoneyField("扶持资金(万元)", null=True, blank=True)
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "人才工程"
        verbose_name_plural = "人才工程"
        ordering = ["-year", "program__name", "person__name", "pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-year"], name="talent_selection_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choices_q("state", SelectionState.choices), name="talentselection_state_valid"
            ),
            models.CheckConstraint(
                condition=_choices_q("mode", [*IntroductionMode.choices, ("", "")]), name="talentselection_mode_valid"
            ),
            models.UniqueConstraint(
                fields=["person", "program", "subcategory", "year"],
                name="talentselection_unique_person_program_sub_year",
                violation_error_message="该人员本年度已申报过这一人才工程。",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.program}{self.subcategory}（{self.year}年）"

    def clean(self):
        # A call belongs to one program and one year: the selection must agree with both.
        if self.call_id and self.program_id and self.call.program_id != self.program_id:
            raise ValidationError({"call": "申报批次「%(call)s」不属于所选人才工程。" % {"call": self.call}})
        if self.call_id and self.year and self.call.year != self.year:
            raise ValidationError({"year": "年度应与申报批次的年度（%(year)s年）一致。" % {"year": self.call.year}})


class Commissioner(RecordModel):
    """科技特派员: agricultural or industrial, serving an area or an enterprise for some years."""

    Kind = CommissionerKind

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="commissions")
    kind = models.CharField("类型", max_length=20, choices=CommissionerKind.choices)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    service_area = models.CharField("服务区域", max_length=100, blank=True, help_text="如：南麻街道、悦庄镇")
    service_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="服务企业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissioners",
    )
    start_year = models.PositiveSmallIntegerField("开始年份", validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        "结束年份", null=True, blank=True, validators=YEAR_VALIDATORS, help_text="仍在服务的留空"
    )
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "科技特派员"
        verbose_name_plural = "科技特派员"
        ordering = ["-start_year", "person__name", "pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-start_year"], name="commissioner_start_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choices_q("kind", CommissionerKind.choices), name="commissioner_kind_valid"
            ),
            models.CheckConstraint(condition=_choices_q("level", Level.choices), name="commissioner_level_valid"),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="commissioner_years_ordered",
                violation_error_message="结束年份不能早于开始年份。",
            ),
        ]

    def __str__(self):
        return f"{self.person}（{self.get_level_display()}{self.get_kind_display()}科技特派员）"


class Secondment(RecordModel):
    """挂职: a cadre from a university or institute serving as 科技副县长/科技副镇长."""

    Post = SecondmentPost

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="secondments")
    post = models.CharField("挂职岗位", max_length=20, choices=SecondmentPost.choices)
    post_text = models.CharField("具体职务", max_length=100, blank=True, help_text="如：悦庄镇科技副镇长")
    origin_institution = models.ForeignKey(
        Institution, verbose_name="派出单位", on_delete=models.PROTECT, related_name="secondments"
    )
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True, help_text="仍在挂职的留空")
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "挂职"
        verbose_name_plural = "挂职"
        ordering = ["-start", "pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-start", "id"], name="secondment_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=_choices_q("post", SecondmentPost.choices), name="secondment_post_valid"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="secondment_dates_ordered",
                violation_error_message="结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self):
        return f"{self.person}（{self.post_text or self.get_post_display()}）"

    def clean(self):
        if self.post == self.Post.OTHER and not self.post_text.strip():
            raise ValidationError({"post_text": "挂职岗位为“其他”时，请填写具体职务。"})


class PlatformType(models.Model):
    """创新平台类型: a managed list (admin); ``code`` is stable for reports and imports."""

    code = models.SlugField("代码", max_length=50, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()  # issue 22: every model a user can change keeps its history

    class Meta:
        verbose_name = "平台类型"
        verbose_name_plural = "平台类型"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Platform(RecordModel):
    """创新平台: 院士工作站, 重点实验室 … hosted by an enterprise or an institution."""

    State = PlatformState

    # A platform "exists" once certified (认定) or filed (备案); only then is it evaluated.
    ESTABLISHED = (State.CERTIFIED, State.FILED)
    # States that carry the date of 认定/备案 (a revoked platform keeps the date it was established).
    DATED = (State.CERTIFIED, State.FILED, State.REVOKED)

    name = models.CharField("平台名称", max_length=200)
    type = models.ForeignKey(PlatformType, verbose_name="平台类型", on_delete=models.PROTECT, related_name="platforms")
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    host_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="依托企业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="platforms",
    )
    host_institution = models.ForeignKey(
        Institution,
        verbose_name="依托高校院所",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="platforms",
    )
    state = models.CharField("状态", max_length=20, choices=PlatformState.choices, default=State.PLANNED)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS, help_text="规划或申报的年度")
    applied_on = models.DateField("申报日期", null=True, blank=True)
    certified_on = models.DateField("认定/备案日期", null=True, blank=True)
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "创新平台"
        verbose_name_plural = "创新平台"
        ordering = ["-year", "name", "pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-year", "name", "id"], name="platform_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=_choices_q("state", PlatformState.choices), name="platform_state_valid"),
            models.CheckConstraint(condition=_choices_q("level", Level.choices), name="platform_level_valid"),
            models.CheckConstraint(
                condition=Q(host_enterprise__isnull=True) | Q(host_institution__isnull=True),
                name="platform_one_host",
                violation_error_message="依托单位只能填写一个：企业或高校院所。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def host(self):
        return self.host_enterprise or self.host_institution

    @property
    def is_established(self) -> bool:
        return self.state in self.ESTABLISHED

    def clean(self):
        errors = []
        if self.state in self.DATED and not self.certified_on:
            errors.append("状态为“%(state)s”时，请填写认定/备案日期。" % {"state": self.get_state_display()})
        if self.state not in self.DATED and self.certified_on:
            errors.append("尚未认定或备案的平台不能有认定/备案日期。")
        if self.applied_on and self.certified_on and self.certified_on < self.applied_on:
            errors.append("认定/备案日期不能早于申报日期。")
        if errors:
            raise ValidationError({"certified_on": errors})


class PlatformEvaluation(RecordModel):
    """平台绩效评估: a yearly result of a certified or filed platform, with its reward."""

    Result = EvaluationResult

    platform = models.ForeignKey(
        Platform, verbose_name="创新平台", on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField("评估年度", validators=YEAR_VALIDATORS)
    result = models.CharField("评估结果", max_length=20, choices=EvaluationResult.choices)
    reward = MoneyField("奖励资金(万元)", null=True, blank=True)
    notes = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "平台绩效评估"
        verbose_name_plural = "平台绩效评估"
        ordering = ["-year", "platform__name", "pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-year"], name="platform_evaluation_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choices_q("result", EvaluationResult.choices), name="platformevaluation_result_valid"
            ),
            models.UniqueConstraint(
                fields=["platform", "year"],
                name="platformevaluation_unique_platform_year",
                violation_error_message="该平台本年度已有绩效评估记录。",
            ),
        ]

    def __str__(self):
        return f"{self.platform}（{self.year}年 {self.get_result_display()}）"


class CooperationAgreement(RecordModel):
    """产学研合作协议: enterprises and/or the county government with one or more institutions."""

    State = AgreementState

    title = models.CharField("协议名称", max_length=200)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name="合作企业", blank=True, related_name="cooperation_agreements"
    )
    county_government = models.BooleanField("县政府签约", default=False, help_text="由县政府（或县科技局）签约")
    institutions = models.ManyToManyField(Institution, verbose_name="合作高校院所", related_name="agreements")
    state = models.CharField("状态", max_length=20, choices=AgreementState.choices, default=State.SIGNED)
    signed_on = models.DateField("签约日期", null=True, blank=True)
    funds = MoneyField("合作经费(万元)", null=True, blank=True)
    content = models.TextField("合作内容", blank=True)

    # Which enterprises and institutions an agreement named, in each version of its history.
    _history_m2m_fields = ("enterprises", "institutions")

    class Meta:
        verbose_name = "产学研合作"
        verbose_name_plural = "产学研合作"
        ordering = ["-signed_on", "-pk"]
        # The list's default ordering and its common filters (issue 20: lists that stay fast).
        indexes = [
            models.Index(fields=["-signed_on", "-id"], name="agreement_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choices_q("state", AgreementState.choices), name="cooperation_state_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.state != self.State.NEGOTIATING and not self.signed_on:
            raise ValidationError({"signed_on": "已签约的协议请填写签约日期。"})
        if self.state == self.State.NEGOTIATING and self.signed_on:
            raise ValidationError({"signed_on": "洽谈中的协议尚未签约，不能有签约日期。"})
