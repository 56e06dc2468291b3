import datetime

import factory

from bureau.core.models import Activity, Policy
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
