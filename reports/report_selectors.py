"""Reads for the annual report: the as-of snapshot of every figure, and the completeness check.

``reports`` reads other apps only through ``bureau.registry`` (indicators, record declarations)
and ``bureau.core`` (site settings, county base data, annual targets), never their models.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bureau import formatting
from bureau.accounts.display import user_display
from bureau.core.models import AnnualTarget
from bureau.core.selectors import site_settings
from bureau.indicators import APPROVED_PROJECTS, NAMES
from bureau.permissions import permission_name
from bureau.records.urls import record_url
from bureau.records.views import export_columns, value_for_export
from bureau.registry import registry

from .kinds import PLAN_FIELDS, TEXT_LABELS, kind_of
from .models import AnnualReport, CityRanking, ReportBuild, ReportExclusion
from .sections import build_document, chinese_date, report_codes

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
PLAN_TARGETS_ITEM = "plan_targets"  # the plan section has no next-year targets to quote
TEXT_FIELDS = ("opening", "problems", "plan_intro", *(name for name, _ in PLAN_FIELDS), "next_steps", "closing")
PLAN_TEXT_FIELDS = ("plan_intro", *(name for name, _ in PLAN_FIELDS))
# Columns of the approved-projects table, picked from the record type's list by their header:
# for each group the first header holding one of its words (requested amounts are not the point).
PROJECT_COLUMN_GROUPS = (("项目名称", "名称"), ("承担单位", "单位", "企业"), ("科技计划", "计划"), ("获批资金", "资金"))
PROJECT_COLUMN_SKIP = ("申请", "级别", "年度", "日期", "代码", "编号")
# A build that reports no progress for this long is dead (worker lost beyond redelivery).
STALE_AFTER = datetime.timedelta(minutes=15)


def _url(obj_or_model, action: str = "detail", **query) -> str:
    try:
        return record_url(obj_or_model, action, **query)
    except NoReverseMatch:
        return ""


def _admin_url(model, action: str = "add") -> str:

    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}")
    except NoReverseMatch:
        return ""


def ledger_supplying(model, field: str):
    """The Excel ledger with a column that fills ``model.field`` (None: no ledger supplies it)."""
    for ledger in registry["ledgers"].values():
        if ledger.model is model and any(c.field == field for c in ledger.columns):
            return ledger
    return None


def _missing_input(label: str, url: str, source) -> dict:
    """A missing input as the snapshot keeps it: where to enter it (page, and the Excel ledger that
    supplies it) and the permission that page needs."""
    model, field = source if source else (None, "")
    return _input_entry(str(label), url, model, field)


def _input_entry(label: str, url: str, model, field: str) -> dict:
    ledger = ledger_supplying(model, field) if model is not None else None
    ledger_url = ""
    if ledger is not None:
        with contextlib.suppress(NoReverseMatch):
            ledger_url = reverse("ledger_import", args=[ledger.slug])
    perm = permission_name(model, "add") if model is not None else ""
    return {
        "label": label,
        "url": url,
        "ledger": ledger.name if ledger is not None else "",
        "ledger_url": ledger_url,
        "perm": perm,
    }


def _str(value) -> str | None:
    if value is None:
        return None
    return str(value)


def _indicator_figures(code: str, indicator, year: int, end: datetime.date | None = None) -> dict:
    """The figure of ``year`` (up to ``end``: part of the year), the same period of last year, the
    breakdown and the drill-down link; what is missing when it cannot be computed."""
    data = {
        "name": indicator.name or NAMES.get(code, (code, ""))[0],
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "value": None,
        "prev": None,
        "missing": [],
        "breakdown": [],
        "url": "",
        "error": "",
    }
    try:
        value = indicator.value(year, end)
        data["value"] = _str(value)
        if value is None:
            data["missing"] = [
                _missing_input(label, url, source) for label, url, source in indicator.missing_input_sources(year)
            ]
        data["prev"] = _str(indicator.value(year - 1, _same_day(end, year - 1)))
        if indicator.breakdown is not None and value is not None:
            data["breakdown"] = [{"label": b.label, "value": _str(b.value)} for b in indicator.breakdown_for(year, end)]
        period = {"end": end.isoformat()} if end is not None else {}
        data["url"] = _url(indicator.model, "list", indicator=code, year=year, **period)
    except Exception as exc:  # noqa: BLE001 - one broken indicator must not hide the others
        logger.exception("indicator %s failed for %s", code, year)
        data.update(value=None, error=f"{exc.__class__.__name__}: {exc}")
    return data


def _cell(value) -> tuple[str, bool]:
    if value is None or value == "":
        return "—", False
    if isinstance(value, bool):
        return ("是" if value else "否"), False
    if isinstance(value, Decimal):
        return formatting.wan(value), True
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d"), False
    if isinstance(value, datetime.date):
        return value.isoformat(), False
    return str(value), False


def _same_day(end: datetime.date | None, year: int) -> datetime.date | None:
    """The same period end in another year (30 June of last year for the half-year summary)."""
    return None if end is None else end.replace(year=year)


def approved_projects(year: int, end: datetime.date | None = None) -> dict | None:
    """The approved projects of ``year`` (up to ``end``): the records the approved-projects
    indicator counted.

    Columns come from that record type's declaration (its list/export columns), so this module
    does not know the model; rows are read through the declaration's queryset (joins included).
    """
    indicator = next((i for i in registry["indicators"].values() if APPROVED_PROJECTS in i.tags), None)
    if indicator is None:
        return None
    if not indicator.supports(end):
        return None
    counted = indicator.records_for(year, end)
    record = registry["records"].get(counted.model._meta.label_lower)
    level_accessor = None
    if record is None:
        headers, accessors = ["项目"], []
        queryset = counted
    else:
        headers, accessors = export_columns(record)
        picked = []
        for group in PROJECT_COLUMN_GROUPS:
            for i, h in enumerate(headers):
                if i not in picked and any(k in h for k in group) and not any(k in h for k in PROJECT_COLUMN_SKIP):
                    picked.append(i)
                    break
        if len(picked) < 2:
            picked = list(range(min(4, len(headers))))
        level_at = next((i for i, h in enumerate(headers) if "级别" in h), None)
        level_accessor = accessors[level_at] if level_at is not None else None
        headers = [headers[i] for i in picked]
        accessors = [accessors[i] for i in picked]
        queryset = record.get_queryset().filter(pk__in=counted.values("pk"))
    rows, urls, levels, numeric = [], [], [], [False] * max(len(headers), 1)
    for obj in queryset.order_by("pk"):
        cells = [_cell(value_for_export(obj, a)) for a in accessors] if accessors else [(str(obj), False)]
        rows.append([text for text, _ in cells])
        levels.append(str(value_for_export(obj, level_accessor)) if level_accessor else "")
        for i, (_, is_number) in enumerate(cells):
            numeric[i] = numeric[i] or is_number
        urls.append(_url(obj))
    return {"columns": headers, "rows": rows, "urls": urls, "numeric": numeric, "levels": levels}


def report_snapshot(report: AnnualReport) -> dict:
    """Every figure and text the report uses, as plain JSON, with the time it was taken.

    The period follows the report's kind (``reports.kinds``): the whole year, or 1 Jan – 30 Jun for
    the half-year summary, each figure compared with the same period of last year. An indicator kept
    per year cannot be cut at 30 June: it is left out of that kind and named in ``not_in_period``."""
    now = timezone.now()
    kind = report.report_kind
    year = report.year
    dated = report.display_date  # 成文日期: entered, or the first working day after the period
    period_end = kind.period_end(year, dated)
    end = None if period_end == datetime.date(year, 12, 31) else period_end
    settings = site_settings()
    indicators = registry["indicators"]
    plan_year = year + 1 if kind.whole_year else year  # the plan quotes next year's targets, or this year's
    targets: dict[int, dict[str, AnnualTarget]] = {year: {}, year + 1: {}}
    for t in AnnualTarget.objects.filter(year__in=(year, year + 1)):
        targets[t.year][t.indicator] = t

    codes = report_codes()
    codes += [c for c in targets[year] if c in indicators and c not in codes]
    not_in_period = [str(indicators[c].name) for c in codes if not indicators[c].supports(end)]
    codes = [c for c in codes if indicators[c].supports(end)]
    figures = {}
    for code in codes:
        data = _indicator_figures(code, indicators[code], year, end)
        target = targets[year].get(code) if kind.targets else None
        data["target"] = _str(target.target) if target else None
        nxt = targets[year + 1].get(code) if kind.targets else None
        data["next_target"] = _str(nxt.target) if nxt else None
        figures[code] = data

    next_targets = {}
    for code, t in (targets[plan_year] if kind.plan else {}).items():
        name, unit = NAMES.get(code, (None, ""))
        indicator = indicators.get(code)
        if indicator is not None:
            name, unit = indicator.name, indicator.unit
        if name is None:
            continue  # a target for an indicator nobody defines: not quotable
        next_targets[code] = {
            "name": name,
            "unit": unit,
            "decimals": getattr(indicator, "decimals", 0),
            "phrase": indicator.plan_wording if indicator is not None else "",
            "value": str(t.target),
            "url": _url(t),
        }

    excluded = {
        e.item: {"by": user_display(e.created_by), "reason": e.reason}
        for e in report.exclusions.select_related("created_by")
    }
    return {
        "version": SNAPSHOT_VERSION,
        "report_id": report.pk,
        "as_of": now.isoformat(),
        "kind": kind.key,
        "year": year,
        "period_end": period_end.isoformat(),
        # The generated prose's words for part of a year (None: the whole year).
        "period": None
        if end is None
        else {
            "label": kind.period_label,
            "opener": kind.opener_format.format(year=year, period=kind.period_label),
            "compare": kind.compare_label,
        },
        "plan_year": plan_year,
        "not_in_period": not_in_period,
        "audience": report.audience,
        "county": settings.county_name,
        "bureau": settings.display_bureau_name,
        "title": report.display_title,
        "report_date": dated.isoformat(),
        "date_line": f"（{formatting.chinese_date(dated)}）",
        "texts": {name: getattr(report, name) for name in kind.text_fields},
        "figures": figures,
        "next_targets": next_targets,
        "excluded": excluded,
        "projects": approved_projects(year, end) if kind.appendix else None,
        # 全市排名 are of a whole year: a half-year summary states none.
        "rankings": city_rankings(year) if kind.whole_year else [],
        "area_texts": {t.area: {"lead": t.lead, "highlight": t.highlight} for t in report.area_texts.all()},
    }


def city_rankings(year: int) -> list[dict]:
    """The 全市排名 records of ``year`` as the report states them (one query)."""
    return [
        {
            "code": r.indicator,
            "subject": r.said,
            "rank": r.rank,
            "out_of": r.out_of,
            "source": r.source,
            "url": _url(r),
        }
        for r in CityRanking.objects.filter(year=year).order_by("indicator", "rank", "pk")
    ]


# ---------------------------------------------------------------- completeness


@dataclass
class Problem:
    item: str
    label: str
    message: str
    links: list[tuple[str, str]] = field(default_factory=list)
    excludable: bool = True
    excluded: bool = False
    excluded_by: str = ""
    excluded_reason: str = ""
    # Where each missing input is entered: label, url (page), ledger, ledger_url, perm.
    inputs: list[dict] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return not self.excluded


@dataclass
class Completeness:
    problems: list[Problem]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not any(p.blocking for p in self.problems)

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]


def report_completeness(snapshot: dict, user=None) -> Completeness:
    """What stops the build (figures without their inputs, a plan with nothing to say) and what the
    staff should know. Links lead only to pages ``user`` may open (all, without a user: the CLI);
    otherwise the message names the role that can enter the input."""
    from .fonts import FontsMissing, uncovered_characters

    year = snapshot["year"]
    kind = kind_of(snapshot.get("kind"))
    excluded = snapshot.get("excluded", {})
    problems: list[Problem] = []
    warnings: list[str] = []

    for code, data in snapshot["figures"].items():
        if data["value"] is not None:
            if data["prev"] is None:
                warnings.append(f"“{data['name']}”缺少{year - 1}年数据，报告不写同比变化。")
            continue
        inputs = [_as_entry(m) for m in data["missing"]]
        if data.get("error"):
            message = f"{year}年“{data['name']}”计算出错（{data['error']}），请联系管理员。"
        elif inputs:
            message = "缺少{}，无法计算{}年“{}”。".format("、".join(i["label"] for i in inputs), year, data["name"])
            message += _who_can(inputs, user)
        else:
            message = f"{year}年“{data['name']}”没有数据。"
        info = excluded.get(code)
        problems.append(
            Problem(
                code,
                data["name"],
                message,
                _links(inputs, user),
                excluded=info is not None,
                excluded_by=(info or {}).get("by", ""),
                excluded_reason=(info or {}).get("reason", ""),
                inputs=inputs,
            )
        )

    texts = snapshot.get("texts", {})
    has_plan_text = any((texts.get(name) or "").strip() for name in PLAN_TEXT_FIELDS)
    quotable = [c for c in snapshot.get("next_targets", {}) if c not in excluded]
    if kind.plan and not quotable and not has_plan_text:
        plan_year = snapshot.get("plan_year", year + 1)
        plan = kind.plan_heading(year)
        label = f"{plan_year}年年度目标"
        inputs = [_input_entry(label, _targets_add_url(), AnnualTarget, "target")]
        problems.append(
            Problem(
                PLAN_TARGETS_ITEM,
                label,
                f"尚未录入{plan_year}年年度目标，也未填写工作计划，报告的“{plan}”无从写起："
                f"请录入{plan_year}年年度目标或填写工作计划（二者有其一即可）。" + _who_can(inputs, user),
                _links(inputs, user) + [(f"填写{plan}", url) for url in _plan_text_url(snapshot, user)],
                excludable=False,  # the title promises a plan: it cannot be left out
                inputs=inputs,
            )
        )
    for name in kind.required_texts:
        if not (texts.get(name) or "").strip():
            label = TEXT_LABELS[name]
            problems.append(
                Problem(
                    name,
                    label,
                    f"“{label}”未填写：{kind.label}的这一部分由科员撰写，不能空着生成。",
                    [(f"填写{label}", url) for url in _plan_text_url(snapshot, user)],
                    excludable=False,
                )
            )

    try:
        chars = uncovered_characters(build_document(snapshot).text())
    except FontsMissing as exc:
        problems.append(Problem("fonts", "中文字体", str(exc), excludable=False))
    else:
        if chars:
            problems.append(
                Problem(
                    "characters",
                    "字符",
                    "以下字符在报告字体中没有字形，PDF 中将无法显示：{}。请修改相关记录。".format(" ".join(chars)),
                    excludable=False,
                )
            )

    for name in kind.text_fields:
        if name not in kind.required_texts and not (texts.get(name) or "").strip():
            warnings.append(f"“{TEXT_LABELS[name]}”未填写，报告中不含该部分。")
    if snapshot.get("not_in_period"):
        warnings.append(
            "以下指标按年度统计，不能截至{}计算，{}不含这些指标：{}。".format(
                chinese_date(snapshot.get("period_end"), with_year=False),
                kind.label,
                "、".join(snapshot["not_in_period"]),
            )
        )
    # The staff's sentences of each area of 一、 are optional: an empty one is only a warning.
    area_texts = snapshot.get("area_texts", {})
    for key, label in (("highlight", "亮点/补充"), ("lead", "开头语")):
        empty = [s.heading for s in registry["report_sections"] if not area_texts.get(s.key, {}).get(key)]
        if empty:
            warnings.append(f"以下部分未填写{label}（可选）：{'、'.join(empty)}。")
    return Completeness(problems, warnings)


def _as_entry(missing) -> dict:
    """A snapshot's missing input (a dict; older snapshots kept [label, url])."""
    if isinstance(missing, dict):
        return missing
    return {"label": missing[0], "url": missing[1], "ledger": "", "ledger_url": "", "perm": ""}


