from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from bureau.accounts.roles import ADMIN, ROLES
from demo.users import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "创建每个角色的演示用户（已存在则跳过）。"

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        for username, role, display in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": display})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = role == ADMIN
                user.is_superuser = role == ADMIN
                user.save()
            user.groups.add(Group.objects.get(name=ROLES[role].name))
        self.stdout.write(f"演示用户（密码均为 {DEMO_PASSWORD}）：")
        for username, role, display in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {ROLES[role].name}（{display}）")
