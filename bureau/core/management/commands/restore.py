from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bureau.backup import BackupError, restore, row_counts


class Command(BaseCommand):
    help = "从 backup 生成的归档恢复数据库和上传文件；目标数据库应为新建的空库。"

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--dbname", help="恢复到同一服务器上的另一个（空）数据库，而不是当前数据库")
        parser.add_argument("--media-root", help="上传文件恢复到的目录（默认 MEDIA_ROOT）")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="不询问确认")
        parser.add_argument("--without-documents", action="store_true", help="不恢复附件文件（附件存储另行恢复时）")

    def handle(self, *args, **options):
        if not options["noinput"]:
            answer = input("恢复会写入目标数据库和上传文件目录，确定继续吗？输入 yes 继续：")
            if answer.strip() != "yes":
                raise CommandError("已取消。")
        try:
            manifest = restore(
                Path(options["archive"]),
                dbname=options["dbname"],
                media_root=options["media_root"],
                documents=not options["without_documents"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not options["dbname"]:
            counts = row_counts()
            differ = [t for t, n in manifest["row_counts"].items() if counts.get(t) != n]
            if differ:
                raise CommandError(f"恢复后行数与备份不一致：{', '.join(differ)}")
        self.stdout.write(f"已从 {options['archive']}（{manifest['created_at']}）恢复。")
        documents = manifest["documents_restored"]
        if documents is not None:
            self.stdout.write(f"附件：写回 {documents['restored']} 个，存储中已有 {documents['present']} 个。")
            if documents["damaged"]:
                self.stderr.write(
                    self.style.WARNING(
                        f"{len(documents['damaged'])} 个附件文件内容与其 SHA-256 不符，未写回："
                        + "、".join(documents["damaged"][:10])
                    )
                )
