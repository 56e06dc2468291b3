"""The industry list starts with a standard set that a county extends (管理员, or a ledger imported
by one): the strategic emerging industries (国务院《战略性新兴产业分类（2018）》) and the traditional
industries a county typically has."""

from django.db import migrations

INDUSTRIES = [
    # 战略性新兴产业
    "新一代信息技术",
    "高端装备",
    "新材料",
    "生物医药",
    "新能源",
    "节能环保",
    "新能源汽车",
    "数字创意",
    # 传统产业
    "化工",
    "机械制造",
    "冶金",
    "建材",
    "纺织服装",
    "食品加工",
    "造纸",
    "轻工",
    "现代农业",
    "现代服务业",
]


def seed(apps, schema_editor):
    Industry = apps.get_model("enterprises", "Industry")
    for i, name in enumerate(INDUSTRIES):
        Industry.objects.get_or_create(name=name, defaults={"order": (i + 1) * 10})


def unseed(apps, schema_editor):
    Industry = apps.get_model("enterprises", "Industry")
    Industry.objects.filter(name__in=INDUSTRIES, enterprises__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0005_search_trigram_indexes")]

    operations = [migrations.RunPython(seed, unseed)]
