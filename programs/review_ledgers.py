"""The 专家库 ledger (issue 19): the expert pool kept in Excel, imported through the ledger engine.

Experts are matched by 姓名 + 联系电话 (two experts may share a name). 工作单位信用代码 names a county
enterprise the expert works for (回避 is decided on it); the free-text 工作单位 is kept as written.
Only 股室负责人 and 管理员 may import it (the 专家库 is theirs); accounts and 关联单位 are set in the portal.
"""

from __future__ import annotations

from bureau.ledgers.columns import Ledger, Text
from bureau.registry import register_ledger
from enterprises.ledger_columns import EnterpriseRef

from .review_models import Expert

EXPERT_HEADERS = ("姓名", "工作单位", "工作单位信用代码", "专业领域", "职称", "联系电话", "电子邮箱")


@register_ledger
class ExpertLedger(Ledger):
    slug = "experts"
    name = "专家库"
    model = Expert
    columns = (
        Text("姓名", "name", required=True, example="王立新"),
        Text("工作单位", "employer", example="山东理工大学材料学院"),
        EnterpriseRef("工作单位信用代码", "employer_enterprise", example=None),
        Text("专业领域", "field", required=True, example="新材料"),
        Text("职称", "title", example="教授"),
        Text("联系电话", "phone", required=True, example="13905330001"),
        Text("电子邮箱", "email", example="wanglx@example.cn"),
    )
    key = ("name", "phone")
    select_related = ("employer_enterprise",)
    label_headers = ("姓名", "联系电话")
    notes = (
        "专家按姓名和联系电话识别，已有的按表中内容更新。",
        "工作单位是本县企业时填写其统一社会信用代码（企业须已在企业名录中），评审该企业的项目时自动回避。",
        "登录账号和关联单位在系统中设置，导入时不读取。",
    )
