from django.core.management.base import BaseCommand, CommandError

from bureau.documents.storage import ensure_bucket, storage_probe


class Command(BaseCommand):
    help = "检查附件存储（文件系统或 S3）可写可读；--create-bucket 在 S3 上创建缺少的存储桶。"

    def add_arguments(self, parser):
        parser.add_argument("--create-bucket", action="store_true", help="S3 存储桶不存在时创建它")

    def handle(self, *args, create_bucket=False, **options):
        try:
            if create_bucket and ensure_bucket():
                self.stdout.write("已创建附件存储桶。")
            where = storage_probe()
        except Exception as error:  # noqa: BLE001 - any storage failure is reported, not traced
            raise CommandError(f"附件存储不可用：{error}") from error
        self.stdout.write(self.style.SUCCESS(f"附件存储正常：{where}"))
