"""``manage.py export_indicators --year Y --out file.xlsx``: the year's indicator table as .xlsx."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.indicator_export import write_indicator_table


class Command(BaseCommand):
    help = "导出某年度主要指标完成情况（指标、单位、目标值、完成值、完成率、上年值、同比）为 .xlsx"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2020")
        parser.add_argument("--out", required=True, help="输出文件路径（.xlsx）")

    def handle(self, *args, year: int, out: str, **options):
        if not 1949 <= year <= 2100:
            raise CommandError("年度无效。")
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须为 .xlsx。")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fileobj:
            count = write_indicator_table(fileobj, year=year)
        self.stdout.write(self.style.SUCCESS(f"已导出 {year} 年 {count} 项指标到 {path}"))
