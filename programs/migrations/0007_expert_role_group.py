"""The 专家 group (in programs: the group needs the review models' permissions; bureau depends on no app) (issue 19: experts score their own assignments and see nothing else): roles.py applied again."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def sync_roles(apps, schema_editor):
    from bureau.accounts.services import roles_sync

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_auditor_role"),
        ("programs", "0006_expert_review_integrity"),
        ("audit", "0002_override_kind"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
