import random

import factory

from enterprises.models import Enterprise, Industry, Town
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
    credit_code = factory.Sequence(credit_code)
    town = factory.SubFactory(TownFactory)
    industry = factory.SubFactory(IndustryFactory)
    scale = Enterprise.Scale.ABOVE
    contact = factory.LazyFunction(fake.name)
    phone = factory.LazyFunction(fake.phone_number)

    class Meta:
        model = Enterprise
