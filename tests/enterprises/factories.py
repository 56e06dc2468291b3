import datetime
import random
from decimal import Decimal

import factory

from demo.names import person_name
from enterprises.models import Certification, CertificationType, Enterprise, Industry, Need, Town, YearlyStatistic
from enterprises.pinyin import name_initials
from enterprises.services import certification_expiry
from enterprises.validators import CHARSET, make_credit_code
from tests.factories import fake, register_factory

# Registration authority 9 (工商), category 1 (企业), region 370323 (a county code format).
_rng = random.Random(20191231)


def credit_code(n: int) -> str:
    body = "".join(_rng.choice(CHARSET) for _ in range(9))
    return make_credit_code(f"91370323{body}")


class TownFactory(factory.django.DjangoModelFactory):
    name = factory.Iterator(["南麻街道", "历山街道", "悦庄镇", "东里镇", "鲁村镇", "燕崖镇", "中庄镇", "张家坡镇"])

    class Meta:
        model = Town
        django_get_or_create = ("name",)


class IndustryFactory(factory.django.DjangoModelFactory):
    name = factory.Iterator(["新材料", "医药化工", "装备制造", "电子信息", "食品加工", "现代农业"])

    class Meta:
        model = Industry
        django_get_or_create = ("name",)


@register_factory
class EnterpriseFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"{fake.city_name()}{fake.word()}科技有限公司{n}")
    name_initials = factory.LazyAttribute(lambda o: name_initials(o.name))
    credit_code = factory.Sequence(credit_code)
    town = factory.SubFactory(TownFactory)
    industry = factory.SubFactory(IndustryFactory)
    scale = Enterprise.Scale.ABOVE
    contact = factory.Sequence(person_name)
    phone = factory.LazyFunction(fake.phone_number)

    class Meta:
        model = Enterprise


class CertificationTypeFactory(factory.django.DjangoModelFactory):
    """The seeded types (the data migration) by code; a flushed database gets them back."""

    code = CertificationType.HIGH_TECH
    name = factory.LazyAttribute(lambda o: SEEDED_TYPES.get(o.code, (f"资质{o.code}", "", None))[0])
    short_name = factory.LazyAttribute(lambda o: SEEDED_TYPES.get(o.code, ("", "", None))[1])
    validity_years = factory.LazyAttribute(lambda o: SEEDED_TYPES.get(o.code, ("", "", None))[2])

    class Meta:
        model = CertificationType
        django_get_or_create = ("code",)


SEEDED_TYPES = {
    CertificationType.HIGH_TECH: ("国家高新技术企业", "高企", 3),
    CertificationType.TECH_SME: ("科技型中小企业", "科小", 1),
}


def high_tech_type() -> CertificationType:
    return CertificationTypeFactory(code=CertificationType.HIGH_TECH)


def tech_sme_type() -> CertificationType:
    return CertificationTypeFactory(code=CertificationType.TECH_SME)


@register_factory
class CertificationFactory(factory.django.DjangoModelFactory):
    """A certified national high-tech enterprise certificate (3 years), unless told otherwise."""

    enterprise = factory.SubFactory(EnterpriseFactory)
    type = factory.SubFactory(CertificationTypeFactory)
    year = 2019
    state = Certification.State.CERTIFIED
    applied_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 6, 20))
    certified_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 11, 28))
    issued_on = factory.LazyAttribute(lambda o: o.certified_on)
    expires_on = factory.LazyAttribute(
        lambda o: (
            certification_expiry(issued_on=o.issued_on, validity_years=o.type.validity_years or 1)
            if o.issued_on
            else None
        )
    )
    certificate_no = factory.Sequence(lambda n: f"GR2019370{n:05d}")
    first_time = True

    class Meta:
        model = Certification


@register_factory
class YearlyStatisticFactory(factory.django.DjangoModelFactory):
    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2019
    rd_expenditure = factory.LazyFunction(lambda: Decimal(_rng.randint(50, 3000)) + Decimal("0.5"))
    revenue = factory.LazyFunction(lambda: Decimal(_rng.randint(5000, 90000)))
    industrial_output = factory.LazyFunction(lambda: Decimal(_rng.randint(8000, 100000)))
    high_tech_output = factory.LazyAttribute(lambda o: (o.industrial_output * Decimal("0.6")).quantize(Decimal("1")))
    patents_applied = factory.LazyFunction(lambda: _rng.randint(3, 30))
    patents_granted = factory.LazyAttribute(lambda o: o.patents_applied // 2)
    invention_patents_granted = factory.LazyAttribute(lambda o: o.patents_granted // 3)
    valid_invention_patents = factory.LazyAttribute(lambda o: o.invention_patents_granted + 2)

    class Meta:
        model = YearlyStatistic


NEED_TITLES = [
    "高性能聚乙烯改性工艺攻关",
    "中药提取废液循环利用技术",
    "智能化生产线视觉检测算法",
    "引进高分子材料方向博士1名",
    "农产品冷链保鲜技术合作",
]


@register_factory
class NeedFactory(factory.django.DjangoModelFactory):
    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = Need.Kind.TECHNOLOGY
    title = factory.Sequence(lambda n: f"{NEED_TITLES[n % len(NEED_TITLES)]}（{n}）")
    description = factory.LazyFunction(lambda: fake.paragraph(nb_sentences=2))
    collected_on = datetime.date(2019, 4, 12)
    state = Need.State.IN_PROGRESS

    class Meta:
        model = Need
