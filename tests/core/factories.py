import datetime
from decimal import Decimal

import factory

from bureau.core.models import Activity, AnnualTarget, CountyYear, Policy
from bureau.registry import registry
from tests.factories import fake, register_factory


@register_factory
class PolicyFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"关于加强科技创新工作的若干政策意见（第{n}号）")
    document_number = factory.Sequence(lambda n: f"示政发〔2019〕{n}号")
    level = Policy.Level.COUNTY
    issuer = "示例县人民政府"
    issued_on = factory.LazyFunction(lambda: fake.date_between(datetime.date(2017, 1, 1), datetime.date(2020, 12, 31)))

    class Meta:
        model = Policy


@register_factory
class ActivityFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"研发经费统计上报培训班（第{n}期）")
    kind = Activity.Kind.TRAINING
    held_on = factory.LazyFunction(lambda: fake.date_between(datetime.date(2017, 1, 1), datetime.date(2020, 12, 31)))
    location = "县科技局会议室"
    participants = factory.Faker("random_int", min=10, max=120)

    class Meta:
        model = Activity


@register_factory
class CountyYearFactory(factory.django.DjangoModelFactory):
    year = factory.Sequence(lambda n: 2000 + n % 100)
    gdp = factory.LazyFunction(lambda: Decimal(fake.random_int(1800000, 4200000)) / 10000)  # 亿元
    population = factory.LazyFunction(lambda: Decimal(fake.random_int(350000, 850000)) / 10000)  # 万人
    industrial_output_above_scale = factory.LazyFunction(lambda: Decimal(fake.random_int(2000000, 6000000)))  # 万元

    class Meta:
        model = CountyYear
        django_get_or_create = ("year",)


def _codes() -> list[str]:
    return sorted(registry["indicators"])


@register_factory
class AnnualTargetFactory(factory.django.DjangoModelFactory):
    year = factory.Sequence(lambda n: 2015 + (n // len(_codes())) % 80)
    indicator = factory.Sequence(lambda n: _codes()[n % len(_codes())])
    target = factory.LazyFunction(lambda: Decimal(fake.random_int(5, 60)))
    notes = "县科技局年度工作要点"

    class Meta:
        model = AnnualTarget
        django_get_or_create = ("year", "indicator")
