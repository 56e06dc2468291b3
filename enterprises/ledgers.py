"""The enterprise ledgers (DOMAIN.md "Excel ledgers"): 企业名录, 企业资质, 企业年度统计."""

from __future__ import annotations

import re

from bureau.accounts.display import user_display
from bureau.ledgers.columns import (
    Choice,
    Date,
    Integer,
    Ledger,
    Money,
    NameRef,
    Text,
    Year,
)
from bureau.registry import register_ledger

from .ledger_columns import CreditCode, EnterpriseRef
from .models import Certification, CertificationType, Enterprise, Industry, Need, Town, YearlyStatistic
from .services import (
    certification_fill_dates,
    certification_type_create,
    enterprise_fill_derived,
    industry_create,
    town_create,
)

EXAMPLE_CODE = "91370323MA3C8N2K4B"  # valid check digit (GB 32100-2015), fictional


def new_list_code(model, name: str) -> str:
    """An English code for a managed list's entry added from a ledger: the name's pinyin initials,
    made unique (``code`` identifies a type for the indicators; 管理员 may change it later)."""
    from .pinyin import name_initials

    base = re.sub(r"[^a-z0-9]", "", name_initials(name).lower())[:24] or "type"
    code, n = base, 2
    while model._default_manager.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


def add_certification_type(*, actor, name: str):
    return certification_type_create(actor=actor, name=name, code=new_list_code(CertificationType, name))


@register_ledger
class EnterpriseLedger(Ledger):
    slug = "enterprises"
    name = "企业名录"
    model = Enterprise
    columns = (
        Text("企业名称", "name", required=True, example="示例县鲁中新材料科技有限公司"),
        CreditCode("统一社会信用代码", "credit_code", required=True, example=EXAMPLE_CODE),
        NameRef("所属乡镇", "town", Town, create=town_create, example="南麻街道"),
        NameRef("行业", "industry", Industry, create=industry_create, example="新材料"),
        Choice("企业规模", "scale", example="规上"),
        Text("联系人", "contact", example="张伟"),
        Text("联系电话", "phone", example="0533-3212345"),
    )
    key = ("credit_code",)
    label_headers = ("企业名称", "统一社会信用代码")
    select_related = ("town", "industry")
    computed_fields = ("name_initials",)
    notes = ("企业以统一社会信用代码识别：已有的企业按表中内容更新，没有的新建。",)

    @classmethod
    def complete(cls, obj, ctx, before):
        # The same rule as enterprise_create/_update: the picker searches the name's pinyin initials.
        enterprise_fill_derived(obj)


@register_ledger
class CertificationLedger(Ledger):
    slug = "certifications"
    name = "企业资质"
    model = Certification
    columns = (
        EnterpriseRef("统一社会信用代码", required=True, example=EXAMPLE_CODE),
        NameRef(
            "资质类型",
            "type",
            CertificationType,
            create=add_certification_type,
            required=True,
            example="国家高新技术企业",
        ),
        Year("年度", "year", required=True, example=2019),
        Choice("状态", "state", required=True, example="已认定"),
        Text("证书编号", "certificate_no", example="GR201937000123"),
        Date("认定日期", "certified_on", example="2019-11-28"),
        Date("有效期至", "expires_on", example="2022-11-27"),
    )
    key = ("enterprise", "type", "year")
    select_related = ("enterprise", "type")
    computed_fields = ("issued_on", "expires_on")
    notes = ("企业须已在企业名录中；同一企业、资质类型和年度只能有一行。有效期至留空时按资质类型的有效期计算。",)

    @classmethod
    def complete(cls, obj, ctx, before):
        # The same rule as certification_create/_update: the certificate date defaults to the
        # certification date and the expiry to the type's validity.
        certification_fill_dates(obj)


@register_ledger
class YearlyStatisticLedger(Ledger):
    slug = "statistics"
    name = "企业年度统计"
    model = YearlyStatistic
    columns = (
        EnterpriseRef("统一社会信用代码", required=True, example=EXAMPLE_CODE),
        Year("年度", "year", required=True, example=2019),
        Money("研发经费支出(万元)", "rd_expenditure", example=356.8),
        Money("营业收入(万元)", "revenue", example=12580),
        Money("工业总产值(万元)", "industrial_output", example=13620.5),
        Money("高新技术产业产值(万元)", "high_tech_output", example=9800),
        Integer("专利申请量", "patents_applied", units=("件",), example=12),
        Integer("专利授权量", "patents_granted", units=("件",), example=8),
        Integer("发明专利授权量", "invention_patents_granted", units=("件",), example=2),
        Integer("有效发明专利数", "valid_invention_patents", units=("件",), example=5),
    )
    key = ("enterprise", "year")
    select_related = ("enterprise",)
    notes = ("企业须已在企业名录中；每个企业每年一行，金额单位为万元。",)


@register_ledger
class NeedLedger(Ledger):
    slug = "needs"
    name = "企业需求"
    model = Need
    columns = (
        EnterpriseRef("统一社会信用代码", required=True, example=EXAMPLE_CODE),
        Text("需求名称", "title", required=True, example="高分子材料耐候性检测"),
        Choice("需求类型", "kind", required=True, example="技术需求"),
        Text("需求描述", "description", example="需要高校协助建立耐候性加速老化检测方法"),
        Date("征集日期", "collected_on", required=True, example="2019-03-15"),
        Choice("状态", "state", required=True, example="已解决"),
        Text("对接结果", "result", example="与山东理工大学签订技术服务合同"),
        Date("解决日期", "resolved_on", example="2019-08-30"),
        # Shown in the export; the handler is assigned in the portal, so the import leaves it as it is.
        Text("对接负责人", None, getter=lambda need: user_display(need.handler) if need.handler_id else None),
    )
    key = ("enterprise", "title")
    select_related = ("enterprise", "handler")
    notes = (
        "企业须已在企业名录中；需求按企业和需求名称识别，已有的按表中内容更新。",
        "对接负责人在系统中分派，导入时不读取该列。",
    )
