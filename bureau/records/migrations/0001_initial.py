import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("ledger", models.CharField(max_length=50, verbose_name="台账")),
                ("filename", models.CharField(max_length=200, verbose_name="文件名")),
                ("stored_file", models.CharField(max_length=255, verbose_name="服务器上的文件")),
                ("size", models.PositiveBigIntegerField(default=0, verbose_name="文件大小(字节)")),
                ("rows_estimate", models.PositiveIntegerField(default=0, verbose_name="估计行数")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "排队中"),
                            ("validating", "校验中"),
                            ("preview", "待确认导入"),
                            ("invalid", "有错误"),
                            ("committing", "导入中"),
                            ("done", "已导入"),
                            ("failed", "失败"),
                            ("discarded", "已放弃"),
                        ],
                        default="queued",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                ("phase", models.CharField(blank=True, max_length=50, verbose_name="当前步骤")),
                ("progress_done", models.PositiveIntegerField(default=0, verbose_name="已处理行数")),
                ("progress_total", models.PositiveIntegerField(default=0, verbose_name="总行数")),
                ("result", models.JSONField(blank=True, default=dict, verbose_name="预览与结果")),
                ("message", models.TextField(blank=True, verbose_name="说明")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="上传时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="import_jobs",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="上传人",
                    ),
                ),
            ],
            options={
                "verbose_name": "Excel导入任务",
                "verbose_name_plural": "Excel导入任务",
                "ordering": ["-created_at"],
            },
        ),
    ]
