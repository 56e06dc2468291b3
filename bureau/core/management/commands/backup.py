from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bureau.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump 自定义格式，SQLite 用其备份接口）和上传文件目录到一个归档文件。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="归档文件路径（默认 BACKUP_DIR/bureau-时间.tar）")
        parser.add_argument(
            "--without-documents", action="store_true", help="不含附件文件（附件存储另有备份时，如 S3 存储桶复制）"
        )

    def handle(self, *args, **options):
        output = options["output"] or Path(settings.BACKUP_DIR) / f"bureau-{timezone.now():%Y%m%d-%H%M%S}.tar"
        try:
            manifest = backup(Path(output), documents=not options["without_documents"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(manifest["row_counts"].values())
        documents = manifest["documents"]
        part = "不含附件" if documents is None else f"附件 {documents['count']} 个，{documents['bytes']} 字节"
        self.stdout.write(
            f"已备份到 {output}（{len(manifest['row_counts'])} 张表，{total} 行；{part}）。请复制到异地保存。"
        )
        if documents and documents["missing"]:
            self.stderr.write(
                self.style.WARNING(
                    f"附件存储中缺少 {len(documents['missing'])} 个附件文件，未能备份："
                    + "、".join(documents["missing"][:10])
                    + ("等" if len(documents["missing"]) > 10 else "")
                )
            )
