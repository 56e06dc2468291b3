"""The twelve platform types of DOMAIN.md; the admin may add more (a managed list)."""

from django.db import migrations

PLATFORM_TYPES = [
    ("academician_workstation", "院士工作站"),
    ("expert_workstation", "专家工作站"),
    ("key_lab", "重点实验室"),
    ("engineering_center", "工程技术研究中心"),
    ("innovation_center", "技术创新中心"),
    ("enterprise_tech_center", "企业技术中心"),
    ("maker_space", "众创空间"),
    ("incubator", "孵化器"),
    ("grassroots_station", "基层科研工作站"),
    ("tech_transfer", "技术转移示范机构"),
    ("agri_station", "农科驿站"),
    ("poverty_team", "科技扶贫服务队"),
]


def seed(apps, schema_editor):
    PlatformType = apps.get_model("talent", "PlatformType")
    for order, (code, name) in enumerate(PLATFORM_TYPES, start=1):
        PlatformType.objects.update_or_create(code=code, defaults={"name": name, "order": order * 10})


def unseed(apps, schema_editor):
    PlatformType = apps.get_model("talent", "PlatformType")
    PlatformType.objects.filter(code__in=[code for code, _name in PLATFORM_TYPES], platforms__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
