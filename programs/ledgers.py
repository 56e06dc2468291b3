"""The 项目申报 ledger (DOMAIN.md "Excel ledgers"): applications with their program by name and level.

A program not yet in the catalogue is created with the sheet's level when the import is written
(shown as 新增计划 in the preview), so a bureau can load its history without typing the catalogue
first. The lead enterprise must exist (imported from 企业名录 first).
"""

from __future__ import annotations

import unicodedata

from bureau.ledgers.columns import (
    Choice,
    Date,
    Ledger,
    Money,
    Text,
    Year,
    chunked,
    quoted,
)
from bureau.registry import register_ledger
from enterprises.ledger_columns import EnterpriseRef

from .models import Application, Level, Program

PROGRAM_NAME = "计划名称"
PROGRAM_LEVEL = "计划级别"
EXAMPLE_CODE = "91370323MA3C8N2K4B"


def program_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


def find_or_plan_programs(ctx, wanted: set[tuple[str, str]], *, category: str) -> None:
    """Fetch the catalogue's programs named in the file (one query per chunk); the others are
    planned as new programs, created by ``create_planned_programs`` when the import is written."""
    cache = ctx.caches.setdefault("programs", {})
    names = sorted({name for name, _level in wanted})
    for part in chunked(names):
        for program in Program.objects.filter(name__in=part):
            cache[(program_key(program.name), program.level)] = program
    planned = ctx.pending.setdefault("programs", {})
    for name, level in wanted:
        if (name, level) not in cache:
            program = Program(name=name, level=level, category=category)
            planned[(name, level)] = program
            cache[(name, level)] = program


def create_planned_programs(ctx) -> None:
    for program in ctx.pending.get("programs", {}).values():
        if program.pk is None:
            program.full_clean()
            program.save()


def new_program_flag(program: Program) -> str:
    return "新增计划：%(name)s（%(level)s）" % {"name": program.name, "level": program.get_level_display()}


@register_ledger
class ApplicationLedger(Ledger):
    slug = "applications"
    name = "项目申报"
    model = Application
    columns = (
        Text("项目名称", "title", required=True, example="高性能聚乙烯改性材料关键技术研究"),
        EnterpriseRef("承担单位信用代码", required=True, example=EXAMPLE_CODE),
        Text(PROGRAM_NAME, None, required=True, example="省重点研发计划(科技创新类)", getter=lambda a: a.program.name),
        Choice(
            PROGRAM_LEVEL,
            None,
            required=True,
            choices=Level.choices,
            example="省级",
            getter=lambda a: a.program.get_level_display(),
        ),
        Year("年度", "year", required=True, example=2019),
        Money("申请资金(万元)", "amount_requested", example=100),
        Choice("状态", "status", required=True, example="已立项"),
        Money("获批资金(万元)", "approved_amount", example=50),
        Date("立项日期", "approved_on", example="2019-09-20"),
    )
    key = ("title", "enterprise", "year")
    derived_fields = ("program",)
    field_headers = {"program": PROGRAM_NAME}
    label_headers = ("项目名称", "承担单位信用代码", "年度")
    select_related = ("enterprise", "program")
    notes = (
        "计划名称按科技计划目录匹配；目录中没有的计划按所填级别新增（预览中标为“新增计划”）。",
        "承担单位须已在企业名录中。已有申报的状态只能在系统中按流程办理，导入不改变状态。",
    )

    @classmethod
    def prepare(cls, rows, ctx):
        super().prepare(rows, ctx)
        wanted = {
            (program_key(row[PROGRAM_NAME]), row[PROGRAM_LEVEL])
            for row in rows
            if row.get(PROGRAM_NAME) and row.get(PROGRAM_LEVEL)
        }
        find_or_plan_programs(ctx, wanted, category=Program.Category.RESEARCH)

    @classmethod
    def resolve_row(cls, values, ctx):
        data, errors, flags = super().resolve_row(values, ctx)
        name, level = values.get(PROGRAM_NAME), values.get(PROGRAM_LEVEL)
        if name and level:
            program = ctx.caches["programs"][(program_key(name), level)]
            data["program"] = program
            if program.pk is None:
                flags.append(new_program_flag(program))
        return data, errors, flags

    @classmethod
    def check_row(cls, obj, ctx, before):
        if before is not None and before.get("status") != obj.status:
            old = dict(Application.Status.choices).get(before.get("status"), before.get("status"))
            return {
                "状态": "已有申报的状态只能在系统中按流程办理（当前为%(old)s），导入不能改为%(new)s"
                % {"old": old, "new": quoted(obj.get_status_display())}
            }
        return {}

    @classmethod
    def before_commit(cls, ctx, user):
        create_planned_programs(ctx)
