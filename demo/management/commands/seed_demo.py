"""python manage.py seed_demo [--if-empty]: load the demo county (示例县, 2017–2020) into an empty database."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.figures import COUNTY_NAME
from demo.seed import database_state, row_counts, seed_demo


class Command(BaseCommand):
    help = (
        f"载入演示数据：虚构的“{COUNTY_NAME}”2017—2020年的企业、项目、人才、平台等记录，"
        "其2019年指标与范文报告一致。只在没有业务数据的数据库中载入；已载入时不做任何更改。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库中已有业务数据时只提示并跳过（make run 使用），不报错。",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        state = database_state()
        if state == "demo":
            self.stdout.write(f"演示数据（{COUNTY_NAME}）已载入，本次未做任何更改。")
            return
        if state == "data":
            message = "数据库中已有业务数据，为免与真实数据混在一起，未载入演示数据。"
            if if_empty:
                self.stdout.write(message)
                return
            raise CommandError(message)
        started = time.monotonic()
        seed_demo()
        seconds = time.monotonic() - started
        counts = "、".join(f"{name}{n}条" for name, n in row_counts().items() if n)
        self.stdout.write(self.style.SUCCESS(f"已载入演示数据“{COUNTY_NAME}”（用时{seconds:.1f}秒）：{counts}。"))