def _may(user, perm: str) -> bool:
    return user is None or not perm or user.has_perm(perm)


def _links(inputs: list[dict], user) -> list[tuple[str, str]]:
    """录入… links to the pages (and ledgers) ``user`` may open."""
    links = []
    for i in inputs:
        if not _may(user, i["perm"]):
            continue
        if i["url"]:
            links.append((f"录入{i['label']}", i["url"]))
        if i["ledger_url"]:
            links.append((f"导入台账“{i['ledger']}”", i["ledger_url"]))
    return links


def _who_can(inputs: list[dict], user) -> str:
    """请管理员录入… for the inputs ``user`` may not enter."""
    from bureau.accounts.roles import role_names_granting

    lines = []
    for i in inputs:
        if _may(user, i["perm"]):
            continue
        roles = "或".join(role_names_granting(i["perm"])) or "管理员"
        lines.append(f"请{roles}录入{i['label']}")
    return "（" + "；".join(lines) + "）" if lines else ""


def _plan_text_url(snapshot: dict, user) -> list[str]:
    """The report's edit page, where the plan text is written, when ``user`` may change it."""
    report_id = snapshot.get("report_id")
    if report_id is None or not _may(user, "reports.change_annualreport"):
        return []
    url = _url(AnnualReport(pk=report_id), "edit")
    return [url] if url else []


def _targets_add_url() -> str:
    return _url(AnnualTarget, "add") or _admin_url(AnnualTarget, "add")


# ---------------------------------------------------------------- pages


def report_detail(report_id: int) -> AnnualReport:
    return (
        AnnualReport.objects.select_related("signed_off_by", "signed_off_build")
        .prefetch_related(
            Prefetch("builds", queryset=ReportBuild.objects.select_related("created_by").defer("snapshot")),
            Prefetch("exclusions", queryset=ReportExclusion.objects.select_related("created_by")),
        )
        .get(pk=report_id)
    )


def next_version(report: AnnualReport) -> int:
    return (report.builds.aggregate(v=Max("version"))["v"] or 0) + 1


def build_is_stale(build: ReportBuild, *, now: datetime.datetime | None = None) -> bool:
    """An active build with no progress for STALE_AFTER: its worker is gone for good."""
    if not build.is_active:
        return False
    last = build.heartbeat_at or build.started_at or build.created_at
    return (now or timezone.now()) - last > STALE_AFTER
