"""Send the daily e-mail digests now (beat does it at 08:00): each user at most once per day."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bureau.notifications.digest import digests_run


class Command(BaseCommand):
    help = "发送每日待办摘要邮件（每人每天至多一封）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="摘要日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--dry-run", action="store_true", help="只列出将收到摘要的用户，不发送、不登记")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        done = digests_run(date=day, dry_run=dry_run, out=self.stdout)
        if dry_run:
            self.stdout.write(f"{day:%Y-%m-%d}：{len(done)}人将收到摘要（未发送）。")
        else:
            self.stdout.write(f"{day:%Y-%m-%d}：已为{len(done)}人登记并发送摘要（当天已发过的不再发送）。")
