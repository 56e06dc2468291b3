"""The 项目申报 ledger (DOMAIN.md "Excel ledgers"): applications with their program by name and level.

A program not yet in the catalogue is created with the sheet's level when the import is written
(shown as 新增计划 in the preview) through ``program_create``, when the importing user may extend the
catalogue (管理员; the command without ``--user``); for anyone else it is the row's error. A new
application past 草稿 is history: only in a state the user may create (``application_states_allowed``:
a 科员 only the workflow's first state), and each gets the log entry "历史数据导入" with the user.
The lead enterprise must exist (imported from 企业名录 first).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError

from bureau.core.models import Policy
from bureau.ledgers.columns import (
    CellError,
    Choice,
    Date,
    Ledger,
    Money,
    Ref,
    Text,
    Year,
    adopt,
    chunked,
    list_key,
    near_message,
    one_edit_apart,
    quoted,
)
from bureau.permissions import has_permission, permission_name, roles_with_permission
from bureau.registry import register_ledger
from enterprises.ledger_columns import EnterpriseRef

from .models import Application, Disbursement, Level, Program, Reward
from .services import (
    application_log_history,
    application_state_refusal,
    application_states_allowed,
    disbursement_check,
    program_create,
)

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


def may_add_program(ctx) -> bool:
    return has_permission(ctx.user, Program, "add")


def near_program(ctx, name: str) -> str | None:
    """A catalogue program whose name differs from ``name`` only by blanks, width or one character
    (the catalogue's names read once per file)."""
    names = ctx.caches.get("program_names")
    if names is None:
        names = ctx.caches["program_names"] = list(Program.objects.values_list("name", flat=True))
    key = list_key(name)
    return next((n for n in names if n != name and (list_key(n) == key or one_edit_apart(list_key(n), key))), None)


def new_program_refusal(name: str, ctx=None) -> str:
    roles = "、".join(roles_with_permission(permission_name(Program, "add")))
    close = near_program(ctx, name) if ctx is not None else None
    near = "（%s）" % near_message(close) if close else ""
    return "%(v)s不在计划目录中%(near)s，只有%(roles)s可以新增计划" % {"v": quoted(name), "near": near, "roles": roles}


def create_planned_programs(ctx, user) -> None:
    """The programs the file names and the catalogue lacks, created through ``program_create``
    (which checks the user's right: the preview has refused their rows to anyone else)."""
    for program in ctx.pending.get("programs", {}).values():
        if program.pk is None:
            adopt(
                program,
                program_create(actor=user, name=program.name, level=program.level, category=program.category),
            )


def new_program_flag(program: Program, ctx=None) -> str:
    flag = "新增计划：%(name)s（%(level)s）" % {"name": program.name, "level": program.get_level_display()}
    close = near_program(ctx, program.name) if ctx is not None else None
    return flag + ("，%s，请核对" % near_message(close) if close else "")


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
        Text("立项文号", "approval_number", example="×科发〔2019〕12号"),
        Text("合同编号", "contract_number", example="2019ZDYF012"),
    )
    key = ("title", "enterprise", "year")
    derived_fields = ("program",)
    field_headers = {"program": PROGRAM_NAME}
    label_headers = ("项目名称", "承担单位信用代码", "年度")
    select_related = ("enterprise", "program")
    notes = (
        "计划名称按科技计划目录匹配；目录中没有的计划按所填级别新增（预览中标为“新增计划”），只有管理员可以新增计划。",
        "承担单位须已在企业名录中。已有申报的状态只能在系统中按流程办理，导入不改变状态。",
        "新申报的状态：科员只能登记草稿；草稿以外的状态是历史数据，由股室负责人或管理员导入，"
        "每条申报记入“历史数据导入”。",
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
            if program.pk is not None:
                data["program"] = program
            elif may_add_program(ctx):
                data["program"] = program
                flags.append(new_program_flag(program, ctx))
            else:
                errors[PROGRAM_NAME] = new_program_refusal(program.name, ctx)
        status = data.get("status")
        if status and status != Application.Status.DRAFT and "状态" not in errors:
            # Flagged in ``existing`` once it is known whether the row is a new application.
            ctx.caches.setdefault("history", []).append((data, flags))
        return data, errors, flags

    @classmethod
    def existing(cls, keys, ctx):
        found = super().existing(keys, ctx)
        for data, flags in ctx.caches.get("history", ()):
            if cls.key_of_data(data) not in found:
                flags.append("历史数据导入：%(s)s" % {"s": Application.Status(data["status"]).label})
        return found

    @classmethod
    def check_row(cls, obj, ctx, before):
        if before is None:
            # A new application: in a state the user could reach (history only for those who may load it).
            if "states" not in ctx.caches:
                ctx.caches["states"] = application_states_allowed(ctx.user)
            refusal = application_state_refusal(ctx.user, obj.status, states=ctx.caches["states"])
            return {"状态": refusal} if refusal else {}
        if before.get("status") != obj.status:
            old = dict(Application.Status.choices).get(before.get("status"), before.get("status"))
            return {
                "状态": "已有申报的状态只能在系统中按流程办理（当前为%(old)s），导入不能改为%(new)s"
                % {"old": old, "new": quoted(obj.get_status_display())}
            }
        return {}

    @classmethod
    def before_commit(cls, ctx, user):
        super().before_commit(ctx, user)
        create_planned_programs(ctx, user)

    @classmethod
    def after_write(cls, result, user):
        # The same building block as application_create: each new one past 草稿 is logged as history.
        application_log_history(applications=[r.instance for r in result.rows if r.status == "new"], actor=user)


# --- 资金拨付 and 奖励兑现: what staff typed one payment at a time ------------------------------------

PROJECT = "项目名称"
PROJECT_ENTERPRISE = "承担单位信用代码"
PROJECT_YEAR = "项目年度"
AMOUNT = "拨付金额(万元)"


@register_ledger
class DisbursementLedger(Ledger):
    slug = "disbursements"
    name = "资金拨付"
    model = Disbursement
    columns = (
        Text(
            PROJECT,
            None,
            required=True,
            example="高性能聚乙烯改性材料关键技术研究",
            getter=lambda d: d.application.title,
        ),
        EnterpriseRef(
            PROJECT_ENTERPRISE,
            None,
            required=True,
            example=EXAMPLE_CODE,
            getter=lambda d: d.application.enterprise.credit_code if d.application.enterprise_id else None,
        ),
        Year(PROJECT_YEAR, None, required=True, example=2019, getter=lambda d: d.application.year),
        Money(AMOUNT, "amount", required=True, example=30),
        Date("拨付日期", "paid_on", required=True, example="2019-12-20"),
        Text("备注", "note", example="首期拨付"),
    )
    key = ("application", "paid_on")
    derived_fields = ("application",)
    field_headers = {"application": PROJECT}
    label_headers = (PROJECT, "拨付日期")
    select_related = ("application__enterprise",)
    notes = (
        "项目按项目名称、承担单位信用代码和项目年度在项目申报中查找（须先导入项目申报）；同一项目同一天只能有一行。",
        "只有已立项、实施中或已验收的项目才能拨付，累计拨付不能超过获批资金（表中前面各行一并计算）。",
    )

    @classmethod
    def prepare(cls, rows, ctx):
        super().prepare(rows, ctx)
        enterprise = next(c for c in cls.columns if c.header == PROJECT_ENTERPRISE)
        enterprise.prepare([r.get(PROJECT_ENTERPRISE) for r in rows], ctx)
        projects = ctx.caches.setdefault("projects", {})
        titles = sorted({r[PROJECT] for r in rows if r.get(PROJECT)})
        for part in chunked(titles):
            for app in Application.objects.filter(title__in=part).select_related("enterprise"):
                projects[(app.title, app.enterprise_id, app.year)] = app
        # What each project has been paid (this file's rows are added as they are checked).
        paid = ctx.caches.setdefault("paid", {})
        ids = [a.pk for a in projects.values()]
        for part in chunked(ids):
            for d in Disbursement.objects.filter(application_id__in=part).values("pk", "application_id", "amount"):
                paid.setdefault(d["application_id"], {})[d["pk"]] = d["amount"]

    @classmethod
    def resolve_row(cls, values, ctx):
        data, errors, flags = super().resolve_row(values, ctx)
        enterprise = None
        if values.get(PROJECT_ENTERPRISE) is not None:
            try:
                column = next(c for c in cls.columns if c.header == PROJECT_ENTERPRISE)
                enterprise = column.resolve(values[PROJECT_ENTERPRISE], ctx)
            except CellError as exc:
                errors[PROJECT_ENTERPRISE] = exc.message
        title, year = values.get(PROJECT), values.get(PROJECT_YEAR)
        if title and year and enterprise is not None:
            app = ctx.caches["projects"].get((title, enterprise.pk, year))
            if app is None:
                errors[PROJECT] = "未找到%(y)s年%(e)s的项目%(t)s，请先在项目申报中导入或新建该项目" % {
                    "y": year,
                    "e": enterprise,
                    "t": quoted(title),
                }
            else:
                data["application"] = app
        return data, errors, flags

    @classmethod
    def check_row(cls, obj, ctx, before):
        # The same rule as disbursement_create/_update, the file's earlier rows counted as paid.
        paid = ctx.caches["paid"].setdefault(obj.application_id, {})
        others = sum((amount for pk, amount in paid.items() if pk != (obj.pk or ("row", id(obj)))), Decimal(0))
        try:
            disbursement_check(application=obj.application, amount=obj.amount, already=others)
        except ValidationError as exc:
            return {cls.header_for_field(f) or PROJECT: " ".join(m) for f, m in exc.message_dict.items()}
        paid[obj.pk or ("row", id(obj))] = obj.amount
        return {}


@register_ledger
class RewardLedger(Ledger):
    slug = "rewards"
    name = "奖励兑现"
    model = Reward
    columns = (
        EnterpriseRef("统一社会信用代码", required=True, example=EXAMPLE_CODE),
        Choice("兑现类型", "kind", required=True, example="研发补贴"),
        Money("兑现金额(万元)", "amount", required=True, example=12.5),
        Date("兑现日期", "paid_on", required=True, example="2019-12-20"),
        Ref("依据政策", "policy", Policy, to_field="title", example="关于加快推进科技创新的若干政策意见"),
        Text("备注", "note", example=""),
    )
    key = ("enterprise", "kind", "paid_on")
    select_related = ("enterprise", "policy")
    notes = (
        "企业须已在企业名录中；依据政策按政策名称在政策文件中查找（须已登记）。同一企业、兑现类型和兑现日期只能有一行。",
    )
