"""The demo county's 专家库, a 失信 record, and a review round of this year's county call in which
the demo expert ``zhuanjia`` has one application to score (issue 19).

Written through the services as the system; only in the live part of the demo (a call of this year
with applications), so the 2017–2020 story is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count

from programs.models import Call
from programs.review_services import (
    assignment_declare,
    assignment_score,
    expert_create,
    integrity_record_create,
    review_assign,
    review_round_create,
    score_criterion_add,
)

EXPERTS = (
    # name, employer, field, title
    ("孙立华", "山东理工大学材料科学与工程学院", "新材料", "教授"),
    ("马文静", "省农业科学院", "现代农业", "研究员"),
    ("高振宇", "青岛科技大学", "智能制造", "教授"),
    ("唐雪梅", "市科技情报研究所", "电子信息", "高级工程师"),
    ("罗建军", "齐鲁工业大学", "生物医药", "教授"),
    ("韩晓东", "市生产力促进中心", "节能环保", "高级工程师"),
)
CRITERIA = (("技术先进性", Decimal(40)), ("实施方案可行性", Decimal(30)), ("经济社会效益", Decimal(30)))
# The totals each demo expert gave (the expert with an account has not scored yet: 我的待办).
SCORES = ((34, 25, 24), (30, 22, 21), (36, 27, 25), (28, 20, 20))


def seed_experts(*, today: datetime.date, enterprises: list, expert_user) -> None:
    experts = [
        expert_create(
            actor=None,
            name=name,
            employer=employer,
            field=field,
            title=title,
            phone=f"1390533{8100 + i:04d}",
            email=f"expert{i + 1}@example.com",
            user=expert_user if i == 0 else None,
        )
        for i, (name, employer, field, title) in enumerate(EXPERTS)
    ]
    # One expert works for a county enterprise: assigning them to its projects is refused (回避).
    experts[5].employer_enterprise = enterprises[3]
    experts[5].save(update_fields=["employer_enterprise"])
    integrity_record_create(
        actor=None,
        enterprise=enterprises[-1],
        cause="项目验收材料弄虚作假",
        source_document="示例县科学技术局关于科研失信行为的处理决定（示科发〔%d〕3号）" % (today.year - 1),
        starts_on=today - datetime.timedelta(days=200),
        ends_on=datetime.date(today.year + 2, 12, 31),
    )
    call = (
        Call.objects.filter(year=today.year, review_round__isnull=True)
        .annotate(n=Count("applications"))
        .filter(n__gte=2)
        .order_by("-n", "pk")
        .first()
    )
    if call is None:
        return
    round_ = review_round_create(actor=None, call=call, note="县级科技计划项目专家评审（演示）")
    criteria = [score_criterion_add(actor=None, round_id=round_.pk, name=n, maximum=m) for n, m in CRITERIA]
    applications = [a for a in call.applications.order_by("pk") if a.enterprise_id != experts[5].employer_enterprise_id]
    first = applications[0]
    # The demo expert's own assignment, waiting for their declaration and scores.
    review_assign(actor=None, round_id=round_.pk, application=first, expert=experts[0])
    for expert, scores in zip(experts[1:5], SCORES, strict=True):
        a = review_assign(actor=None, round_id=round_.pk, application=first, expert=expert)
        assignment_declare(actor=None, assignment_id=a.pk, conflict=False)
        assignment_score(
            actor=None,
            assignment_id=a.pk,
            values={c.pk: Decimal(v) for c, v in zip(criteria, scores, strict=True)},
            comment="技术路线清晰，建议支持。",
        )
