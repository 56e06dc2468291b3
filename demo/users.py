"""The demo users, one per role; printed by ``make run`` and listed in README."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from bureau.accounts.roles import ADMIN, EXPERT, LEADER, REVIEWER, ROLES, STAFF

DEMO_PASSWORD = "demo12345"
DEMO_USERS = [
    # username, role, display name
    ("keyuan", STAFF, "王科员"),
    ("keyuan2", STAFF, "李科员"),
    ("guzhang", REVIEWER, "赵股长"),
    ("juzhang", LEADER, "刘局长"),
    ("admin", ADMIN, "系统管理员"),
    ("zhuanjia", EXPERT, "孙立华"),  # an outside expert: sees only the applications assigned to them
]


@transaction.atomic
def demo_users_ensure() -> dict:
    """Create the demo users that are missing (an existing one keeps its password); username -> user."""
    User = get_user_model()
    users = {}
    for username, role, display in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": display})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == ADMIN
            user.is_superuser = role == ADMIN
            user.save()
        if not user.email:  # the digest goes to <username>@example.com (a reserved domain: no real mail)
            user.email = f"{username}@example.com"
            user.save(update_fields=["email"])
        user.groups.add(Group.objects.get(name=ROLES[role].name))
        users[username] = user
    return users
