"""``python manage.py import_ledgers DIR [--user NAME] [--dry-run]``: a county's ledger files at once.

Each .xlsx file of the folder is matched to its ledger by its name (e.g. ``01_企业名录.xlsx``) or,
failing that, by its headers, and imported in dependency order (企业名录 → 企业资质 → 企业年度统计 →
项目申报 → 人才 → 创新平台 → 县域基础数据 → 年度目标, then the other ledgers), one summary line
per file. Each file is all or nothing (as ``import_ledger``); the command stops at the first file with
errors (exit 1), so what it wrote is the files before it, whole. With ``--dry-run`` nothing is
written, so a file whose rows point to records of an earlier file reports them missing. A file no ledger matches stops it
before anything is written (exit 2). ``--user`` as in import_ledger: without it the command acts as
the system (it may add to the managed lists and load history)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bureau.ledgers.folder import ledger_files, near_lines, summary_line
from bureau.ledgers.write import ledger_import


class Command(BaseCommand):
    help = "按依赖顺序导入一个文件夹中的全部Excel台账（每个文件全部写入或全部不写入，遇到错误即停止）。"

    def add_arguments(self, parser):
        parser.add_argument("folder", help="存放台账 .xlsx 文件的文件夹")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument("--user", help="导入人用户名（按其权限导入并记入修改历史；不填为系统）")

    def handle(self, *args, folder, dry_run=False, user=None, **options):
        root = Path(folder)
        if not root.is_dir():
            raise CommandError(f"没有文件夹 {folder}。", returncode=2)
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"没有用户“{user}”。", returncode=2)
        files = ledger_files(root)
        unknown = [p.name for ledger, p in files if ledger is None]
        if unknown:
            raise CommandError(
                "无法识别这些文件属于哪个台账（文件名应含台账名称，如“企业名录”，或表头与模板一致）：%s。未导入任何文件。"
                % "、".join(unknown),
                returncode=2,
            )
        if not files:
            raise CommandError(f"文件夹 {folder} 中没有 .xlsx 文件。", returncode=2)
        for ledger, path in files:
            result = ledger_import(ledger=ledger, path=str(path), user=by, commit=not dry_run)
            for notice in [*result.notices, *near_lines(result)]:
                self.stdout.write(f"提示（{path.name}）：{notice}")
            errors = result.messages()
            line = f"{path.name} → {summary_line(ledger, result)}"
            if errors:
                for message in errors:
                    self.stderr.write(f"{path.name} {message}")
                rest = len(files) - files.index((ledger, path)) - 1
                raise CommandError(
                    f"{line}。有 {len(errors)} 处错误，本文件未写入任何数据；已停止，其后 {rest} 个文件未导入。",
                    returncode=1,
                )
            self.stdout.write(f"{line}。" + ("（试运行，未写入）" if dry_run else "已全部写入。"))
