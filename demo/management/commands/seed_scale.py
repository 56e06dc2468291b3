"""``manage.py seed_scale [--scale 1.0]``: a city-scale data set for the benchmarks.

At ``--scale 1`` about 20,000 enterprises and 100,000 applications over 10 years, with
certifications, yearly statistics, needs, talents, platforms, agreements, awards, rewards and the
county's base data and targets in proportion. Rows are written with ``bulk_create`` in batches
(no change-history rows, no per-row signals); the data version is bumped once at the end, so the
dashboard's cache starts afresh. Deterministic for a given ``--seed``. Works on SQLite and
PostgreSQL.

A data generator, so it lives in the demo app (the top layer): it writes every app's models.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bureau.core.models import Activity, AnnualTarget, CountyYear, Policy
from bureau.records.versioning import bump_data_version
from bureau.registry import registry
from demo.names import NAME_COUNT, person_name
from enterprises.models import Certification, CertificationType, Enterprise, Industry, Need, Town, YearlyStatistic
from enterprises.pinyin import name_initials
from enterprises.validators import CHARSET, make_credit_code
from programs.models import Achievement, Application, Award, Call, Disbursement, Level, Program, Reward
from talent.models import (
    Commissioner,
    CooperationAgreement,
    Institution,
    Person,
    Platform,
    PlatformEvaluation,
    PlatformType,
    Secondment,
    TalentSelection,
)

BATCH = 2000
YEARS = 10

# Per year at --scale 1 (20,000 enterprises): how many of each record.
PER_YEAR = {
    "applications": 10_000,
    "high_tech_applications": 320,
    "tech_smes": 900,
    "statistics": 5_000,
    "needs": 260,
    "selections": 300,
    "platforms": 120,
    "agreements": 90,
    "awards": 60,
    "achievements": 150,
    "rewards": 400,
    "trainings": 30,
    "events": 40,
    "policies": 8,
}
ENTERPRISES = 20_000
PEOPLE = 3_000
COMMISSIONERS = 300
SECONDMENTS = 40

TOWNS = [
    "南麻街道", "历山街道", "悦庄镇", "东里镇", "鲁村镇", "燕崖镇", "中庄镇", "张家坡镇",
    "西里镇", "石桥镇", "大张庄镇", "南鲁山镇", "经济开发区", "高新区", "城南街道", "城北街道",
]  # fmt: skip
INDUSTRIES = [
    "新材料",
    "医药化工",
    "装备制造",
    "电子信息",
    "食品加工",
    "现代农业",
    "纺织服装",
    "新能源",
    "建材",
    "生物技术",
]
BRANDS = [
    "鲁源", "沂康", "齐鑫", "瑞丰", "泰和", "华盛", "宏达", "金诺", "博远", "中恒", "天元", "正和", "鼎盛", "海容",
    "佳联", "汇通", "润泽", "恒信", "绿源", "新科", "凯达", "宝利", "隆基", "益生", "宇航", "睿德", "明泰", "永安",
    "东岳", "嘉禾", "信诚", "昊天", "旭升", "安泰", "华康", "众邦", "立新", "同创", "卓越", "亿丰",
]  # fmt: skip
FIELDS = ["新材料", "生物医药", "精细化工", "智能装备", "电子", "食品", "农业科技", "环保", "新能源", "纺织"]
SUFFIXES = ["科技有限公司", "股份有限公司", "有限公司", "集团有限公司", "技术开发有限公司"]
INSTITUTIONS = [
    ("山东大学", Institution.Kind.UNIVERSITY),
    ("山东理工大学", Institution.Kind.UNIVERSITY),
    ("中国科学院金属研究所", Institution.Kind.INSTITUTE),
    ("山东省农业科学院", Institution.Kind.INSTITUTE),
    ("山东农业大学", Institution.Kind.UNIVERSITY),
    ("齐鲁工业大学", Institution.Kind.UNIVERSITY),
    ("江南大学", Institution.Kind.UNIVERSITY),
    ("上海交通大学", Institution.Kind.UNIVERSITY),
]
PROGRAMS = [
    ("国家重点研发计划", Level.NATIONAL, Program.Category.RESEARCH),
    ("省重点研发计划(科技创新类)", Level.PROVINCIAL, Program.Category.RESEARCH),
    ("省重点研发计划(科技特派员类)", Level.PROVINCIAL, Program.Category.RESEARCH),
    ("省引智成果示范推广项目", Level.PROVINCIAL, Program.Category.TALENT),
    ("省自然科学基金", Level.PROVINCIAL, Program.Category.RESEARCH),
    ('市"双十"计划', Level.CITY, Program.Category.RESEARCH),
    ("市重点研发计划", Level.CITY, Program.Category.RESEARCH),
    ("区县切块项目", Level.CITY, Program.Category.SUBSIDY),
    ("县级科技计划", Level.COUNTY, Program.Category.RESEARCH),
    ("县科技创新券", Level.COUNTY, Program.Category.SUBSIDY),
]
TALENT_PROGRAMS = [
    ("泰山产业领军人才", Level.PROVINCIAL),
    ("科技部创新人才推进计划", Level.NATIONAL),
    ("淄博英才计划", Level.CITY),
]
PROJECT_TOPICS = [
    "高性能聚乙烯改性关键技术研究", "中药配方颗粒质量标准研究", "智能化生产线视觉检测系统", "农产品冷链保鲜技术示范",
    "新型耐火材料研发与产业化", "生物发酵工艺优化", "高端轴承精密加工技术", "废水资源化循环利用",
    "功能性食品添加剂开发", "光伏组件封装材料研究", "工业互联网平台建设", "果蔬精深加工关键技术",
]  # fmt: skip


def _code_body(n: int) -> str:
    """Nine characters of the credit-code alphabet, distinct for each n (base 31)."""
    digits = []
    for _ in range(9):
        n, r = divmod(n, len(CHARSET))
        digits.append(CHARSET[r])
    return "".join(reversed(digits))


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _date(rng: random.Random, year: int, first_month: int = 1, last_month: int = 12) -> datetime.date:
    month = rng.randint(first_month, last_month)
    return datetime.date(year, month, rng.randint(1, 28))


class Command(BaseCommand):
    help = "生成城市规模的基准测试数据（约2万家企业、10年10万条项目申报及相应的资质、统计、人才、平台等）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="规模系数：1 为约2万家企业、10万条项目申报")
        parser.add_argument("--end-year", type=int, default=None, help="最后一个年度（默认今年，按全年数据生成）")
        parser.add_argument("--seed", type=int, default=20191231, help="随机数种子（相同种子生成相同数据）")

    def handle(self, *args, scale: float, end_year: int | None, seed: int, **options):
        if not 0 < scale <= 20:
            raise CommandError("规模系数须在 0 到 20 之间。")
        self.rng = random.Random(seed)
        self.scale = scale
        # The last year is this one, filled as a whole year: the dashboard opens on it (targets set).
        self.end = end_year or timezone.localdate().year
        self.years = list(range(self.end - YEARS + 1, self.end + 1))
        started = time.monotonic()
        with transaction.atomic():
            self.reference_data()
            self.enterprises()
            self.enterprise_records()
            self.programs()
            self.talent()
            self.core()
        bump_data_version()
        with transaction.atomic():
            self.targets()  # from the figures: needs the rows above
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {time.monotonic() - started:.1f} 秒。"))

    # -- helpers -------------------------------------------------------------------------------

    def n(self, per_scale_one: float) -> int:
        return max(1, round(per_scale_one * self.scale))

    def per_year(self, key: str, year_index: int) -> int:
        """Counts grow about 5% a year, so that trends show on the dashboard."""
        return self.n(PER_YEAR[key] * (0.8 + 0.045 * year_index))

    def write(self, model, objs: list, label: str) -> list:
        created = []
        for start in range(0, len(objs), BATCH):
            created.extend(model.objects.bulk_create(objs[start : start + BATCH]))
        self.stdout.write(f"  {label}: {len(objs)}")
        return created

    # -- data ----------------------------------------------------------------------------------

    def reference_data(self):
        self.towns = [Town.objects.get_or_create(name=n, defaults={"order": i})[0] for i, n in enumerate(TOWNS)]
        self.industries = [
            Industry.objects.get_or_create(name=n, defaults={"order": i})[0] for i, n in enumerate(INDUSTRIES)
        ]
        self.high_tech = CertificationType.objects.get_or_create(
            code=CertificationType.HIGH_TECH,
            defaults={"name": "国家高新技术企业", "short_name": "高企", "validity_years": 3},
        )[0]
        self.tech_sme = CertificationType.objects.get_or_create(
            code=CertificationType.TECH_SME,
            defaults={"name": "科技型中小企业", "short_name": "科小", "validity_years": 1},
        )[0]
        self.platform_types = list(PlatformType.objects.all())
        if not self.platform_types:
            self.platform_types = [PlatformType.objects.create(code="academician_workstation", name="院士工作站")]
        self.institutions = [
            Institution.objects.get_or_create(name=n, defaults={"kind": k, "order": i})[0]
            for i, (n, k) in enumerate(INSTITUTIONS)
        ]
        self.program_list = [
            Program.objects.get_or_create(name=n, level=lv, defaults={"category": c})[0] for n, lv, c in PROGRAMS
        ]
        self.talent_programs = [
            Program.objects.get_or_create(name=n, level=lv, defaults={"category": Program.Category.TALENT})[0]
            for n, lv in TALENT_PROGRAMS
        ]

    def enterprises(self):
        rng = self.rng
        offset = Enterprise.objects.count()
        count = self.n(ENTERPRISES)
        objs = []
        for i in range(count):
            name = f"{rng.choice(TOWNS)[:2]}{rng.choice(BRANDS)}{rng.choice(FIELDS)}{rng.choice(SUFFIXES)}"
            objs.append(
                Enterprise(
                    name=name,
                    name_initials=name_initials(name),
                    credit_code=make_credit_code(f"91370323{_code_body(offset + i + 7_000_000)}"),
                    town=rng.choice(self.towns),
                    industry=rng.choice(self.industries),
                    scale=Enterprise.Scale.ABOVE if rng.random() < 0.3 else Enterprise.Scale.BELOW,
                    contact=person_name(rng.randrange(NAME_COUNT)),
                    phone=f"1{rng.randint(3, 9)}{rng.randint(0, 999_999_999):09d}",
                    founded_on=datetime.date(rng.randint(1990, self.end), rng.randint(1, 12), 1),
                )
            )
        self.enterprise_list = self.write(Enterprise, objs, "企业")
        # Larger firms do the R&D, apply for programs and hold certificates.
        above = [e for e in self.enterprise_list if e.scale == Enterprise.Scale.ABOVE]
        self.active = above or self.enterprise_list

    def enterprise_records(self):
        rng = self.rng
        certs, stats, needs = [], [], []
        holders: dict[int, int] = {}  # enterprise pk -> year of its current high-tech certificate
        for yi, year in enumerate(self.years):
            for e in rng.sample(self.active, min(len(self.active), self.per_year("high_tech_applications", yi))):
                renewal = holders.get(e.pk, -99) == year - 3
                passed = rng.random() < (0.85 if renewal else 0.65)
                issued = datetime.date(year, rng.choice((10, 11, 12)), rng.randint(1, 28)) if passed else None
                certs.append(
                    Certification(
                        enterprise=e,
                        type=self.high_tech,
                        year=year,
                        state=Certification.State.CERTIFIED if passed else Certification.State.REJECTED,
                        applied_on=datetime.date(year, rng.randint(5, 7), rng.randint(1, 28)),
                        certified_on=issued,
                        issued_on=issued,
                        expires_on=issued.replace(year=year + 3) - datetime.timedelta(days=1) if issued else None,
                        certificate_no=f"GR{year}370{len(certs):05d}" if passed else "",
                        first_time=passed and not renewal,
                    )
                )
                if passed:
                    holders[e.pk] = year
            for e in rng.sample(self.enterprise_list, min(len(self.enterprise_list), self.per_year("tech_smes", yi))):
                day = _date(rng, year, 3, 9)
                certs.append(
                    Certification(
                        enterprise=e,
                        type=self.tech_sme,
                        year=year,
                        state=Certification.State.CERTIFIED,
                        applied_on=day - datetime.timedelta(days=20),
                        certified_on=day,
                        issued_on=day,
                        expires_on=datetime.date(year, 12, 31),
                        certificate_no=f"{year}370323{len(certs):05d}",
                    )
                )
            for e in rng.sample(self.active, min(len(self.active), self.per_year("statistics", yi))):
                output = _money(rng, 3_000, 120_000)
                granted = rng.randint(0, 10)
                invention = rng.randint(0, granted // 3)
                stats.append(
                    YearlyStatistic(
                        enterprise=e,
                        year=year,
                        rd_expenditure=_money(rng, 20, 330),
                        revenue=_money(rng, 3_000, 150_000),
                        industrial_output=output,
                        high_tech_output=(output * Decimal(rng.randint(20, 80)) / 100).quantize(Decimal("0.01")),
                        patents_applied=granted + rng.randint(0, 20),
                        patents_granted=granted,
                        invention_patents_granted=invention,
                        valid_invention_patents=invention + rng.randint(0, 4),
                    )
                )
            for _ in range(self.per_year("needs", yi)):
                collected = _date(rng, year, 1, 10)
                state = rng.choices(
                    [Need.State.RESOLVED, Need.State.IN_PROGRESS, Need.State.UNRESOLVED, Need.State.PENDING],
                    weights=[55, 20, 15, 10],
                )[0]
                resolved = collected + datetime.timedelta(days=rng.randint(20, 300))
                resolved = min(resolved, datetime.date(year, 12, 31)) if rng.random() < 0.8 else resolved
                needs.append(
                    Need(
                        enterprise=rng.choice(self.active),
                        kind=Need.Kind.TECHNOLOGY if rng.random() < 0.8 else Need.Kind.TALENT,
                        title=f"{rng.choice(PROJECT_TOPICS)}技术需求",
                        collected_on=collected,
                        state=state,
                        resolved_on=resolved if state == Need.State.RESOLVED else None,
                    )
                )
        self.write(Certification, certs, "企业资质")
        self.write(YearlyStatistic, stats, "企业年度统计")
        self.write(Need, needs, "企业需求")

    def programs(self):
        rng = self.rng
        S = Application.Status
        calls = {}
        call_objs = []
        for year in self.years:
            for p in self.program_list + self.talent_programs:
                opens = datetime.date(year, rng.randint(2, 5), 1)
                call_objs.append(
                    Call(
                        program=p,
                        year=year,
                        title=f"{year}年{p.name}申报",
                        opens_on=opens,
                        closes_on=opens + datetime.timedelta(days=45),
                    )
                )
        # A call closing soon, so the reminders have something to say.
        today = timezone.localdate()
        call_objs.append(
            Call(
                program=self.program_list[1],
                year=today.year,
                title=f"{today.year}年{self.program_list[1].name}申报（第二批）",
                opens_on=today - datetime.timedelta(days=20),
                closes_on=today + datetime.timedelta(days=7),
            )
        )
        for call in self.write(Call, call_objs, "申报批次"):
            calls[(call.program_id, call.year)] = call
        apps, weights = [], [3, 18, 8, 4, 6, 16, 14, 8, 14, 9]
        for yi, year in enumerate(self.years):
            for _ in range(self.per_year("applications", yi)):
                program = rng.choices(self.program_list, weights=weights)[0]
                upper = program.level != Level.COUNTY
                requested = _money(rng, 10, 500)
                status = rng.choices(
                    [S.DRAFT, S.COUNTY_REVIEW, S.REJECTED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.TERMINATED],
                    weights=[3, 4, 38, 10, 20, 23, 2],
                )[0]
                if year < self.end and status in (S.DRAFT, S.COUNTY_REVIEW):
                    status = S.REJECTED
                recommended = status not in (S.DRAFT, S.COUNTY_REVIEW)
                approved = status in (S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.TERMINATED)
                recommended_on = _date(rng, year, 3, 7) if recommended else None
                approved_on = (
                    min(recommended_on + datetime.timedelta(days=rng.randint(30, 150)), datetime.date(year, 12, 31))
                    if approved
                    else None
                )
                due = approved_on.replace(year=approved_on.year + 2) if approved_on else None
                apps.append(
                    Application(
                        title=f"{rng.choice(PROJECT_TOPICS)}（{year}）",
                        enterprise=rng.choice(self.active),
                        call=calls.get((program.pk, year)),
                        program=program,
                        year=year,
                        amount_requested=requested,
                        status=status,
                        recommended_on=recommended_on if upper else None,
                        approved_on=approved_on,
                        approved_amount=(requested * Decimal(rng.randint(40, 100)) / 100).quantize(Decimal("0.01"))
                        if approved
                        else None,
                        acceptance_due_on=due,
                        accepted_on=due if status == S.ACCEPTED and due and due <= today else None,
                        acceptance_result="passed" if status == S.ACCEPTED and due and due <= today else "",
                    )
                )
        apps = self.write(Application, apps, "项目申报")
        disbursements = [
            Disbursement(application=a, amount=a.approved_amount, paid_on=a.approved_on + datetime.timedelta(days=60))
            for a in apps
            if a.approved_amount and rng.random() < 0.6
        ]
        self.write(Disbursement, disbursements, "资金拨付")
        rewards, awards, achievements = [], [], []
        for yi, year in enumerate(self.years):
            for _ in range(self.per_year("rewards", yi)):
                rewards.append(
                    Reward(
                        enterprise=rng.choice(self.active),
                        kind=rng.choice(Reward.Kind.values),
                        amount=_money(rng, 2, 60),
                        paid_on=_date(rng, year),
                    )
                )
            for _ in range(self.per_year("awards", yi)):
                awards.append(
                    Award(
                        enterprise=rng.choice(self.active),
                        name=rng.choice(["省科学技术进步奖", "市科学技术进步奖", "省技术发明奖", "市创新创业大赛"]),
                        project=rng.choice(PROJECT_TOPICS),
                        level=rng.choice([Level.PROVINCIAL, Level.CITY, Level.CITY]),
                        grade=rng.choice(Award.Grade.values),
                        year=year,
                    )
                )
            for _ in range(self.per_year("achievements", yi)):
                registered = _date(rng, year, 1, 8)
                transformed = rng.random() < 0.6
                achievements.append(
                    Achievement(
                        title=rng.choice(PROJECT_TOPICS) + "成果",
                        enterprise=rng.choice(self.active),
                        registration_number=f"SD{year}{len(achievements):05d}",
                        registered_on=registered,
                        transformed_on=registered + datetime.timedelta(days=rng.randint(10, 120))
                        if transformed
                        else None,
                        transform_mode=rng.choice(Achievement.Mode.values) if transformed else "",
                    )
                )
        self.write(Reward, rewards, "奖励兑现")
        self.write(Award, awards, "科技奖励")
        self.write(Achievement, achievements, "科技成果")

    def talent(self):
        rng = self.rng
        people = []
        for _ in range(self.n(PEOPLE)):
            at_enterprise = rng.random() < 0.7
            people.append(
                Person(
                    name=person_name(rng.randrange(NAME_COUNT)),
                    gender=rng.choice(Person.Gender.values),
                    birth_year=rng.randint(1960, 1992),
                    degree=rng.choice(Person.Degree.values),
                    field=rng.choice(FIELDS),
                    employer_enterprise=rng.choice(self.active) if at_enterprise else None,
                    employer_institution=None if at_enterprise else rng.choice(self.institutions),
                )
            )
        people = self.write(Person, people, "人员")
        selections = []
        seen = set()
        for yi, year in enumerate(self.years):
            for _ in range(self.per_year("selections", yi)):
                person, program = rng.choice(people), rng.choice(self.talent_programs)
                sub = rng.choice(["创新类", "创业类"])
                if (person.pk, program.pk, sub, year) in seen:
                    continue
                seen.add((person.pk, program.pk, sub, year))
                selected = rng.random() < 0.35
                selections.append(
                    TalentSelection(
                        person=person,
                        program=program,
                        subcategory=sub,
                        year=year,
                        state=TalentSelection.State.SELECTED if selected else TalentSelection.State.APPLIED,
                        mode=rng.choice(TalentSelection.Mode.values),
                        support_funds=_money(rng, 20, 200) if selected else None,
                    )
                )
        self.write(TalentSelection, selections, "人才工程")
        commissioners = []
        for _ in range(self.n(COMMISSIONERS)):
            start = rng.choice(self.years)
            commissioners.append(
                Commissioner(
                    person=rng.choice(people),
                    kind=rng.choice(Commissioner.Kind.values),
                    level=rng.choice([Level.PROVINCIAL, Level.CITY, Level.COUNTY]),
                    service_area=rng.choice(TOWNS),
                    service_enterprise=rng.choice(self.active),
                    start_year=start,
                    end_year=start + rng.randint(1, 3) if rng.random() < 0.7 else None,
                )
            )
        self.write(Commissioner, commissioners, "科技特派员")
        secondments = []
        for _ in range(self.n(SECONDMENTS)):
            start = _date(rng, rng.choice(self.years))
            secondments.append(
                Secondment(
                    person=rng.choice(people),
                    post=Secondment.Post.VICE_TOWN,
                    post_text=f"{rng.choice(TOWNS)}科技副镇长",
                    origin_institution=rng.choice(self.institutions),
                    start=start,
                    end=start + datetime.timedelta(days=730),
                )
            )
        self.write(Secondment, secondments, "挂职")
        platforms, agreements = [], []
        for yi, year in enumerate(self.years):
            for _ in range(self.per_year("platforms", yi)):
                ptype = rng.choice(self.platform_types)
                state = rng.choices(
                    [Platform.State.CERTIFIED, Platform.State.FILED, Platform.State.APPLIED, Platform.State.REJECTED],
                    weights=[55, 20, 15, 10],
                )[0]
                applied = _date(rng, year, 1, 6)
                host = rng.choice(self.active)
                platforms.append(
                    Platform(
                        name=f"{host.name[:8]}{ptype.name}",
                        type=ptype,
                        level=rng.choice([Level.PROVINCIAL, Level.CITY, Level.CITY, Level.COUNTY]),
                        host_enterprise=host,
                        state=state,
                        year=year,
                        applied_on=applied,
                        certified_on=applied + datetime.timedelta(days=rng.randint(30, 150))
                        if state in Platform.ESTABLISHED
                        else None,
                    )
                )
            for _ in range(self.per_year("agreements", yi)):
                agreements.append(
                    CooperationAgreement(
                        title=f"{rng.choice(FIELDS)}产学研合作协议",
                        state=CooperationAgreement.State.SIGNED,
                        signed_on=_date(rng, year),
                        funds=_money(rng, 10, 300),
                        content=rng.choice(PROJECT_TOPICS),
                    )
                )
        platforms = self.write(Platform, platforms, "创新平台")
        evaluations = []
        for p in platforms:
            if p.state not in Platform.ESTABLISHED:
                continue
            for year in range(p.certified_on.year + 1, self.end + 1, 2):
                result = rng.choices(PlatformEvaluation.Result.values, weights=[20, 45, 30, 5])[0]
                evaluations.append(
                    PlatformEvaluation(
                        platform=p,
                        year=year,
                        result=result,
                        reward=Decimal(50) if result == PlatformEvaluation.Result.EXCELLENT else None,
                    )
                )
        self.write(PlatformEvaluation, evaluations, "平台绩效评估")
        agreements = self.write(CooperationAgreement, agreements, "产学研合作")
        through_e = CooperationAgreement.enterprises.through
        through_i = CooperationAgreement.institutions.through
        self.write(
            through_e,
            [through_e(cooperationagreement=a, enterprise=rng.choice(self.active)) for a in agreements],
            "合作企业",
        )
        self.write(
            through_i,
            [through_i(cooperationagreement=a, institution=rng.choice(self.institutions)) for a in agreements],
            "合作高校院所",
        )

    def core(self):
        rng = self.rng
        activities, policies, county = [], [], []
        for yi, year in enumerate(self.years):
            for n in range(self.per_year("trainings", yi)):
                activities.append(
                    Activity(
                        title=f"{rng.choice(['高新技术企业申报', '研发费用加计扣除', '科技成果转化', '知识产权'])}培训班（{year}年第{n + 1}期）",
                        kind=Activity.Kind.TRAINING,
                        held_on=_date(rng, year),
                        participants=rng.randint(30, 200),
                    )
                )
            for _ in range(self.per_year("events", yi)):
                activities.append(
                    Activity(
                        title=f"{rng.choice(TOWNS)}企业走访",
                        kind=rng.choice([Activity.Kind.VISIT, Activity.Kind.EVENT, Activity.Kind.PUBLICITY]),
                        held_on=_date(rng, year),
                        participants=rng.randint(5, 80),
                    )
                )
            for n in range(self.per_year("policies", yi)):
                policies.append(
                    Policy(
                        title=f"关于加快科技创新的若干措施（{year}-{n + 1}）",
                        document_number=f"示政发〔{year}〕{n + 1}号",
                        issued_on=_date(rng, year),
                    )
                )
            # A city of about 470万 people and 3,500亿元 GDP at --scale 1 (R&D intensity near 2.5%).
            gdp = (Decimal(3500 * self.scale) * Decimal(str(0.75 + 0.035 * yi))).quantize(Decimal("0.01"))
            county.append(
                CountyYear(
                    year=year,
                    gdp=gdp,
                    population=(Decimal(470) * Decimal(str(self.scale))).quantize(Decimal("0.01")),
                    industrial_output_above_scale=gdp * 10_000 * Decimal("1.4"),
                )
            )
        self.write(Activity, activities, "培训与活动")
        self.write(Policy, policies, "政策文件")
        existing = set(CountyYear.objects.values_list("year", flat=True))
        self.write(CountyYear, [c for c in county if c.year not in existing], "县域基础数据")

    def targets(self):
        """Targets for the last year near its figures, and next year's a little above them."""
        rng = self.rng
        existing = set(AnnualTarget.objects.values_list("year", "indicator"))
        targets = []
        for code, indicator in registry["indicators"].items():
            value = indicator.value(self.end)
            if not value:
                continue
            for year, factor in ((self.end, rng.uniform(0.85, 1.25)), (self.end + 1, 1.1)):
                if (year, code) in existing:
                    continue
                target = Decimal(value) * Decimal(str(round(factor, 2)))
                target = target.quantize(Decimal("1") if indicator.decimals == 0 else Decimal("0.01"))
                targets.append(AnnualTarget(year=year, indicator=code, target=max(target, Decimal(1))))
        self.write(AnnualTarget, targets, "年度目标")
