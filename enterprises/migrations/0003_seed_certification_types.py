"""Seed the certification types the indicators rely on, and the pinyin initials of existing names."""

from django.db import migrations

# (code, name, short name, validity in years or None, order)
TYPES = [
    ("high_tech", "国家高新技术企业", "高企", 3, 10),
    ("tech_sme", "科技型中小企业", "科小", 1, 20),
    ("provincial_tech_sme", "省科技型中小企业", "省科小", 1, 30),
    ("ip_advantage", "知识产权优势企业", "知识产权优势", 3, 40),
    ("provincial_innovative", "省科技创新型企业", "省创新型", 3, 50),
    ("gazelle", "瞪羚企业", "瞪羚", None, 60),
]


def seed_types(apps, schema_editor):
    CertificationType = apps.get_model("enterprises", "CertificationType")
    for code, name, short_name, years, order in TYPES:
        CertificationType.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "validity_years": years, "order": order}
        )


def unseed_types(apps, schema_editor):
    CertificationType = apps.get_model("enterprises", "CertificationType")
    CertificationType.objects.filter(code__in=[t[0] for t in TYPES], certifications__isnull=True).delete()


def fill_initials(apps, schema_editor):
    from pypinyin import Style, lazy_pinyin

    Enterprise = apps.get_model("enterprises", "Enterprise")
    for enterprise in Enterprise.objects.filter(name_initials="").only("pk", "name").iterator():
        letters = "".join(lazy_pinyin(enterprise.name, style=Style.FIRST_LETTER)).lower()
        initials = "".join(ch for ch in letters if ch.isascii() and ch.isalnum())[:200]
        Enterprise.objects.filter(pk=enterprise.pk).update(name_initials=initials)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_certifications_statistics_needs")]

    operations = [
        migrations.RunPython(seed_types, unseed_types),
        migrations.RunPython(fill_initials, migrations.RunPython.noop),
    ]
