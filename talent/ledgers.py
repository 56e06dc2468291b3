"""The talent ledgers (DOMAIN.md "Excel ledgers"): 人才 (talent-program selections) and 创新平台.

人才: a person is found by name (and the employer's credit code when given); one not yet recorded is
created with the import. The 人才工程 is matched in the program catalogue by name; one not yet there
is created as a talent program (shown as 新增计划 in the preview). "泰山产业领军人才（创新类）" is the
program 泰山产业领军人才 with the category 创新类.

创新平台: a platform is found by name and type; its host enterprise by credit code (it must exist);
评估结果 records that year's evaluation (created or updated with the platform).
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError

from bureau.ledgers.columns import Choice, Ledger, NameRef, Text, Year, adopt, chunked
from bureau.permissions import has_permission, permission_message
from bureau.registry import register_ledger
from enterprises.ledger_columns import EnterpriseRef
from enterprises.ledgers import new_list_code
from programs.ledgers import (
    create_planned_programs,
    may_add_program,
    new_program_flag,
    new_program_refusal,
    program_key,
)
from programs.models import Level, Program

from .models import EvaluationResult, Person, Platform, PlatformEvaluation, PlatformType, TalentSelection
from .services import (
    person_create,
    platform_evaluable,
    platform_evaluation_check_year,
    platform_evaluation_create,
    platform_evaluation_update,
    platform_type_create,
)

NAME = "姓名"
PROGRAM = "人才工程"
EMPLOYER = "工作单位信用代码"
EXAMPLE_CODE = "91370323MA3C8N2K4B"
_SUBCATEGORY = re.compile(r"^(.+?)\s*[（(]?\s*([^\s（()）]{1,6}类)\s*[)）]?$")


def split_program(text: str) -> tuple[str, str]:
    """ "泰山产业领军人才（创新类）" -> ("泰山产业领军人才", "创新类")."""
    text = program_key(text)
    match = _SUBCATEGORY.match(text)
    if match and match.group(1):
        return match.group(1).strip(), match.group(2)
    return text, ""


def selection_program_cell(selection: TalentSelection) -> str:
    name = selection.program.name
    return f"{name}（{selection.subcategory}）" if selection.subcategory else name


@register_ledger
class TalentLedger(Ledger):
    slug = "talents"
    name = "人才"
    model = TalentSelection
    columns = (
        Text(NAME, None, required=True, example="李明", getter=lambda s: s.person.name),
        Text(PROGRAM, None, required=True, example="泰山产业领军人才（创新类）", getter=selection_program_cell),
        Year("年度", "year", required=True, example=2019),
        Choice("状态", "state", required=True, example="已入选"),
        Choice("引进方式", "mode", example="全职"),
        EnterpriseRef(
            EMPLOYER,
            None,
            example=EXAMPLE_CODE,
            getter=lambda s: s.person.employer_enterprise.credit_code if s.person.employer_enterprise_id else None,
        ),
    )
    key = ("person", "program", "subcategory", "year")
    derived_fields = ("person", "program", "subcategory")
    field_headers = {"person": NAME, "program": PROGRAM, "subcategory": PROGRAM}
    label_headers = (NAME, PROGRAM, "年度")
    select_related = ("person__employer_enterprise", "program")
    notes = (
        "人员按姓名（和工作单位信用代码）识别，系统中没有的人员随导入新建；工作单位须已在企业名录中。",
        "人才工程按名称匹配计划目录，目录中没有的作为人才类计划新增（级别按省级登记，请在计划目录中核对）；"
        "类别写在括号里，如“泰山产业领军人才（创新类）”。",
    )

    @classmethod
    def prepare(cls, rows, ctx):
        super().prepare(rows, ctx)
        programs = ctx.caches.setdefault("talent_programs", {})
        names = sorted({split_program(r[PROGRAM])[0] for r in rows if r.get(PROGRAM)})
        for part in chunked(names):
            for program in Program.objects.filter(name__in=part).order_by("pk"):
                programs.setdefault(program_key(program.name), []).append(program)
        people = ctx.caches.setdefault("people", {})
        person_names = sorted({program_key(r[NAME]) for r in rows if r.get(NAME)})
        for part in chunked(person_names):
            for person in Person.objects.filter(name__in=part).select_related("employer_enterprise"):
                people.setdefault(program_key(person.name), []).append(person)

    @classmethod
    def resolve_row(cls, values, ctx):
        data, errors, flags = super().resolve_row(values, ctx)
        employer = None
        if values.get(EMPLOYER) is not None and EMPLOYER not in errors:
            try:
                employer = cls.column_for_header(EMPLOYER).resolve(values[EMPLOYER], ctx)
            except Exception as exc:  # noqa: BLE001 - a CellError: reported under its column
                errors[EMPLOYER] = getattr(exc, "message", str(exc))
        if values.get(NAME) and EMPLOYER not in errors:
            person, problem = cls._person(program_key(values[NAME]), employer, ctx)
            if problem:
                errors[NAME] = problem
            else:
                data["person"] = person
        if values.get(PROGRAM):
            name, subcategory = split_program(values[PROGRAM])
            program, problem = cls._program(name, ctx)
            if problem:
                errors[PROGRAM] = problem
            else:
                data["program"] = program
                data["subcategory"] = subcategory
                if program.pk is None:
                    flags.append(new_program_flag(program, ctx))
        return data, errors, flags

    @classmethod
    def _person(cls, name: str, employer, ctx):
        people = ctx.caches["people"].get(name, [])
        if employer is not None:
            people = [p for p in people if p.employer_enterprise_id == employer.pk]
        if len(people) > 1:
            return None, "系统中有%(n)d位名为「%(name)s」的人员，请填写工作单位信用代码加以区分" % {
                "n": len(people),
                "name": name,
            }
        if people:
            return people[0], ""
        if not has_permission(ctx.user, Person, "add"):
            return None, "系统中没有人员「%(name)s」；%(who)s" % {
                "name": name,
                "who": permission_message(Person, "add"),
            }
        planned = ctx.pending.setdefault("people", {})
        key = (name, employer.pk if employer is not None else None)
        if key not in planned:
            planned[key] = Person(name=name, employer_enterprise=employer)
        return planned[key], ""

    @classmethod
    def _program(cls, name: str, ctx):
        found = ctx.caches["talent_programs"].get(name, [])
        talent = [p for p in found if p.category == Program.Category.TALENT]
        if len(talent) > 1:
            return None, "计划目录中有多个级别的「%(name)s」，请管理员合并后再导入" % {"name": name}
        if talent:
            return talent[0], ""
        if found:
            return None, "「%(name)s」在计划目录中不是人才类计划" % {"name": name}
        if not may_add_program(ctx):
            return None, new_program_refusal(name, ctx)
        planned = ctx.pending.setdefault("programs", {})
        key = (name, Level.PROVINCIAL)
        if key not in planned:
            planned[key] = Program(name=name, level=Level.PROVINCIAL, category=Program.Category.TALENT)
        return planned[key], ""

    @classmethod
    def column_for_header(cls, header: str):
        return next(c for c in cls.columns if c.header == header)

    @classmethod
    def before_commit(cls, ctx, user):
        super().before_commit(ctx, user)
        create_planned_programs(ctx, user)
        for person in ctx.pending.get("people", {}).values():
            if person.pk is None:
                adopt(
                    person, person_create(actor=user, name=person.name, employer_enterprise=person.employer_enterprise)
                )


def add_platform_type(*, actor, name: str) -> PlatformType:
    return platform_type_create(actor=actor, name=name, code=new_list_code(PlatformType, name))


def platform_evaluation_cell(platform: Platform):
    evaluation = next((e for e in platform.evaluations.all() if e.year == platform.year), None)
    return evaluation.get_result_display() if evaluation else None


@register_ledger
class PlatformLedger(Ledger):
    slug = "platforms"
    name = "创新平台"
    model = Platform
    columns = (
        Text("平台名称", "name", required=True, example="示例县鲁中新材料院士工作站"),
        NameRef("平台类型", "type", PlatformType, create=add_platform_type, required=True, example="院士工作站"),
        Choice("级别", "level", required=True, example="省级"),
        EnterpriseRef("依托单位信用代码", "host_enterprise", example=EXAMPLE_CODE),
        Choice("状态", "state", required=True, example="已认定"),
        Year("年度", "year", required=True, example=2019),
        Choice("评估结果", None, choices=EvaluationResult.choices, example="优秀", getter=platform_evaluation_cell),
    )
    key = ("name", "type")
    computed_fields = ("certified_on",)
    label_headers = ("平台名称", "平台类型", "年度")
    select_related = ("type", "host_enterprise")
    notes = (
        "平台按名称和类型识别；依托单位须已在企业名录中。评估结果记为该年度的绩效评估（只能评估已认定或已备案的平台）。",
    )

    @classmethod
    def export_queryset(cls, qs):
        return super().export_queryset(qs).prefetch_related("evaluations")

    @classmethod
    def prepare(cls, rows, ctx):
        super().prepare(rows, ctx)
        evaluations = ctx.caches.setdefault("evaluations", {})
        names = sorted({unicodedata.normalize("NFKC", r["平台名称"]) for r in rows if r.get("平台名称")})
        for part in chunked(names):
            for evaluation in PlatformEvaluation.objects.filter(platform__name__in=part):
                evaluations[(evaluation.platform_id, evaluation.year)] = evaluation

    @classmethod
    def resolve_row(cls, values, ctx):
        data, errors, flags = super().resolve_row(values, ctx)
        data["_evaluation"] = values.get("评估结果")
        return data, errors, flags

    @classmethod
    def before_validation(cls, obj, data, ctx):
        # The ledger has a year, not a date; a certified or filed platform needs its date.
        if data.get("state") in Platform.DATED and not obj.certified_on and data.get("year"):
            obj.certified_on = datetime.date(data["year"], 12, 31)
            data["_dated"] = obj.certified_on

    @classmethod
    def check_row(cls, obj, ctx, before):
        # The same rules as platform_evaluation_create: the right, then only a certified or filed platform.
        if obj._ledger_data.get("_evaluation") and not has_permission(ctx.user, PlatformEvaluation, "add"):
            return {"评估结果": permission_message(PlatformEvaluation, "add")}
        if obj._ledger_data.get("_evaluation") and not platform_evaluable(obj):
            return {
                "评估结果": "只有已认定或已备案的平台才能评估，当前状态为%(state)s" % {"state": obj.get_state_display()}
            }
        if obj._ledger_data.get("_evaluation"):
            try:
                platform_evaluation_check_year(obj, obj.year)
            except ValidationError as exc:
                return {"评估结果": " ".join(exc.messages)}
        return {}

    @classmethod
    def extra_changes(cls, obj, ctx):
        changes = []
        if obj._ledger_data.get("_dated"):
            changes.append(
                (
                    "认定/备案日期",
                    "",
                    "%(date)s（表中没有日期，按年度末登记）" % {"date": obj._ledger_data["_dated"]},
                )
            )
        return changes + cls._evaluation_change(obj, ctx)

    @classmethod
    def _evaluation_change(cls, obj, ctx):
        result = obj._ledger_data.get("_evaluation")
        if not result:
            return []
        existing = ctx.caches.get("evaluations", {}).get((obj.pk, obj.year)) if obj.pk else None
        if existing is not None and existing.result == result:
            return []
        labels = dict(EvaluationResult.choices)
        old = str(labels[existing.result]) if existing is not None else ""
        return [("%(year)s年评估结果" % {"year": obj.year}, old, str(labels[result]))]

    @classmethod
    def after_write(cls, result, user):
        evaluations = result.context.caches.get("evaluations", {})
        for row in result.rows:
            obj = row.instance
            value = obj._ledger_data.get("_evaluation") if obj is not None else None
            if not value or row.status not in ("new", "changed"):
                continue
            evaluation = evaluations.get((obj.pk, obj.year))
            if evaluation is None:
                platform_evaluation_create(actor=user, platform=obj, year=obj.year, result=value)
            elif evaluation.result != value:
                platform_evaluation_update(actor=user, evaluation=evaluation, result=value)
