"""python manage.py build_report --year 2024 --out report.pdf (or .docx): the page's build, run here.

``--kind`` picks the report (``reports.kinds``): annual (年度工作总结和工作计划, the default),
half_year (上半年工作总结) or briefing (科技创新工作情况汇报, with ``--audience`` and ``--date``). A
report of that kind, year (and audience) is created when there is none; the staff texts are
written on its page.

Only the file asked for is rendered (a PDF build writes no DOCX). The fonts are checked first, as
the report worker does at its start: ``manage.py`` itself no longer imports WeasyPrint to check.

With inputs missing it exits 1 and prints one line per input: what is missing and where it is
entered (the Excel ledger that supplies it and the page). A reviewer may leave figures out as on the
page: ``--leave-out 研发投入强度 … --user NAME --reason TEXT`` (refused unless NAME has that right).
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from bureau.registry import registry
from reports.checks import check_report_fonts
from reports.kinds import ANNUAL, KINDS
from reports.models import AnnualReport, ReportBuild
from reports.report_selectors import report_completeness, report_snapshot
from reports.report_services import annual_report_create, report_build_start, report_exclude
from reports.tasks import build_report


def missing_lines(problem) -> list[str]:
    """One line per missing input: 缺少…（用于“…”）：导入台账“…”（/ledgers/…/）或在页面录入：/…/."""
    if not problem.inputs:
        return [f"{problem.label}：{problem.message}"]
    lines = []
    for i in problem.inputs:
        where = []
        if i["ledger"]:
            where.append(f"导入台账“{i['ledger']}”（{i['ledger_url']}）")
        if i["url"]:
            where.append(f"在页面录入：{i['url']}")
        lines.append(f"缺少{i['label']}（用于“{problem.label}”）：{'，或'.join(where) or '请联系管理员'}")
    return lines


class Command(BaseCommand):
    help = "生成某年度的工作报告（与页面上的“生成新版本”相同，在本进程中同步执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2024")
        parser.add_argument(
            "--kind",
            choices=list(KINDS),
            default=ANNUAL,
            help="报告类型：" + "，".join(f"{k.key}（{k.label}）" for k in KINDS.values()),
        )
        parser.add_argument("--audience", default="", help="情况汇报的汇报对象，如“县政协常委会”")
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="成文日期 YYYY-MM-DD（情况汇报必填）")
        parser.add_argument("--out", required=True, help="输出文件：以 .pdf 或 .docx 结尾")
        parser.add_argument("--leave-out", nargs="+", default=[], metavar="指标名", help="不写入报告的指标（名称）")
        parser.add_argument("--user", help="确认不写入报告的用户名（须有股室负责人的权限）")
        parser.add_argument("--reason", default="", help="不写入报告的理由（必填）")

    def handle(self, *args, year: int, out: str, leave_out: list[str], user: str | None, reason: str, **options):
        kind, audience, date = options["kind"], options["audience"].strip(), options["date"]
        target = Path(out)
        fmt = target.suffix.lower().lstrip(".")
        if fmt not in ("pdf", "docx"):
            raise CommandError("--out 须以 .pdf 或 .docx 结尾。")
        for message in check_report_fonts():
            if message.is_serious():
                raise CommandError(f"{message.msg}（{message.hint}）")
            self.stderr.write(self.style.WARNING(f"{message.msg}（{message.hint}）"))
        report = AnnualReport.objects.filter(kind=kind, year=year, audience=audience).first()
        if report is None:
            try:
                report = annual_report_create(
                    actor=None, year=year, kind=kind, audience=audience, **({"report_date": date} if date else {})
                )
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
        if leave_out:
            self._leave_out(report, leave_out, user, reason)

        try:
            build = report_build_start(actor=None, report_id=report.pk, enqueue=False)
        except ValidationError as exc:
            check = report_completeness(report_snapshot(report))  # refused: say what is missing, and where
            if check.ok:
                raise CommandError("\n".join(exc.messages)) from exc
            for problem in check.blocking:
                for line in missing_lines(problem):
                    self.stderr.write(line)
            raise CommandError(f"报告所需数据不完整（{len(check.blocking)}项），未生成。", returncode=1) from exc
        build_report.apply(args=[build.pk], kwargs={"formats": (fmt,)})  # the same task, synchronously
        build.refresh_from_db()
        if build.state != ReportBuild.State.SUCCEEDED:
            raise CommandError(f"第{build.version}版生成失败：{build.message}")
        field = build.pdf if fmt == "pdf" else build.docx
        with field.open("rb") as src:
            target.write_bytes(src.read())
        self.stdout.write(self.style.SUCCESS(f"已生成 {report}（第{build.version}版）：{target}"))

    def _leave_out(self, report: AnnualReport, names: list[str], username: str | None, reason: str) -> None:
        if not username:
            raise CommandError("--leave-out 须用 --user 指明确认人。")
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"没有用户“{username}”。")
        by_name = {str(ind.name): code for code, ind in registry["indicators"].items()}
        for name in names:
            code = by_name.get(name) or (name if name in registry["indicators"] else None)
            if code is None:
                raise CommandError(f"没有指标“{name}”。")
            try:
                report_exclude(actor=actor, report_id=report.pk, item=code, reason=reason)
            except PermissionDenied as exc:
                raise CommandError(f"{username}：{exc or '没有确认不写入报告的权限。'}") from exc
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
            self.stdout.write(f"已确认“{name}”不写入报告（{username}：{reason.strip()}）。")
