"""Keep the role groups' permissions equal to roles.py."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import ROLES


@transaction.atomic
def roles_sync(*, group_model=Group, permission_model=Permission) -> None:
    """Create the four groups and give each exactly the permissions its role grants.

    Takes the models so that the data migration can pass its historical ones.
    """
    perms = list(permission_model.objects.select_related("content_type"))
    for role in ROLES.values():
        group, _ = group_model.objects.get_or_create(name=role.name)
        wanted = [p for p in perms if role.grants(f"{p.content_type.app_label}.{p.codename}")]
        group.permissions.set(wanted)
