import datetime
from decimal import Decimal

import factory

from demo.names import person_name
from programs.models import (
    Achievement,
    Application,
    Award,
    Call,
    Disbursement,
    Expert,
    IntegrityRecord,
    Level,
    Program,
    ReviewRound,
    Reward,
    Track,
)
from tests.core.factories import PolicyFactory
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import fake, register_factory

PROGRAM_NAMES = [
    "省重点研发计划(科技创新类)",
    "省重点研发计划(科技特派员类)",
    '市"双十"计划',
    "区县切块项目",
    "省引智成果示范推广项目",
    "省自然科学基金",
    "国家科技型中小企业技术创新基金",
]
PROJECT_TOPICS = [
    "高性能耐火材料关键技术研究",
    "生物可降解包装材料产业化",
    "智能化果蔬分拣装备研发",
    "中药材标准化种植技术示范",
    "新型锂电池隔膜制备工艺",
    "农村污水生态处理技术集成",
    "精密铸造数字化车间建设",
    "特色林果病虫害绿色防控",
]


@register_factory
class ProgramFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"{PROGRAM_NAMES[n % len(PROGRAM_NAMES)]}·{n}")
    level = Level.PROVINCIAL
    category = Program.Category.RESEARCH
    authority = "省科学技术厅"

    class Meta:
        model = Program


@register_factory
class CallFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(ProgramFactory)
    year = 2019
    title = factory.LazyAttribute(lambda o: f"{o.year}年度{o.program.name}申报")
    opens_on = datetime.date(2019, 3, 1)
    closes_on = datetime.date(2019, 4, 15)

    class Meta:
        model = Call


@register_factory
class ApplicationFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"{PROJECT_TOPICS[n % len(PROJECT_TOPICS)]}（{n}）")
    enterprise = factory.SubFactory(EnterpriseFactory)
    program = factory.SubFactory(ProgramFactory)
    year = 2019
    amount_requested = factory.LazyFunction(lambda: Decimal(fake.random_int(20, 300)))
    status = Application.Status.DRAFT

    class Meta:
        model = Application

    class Params:
        approved = factory.Trait(
            status=Application.Status.APPROVED,
            recommended_on=datetime.date(2019, 4, 10),
            approved_on=datetime.date(2019, 9, 20),
            approved_amount=Decimal("100"),
            acceptance_due_on=datetime.date(2021, 9, 30),
        )


@register_factory
class DisbursementFactory(factory.django.DjangoModelFactory):
    application = factory.SubFactory(ApplicationFactory, approved=True)
    amount = Decimal("30")
    paid_on = datetime.date(2019, 11, 5)
    note = "首笔资金"

    class Meta:
        model = Disbursement


@register_factory
class RewardFactory(factory.django.DjangoModelFactory):
    enterprise = factory.SubFactory(EnterpriseFactory)
    policy = factory.SubFactory(PolicyFactory)
    kind = Reward.Kind.HIGH_TECH
    amount = Decimal("40")
    paid_on = datetime.date(2019, 6, 18)
    note = "首次认定国家高新技术企业奖励"

    class Meta:
        model = Reward


@register_factory
class AwardFactory(factory.django.DjangoModelFactory):
    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Iterator(["省科学技术进步奖", "市科学技术进步奖", "市技术发明奖", "省创新创业大赛"])
    project = factory.Sequence(lambda n: f"{PROJECT_TOPICS[n % len(PROJECT_TOPICS)]}")
    level = Level.PROVINCIAL
    grade = Award.Grade.SECOND
    year = 2019

    class Meta:
        model = Award


@register_factory
class AchievementFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"{PROJECT_TOPICS[n % len(PROJECT_TOPICS)]}成果（{n}）")
    enterprise = factory.SubFactory(EnterpriseFactory)
    registration_number = factory.Sequence(lambda n: f"9370323Y2019{n:04d}")
    registered_on = datetime.date(2019, 5, 12)
    transformed_on = datetime.date(2019, 10, 8)
    transform_mode = Achievement.Mode.SELF

    class Meta:
        model = Achievement


def county_application(*, call=None, **kwargs) -> Application:
    """A 县级立项 application: a county program of that track, a call whose expert review round is
    closed and whose 公示 ended in 2019."""
    if call is None:
        program = ProgramFactory(level=Level.COUNTY, track=Track.COUNTY, authority="县科学技术局")
        call = CallFactory(
            program=program,
            publicity_starts_on=datetime.date(2019, 6, 3),
            publicity_ends_on=datetime.date(2019, 6, 7),
        )
        closed_round(call)
    return ApplicationFactory(program=call.program, call=call, **kwargs)


def closed_round(call: Call):
    """The call's expert review round, closed (the guard of 专家评审 → 公示 lets it through)."""
    return ReviewRoundFactory(call=call, closed_at=datetime.datetime(2019, 5, 31, 10, tzinfo=datetime.UTC))


# --- 专家评审 and 科研诚信 (issue 19) ---

EXPERT_FIELDS = ["新材料", "生物医药", "智能制造", "现代农业", "电子信息", "节能环保"]


@register_factory
class ExpertFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(person_name)
    employer = factory.Sequence(lambda n: ["山东理工大学", "省农业科学院", "市科技情报研究所", "青岛科技大学"][n % 4])
    field = factory.Sequence(lambda n: EXPERT_FIELDS[n % len(EXPERT_FIELDS)])
    title = "教授"
    phone = factory.Sequence(lambda n: f"1390533{n % 10000:04d}")
    email = factory.Sequence(lambda n: f"expert{n}@example.cn")

    class Meta:
        model = Expert


@register_factory
class IntegrityRecordFactory(factory.django.DjangoModelFactory):
    enterprise = factory.SubFactory(EnterpriseFactory)
    cause = "项目申报材料弄虚作假"
    source_document = "县科技局关于科研失信行为的处理决定（×科发〔2019〕8号）"
    starts_on = datetime.date(2019, 6, 1)
    ends_on = datetime.date(2099, 5, 31)

    class Meta:
        model = IntegrityRecord


@register_factory
class ReviewRoundFactory(factory.django.DjangoModelFactory):
    call = factory.SubFactory(CallFactory, program__level=Level.COUNTY)
    recommend_score = Decimal("70")

    class Meta:
        model = ReviewRound
