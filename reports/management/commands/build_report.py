"""python manage.py build_report --year 2024 --out report.pdf (or .docx): the page's build, run here.

Only the file asked for is rendered (a PDF build writes no DOCX). The fonts are checked first, as
the report worker does at its start: ``manage.py`` itself no longer imports WeasyPrint to check.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.checks import check_report_fonts
from reports.models import AnnualReport, ReportBuild
from reports.report_services import annual_report_create, report_build_start
from reports.tasks import build_report


class Command(BaseCommand):
    help = "生成某年度的工作总结和工作计划（与页面上的“生成新版本”相同，在本进程中同步执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2024")
        parser.add_argument("--out", required=True, help="输出文件：以 .pdf 或 .docx 结尾")

    def handle(self, *args, year: int, out: str, **options):
        target = Path(out)
        fmt = target.suffix.lower().lstrip(".")
        if fmt not in ("pdf", "docx"):
            raise CommandError("--out 须以 .pdf 或 .docx 结尾。")
        for message in check_report_fonts():
            if message.is_serious():
                raise CommandError(f"{message.msg}（{message.hint}）")
            self.stderr.write(self.style.WARNING(f"{message.msg}（{message.hint}）"))
        report = AnnualReport.objects.filter(year=year).first()
        if report is None:
            try:
                report = annual_report_create(actor=None, year=year)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
        try:
            build = report_build_start(report_id=report.pk, by=None, enqueue=False)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        build_report.apply(args=[build.pk], kwargs={"formats": (fmt,)})  # the same task, synchronously
        build.refresh_from_db()
        if build.state != ReportBuild.State.SUCCEEDED:
            raise CommandError(f"第{build.version}版生成失败：{build.message}")
        field = build.pdf if fmt == "pdf" else build.docx
        with field.open("rb") as src:
            target.write_bytes(src.read())
        self.stdout.write(self.style.SUCCESS(f"已生成 {report}（第{build.version}版）：{target}"))
