from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bureau.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump 自定义格式，SQLite 用其备份接口）和上传文件目录到一个归档文件。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="归档文件路径（默认 BACKUP_DIR/bureau-时间.tar）")

    def handle(self, *args, **options):
        output = options["output"] or Path(settings.BACKUP_DIR) / f"bureau-{timezone.now():%Y%m%d-%H%M%S}.tar"
        try:
            manifest = backup(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(manifest["row_counts"].values())
        self.stdout.write(f"已备份到 {output}（{len(manifest['row_counts'])} 张表，{total} 行）。请复制到异地保存。")
