"""``python manage.py import_ledger 企业名录 file.xlsx [--dry-run]``: the upload page's checks and
all-or-nothing write, from the command line. Errors go to stderr one per line; exit code 1."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.folder import near_lines, summary_line
from bureau.ledgers.write import ledger_import
from bureau.registry import registry


class Command(BaseCommand):
    help = "导入Excel台账（先校验，整份文件全部写入或全部不写入）。"

    def add_arguments(self, parser):
        parser.add_argument("ledger", help="台账名称（如 企业名录）或英文代码（如 enterprises）")
        parser.add_argument("file", help=".xlsx 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument("--user", help="记入修改历史的用户名（可选）")

    def handle(self, *args, ledger, file, dry_run=False, user=None, **options):
        found = get_ledger(ledger)
        if found is None:
            names = "、".join(f"{lg.name}（{lg.slug}）" for lg in registry["ledgers"].values())
            raise CommandError(f"没有台账“{ledger}”。可用的台账：{names}", returncode=2)
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"没有用户“{user}”。", returncode=2)
        try:
            open(file, "rb").close()
        except OSError as exc:
            raise CommandError(f"无法打开文件 {file}：{exc.strerror}", returncode=2) from None
        result = ledger_import(ledger=found, path=file, user=by, commit=not dry_run)
        for notice in [*result.notices, *near_lines(result)]:
            self.stdout.write(f"提示：{notice}")
        errors = result.messages()
        for line in errors:
            self.stderr.write(line)
        summary = summary_line(found, result)
        if errors:
            raise CommandError(f"{summary}。有 {len(errors)} 处错误，未写入任何数据。", returncode=1)
        if dry_run:
            self.stdout.write(f"{summary}。（试运行，未写入）")
        else:
            self.stdout.write(self.style.SUCCESS(f"{summary}。已全部写入。"))
