from django.core.management.base import BaseCommand

from bureau.accounts.roles import ROLES
from demo.users import DEMO_PASSWORD, DEMO_USERS, demo_users_ensure


class Command(BaseCommand):
    help = "创建每个角色的演示用户（已存在则跳过）。"

    def handle(self, *args, **options):
        demo_users_ensure()
        self.stdout.write(f"演示用户（密码均为 {DEMO_PASSWORD}）：")
        for username, role, display in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {ROLES[role].name}（{display}）")
