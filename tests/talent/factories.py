import datetime
from decimal import Decimal

import factory

from demo.names import person_name
from programs.models import Call, Program
from talent.models import (
    Commissioner,
    CooperationAgreement,
    Institution,
    Level,
    Person,
    Platform,
    PlatformEvaluation,
    PlatformType,
    Secondment,
    TalentSelection,
)
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import fake, register_factory

INSTITUTIONS = [
    ("山东大学", Institution.Kind.UNIVERSITY),
    ("中国科学院金属研究所", Institution.Kind.INSTITUTE),
    ("山东理工大学", Institution.Kind.UNIVERSITY),
    ("上海交通大学", Institution.Kind.UNIVERSITY),
    ("江南大学", Institution.Kind.UNIVERSITY),
    ("山东省农业科学院", Institution.Kind.INSTITUTE),
    ("山东农业大学", Institution.Kind.UNIVERSITY),
    ("齐鲁工业大学", Institution.Kind.UNIVERSITY),
]
TALENT_PROGRAMS = [
    ("泰山产业领军人才", "provincial"),
    ("科技部创新人才推进计划", "national"),
    ("淄博英才计划", "city"),
    ("淄博杰出精英", "city"),
]


@register_factory
class InstitutionFactory(factory.django.DjangoModelFactory):
    # The real names first, then made-up institutes, so a batch of 50 has 50 distinct rows.
    name = factory.Sequence(
        lambda n: INSTITUTIONS[n][0] if n < len(INSTITUTIONS) else f"{fake.city_name()}工业技术研究院{n}"
    )
    kind = factory.LazyAttribute(lambda o: dict(INSTITUTIONS).get(o.name, Institution.Kind.INSTITUTE))

    class Meta:
        model = Institution
        django_get_or_create = ("name",)
        django_get_or_create = ("name",)


class PlatformTypeFactory(factory.django.DjangoModelFactory):
    """The seeded types (data migration), fetched by code."""

    code = factory.Iterator(["academician_workstation", "expert_workstation", "key_lab", "engineering_center"])
    name = factory.LazyAttribute(lambda o: o.code)

    class Meta:
        model = PlatformType
        django_get_or_create = ("code",)


class TalentProgramFactory(factory.django.DjangoModelFactory):
    """A talent program of the catalogue (category 人才); the programs app owns the catalogue itself."""

    name = factory.Iterator([name for name, _ in TALENT_PROGRAMS])
    level = factory.LazyAttribute(lambda o: dict(TALENT_PROGRAMS).get(o.name, "provincial"))
    category = Program.Category.TALENT

    class Meta:
        model = Program
        django_get_or_create = ("name", "level")


class TalentCallFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(TalentProgramFactory)
    year = 2019
    title = factory.LazyAttribute(lambda o: f"{o.year}年{o.program.name}申报")

    class Meta:
        model = Call


@register_factory
class PersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(person_name)
    gender = factory.Iterator([Person.Gender.MALE, Person.Gender.FEMALE])
    birth_year = factory.Faker("random_int", min=1960, max=1990)
    degree = Person.Degree.DOCTOR
    title = factory.Iterator(["教授", "研究员", "高级工程师", "副教授"])
    field = factory.Iterator(["新材料", "生物医药", "高端装备", "现代农业"])
    employer_enterprise = factory.SubFactory(EnterpriseFactory)
    phone = factory.LazyFunction(fake.phone_number)

    class Meta:
        model = Person


@register_factory
class TalentSelectionFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    program = factory.SubFactory(TalentProgramFactory)
    subcategory = factory.Iterator(["创新类", "创业类"])
    year = 2019
    state = TalentSelection.State.SELECTED
    mode = factory.Iterator([TalentSelection.Mode.FULL_TIME, TalentSelection.Mode.FLEXIBLE])
    support_funds = Decimal("100.0000")

    class Meta:
        model = TalentSelection


@register_factory
class CommissionerFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(
        PersonFactory, employer_enterprise=None, employer_institution=factory.SubFactory(InstitutionFactory)
    )
    kind = factory.Iterator([Commissioner.Kind.AGRICULTURE, Commissioner.Kind.INDUSTRY])
    level = Level.PROVINCIAL
    service_area = factory.Iterator(["南麻街道", "悦庄镇", "东里镇"])
    service_enterprise = factory.SubFactory(EnterpriseFactory)
    start_year = 2018
    end_year = 2020

    class Meta:
        model = Commissioner


@register_factory
class SecondmentFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory, employer_enterprise=None)
    post = Secondment.Post.VICE_TOWN
    post_text = factory.Iterator(["悦庄镇科技副镇长", "东里镇科技副镇长", "鲁村镇科技副镇长"])
    origin_institution = factory.SubFactory(InstitutionFactory)
    start = datetime.date(2019, 3, 1)
    end = datetime.date(2021, 2, 28)

    class Meta:
        model = Secondment


@register_factory
class PlatformFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"{fake.last_name()}院士工作站{n}")
    type = factory.SubFactory(PlatformTypeFactory)
    level = Level.PROVINCIAL
    host_enterprise = factory.SubFactory(EnterpriseFactory)
    state = Platform.State.CERTIFIED
    year = 2019
    applied_on = datetime.date(2019, 4, 10)
    certified_on = datetime.date(2019, 11, 20)

    class Meta:
        model = Platform


@register_factory
class PlatformEvaluationFactory(factory.django.DjangoModelFactory):
    platform = factory.SubFactory(PlatformFactory)
    year = 2020
    result = PlatformEvaluation.Result.GOOD
    reward = Decimal("50.0000")

    class Meta:
        model = PlatformEvaluation


@register_factory
class CooperationAgreementFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"新材料联合研发合作协议（{n}）")
    state = CooperationAgreement.State.SIGNED
    signed_on = datetime.date(2019, 6, 18)
    funds = Decimal("80.0000")
    content = "围绕关键材料制备工艺开展联合攻关，共建研发中心。"

    class Meta:
        model = CooperationAgreement
        skip_postgeneration_save = True

    @factory.post_generation
    def enterprises(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [] if self.county_government else [EnterpriseFactory()]
        self.enterprises.set(extracted)

    @factory.post_generation
    def institutions(self, create, extracted, **kwargs):
        if not create:
            return
        self.institutions.set(extracted if extracted is not None else [InstitutionFactory()])
