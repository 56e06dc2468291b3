"""The first-run checklist (管理员): what a new county has yet to set up, each item with its state and a
link to where it is done.

Each app contributes its own items: a provider ``provider(*, today) -> list[SetupCheck]`` registered
with ``bureau.registry.register_setup_checks`` (``bureau`` does not know the apps). A provider runs a
bounded number of queries, whatever the amount of data (counts and GROUP BYs, never a row per record).
The checklist shows on the home page until every item is done or an admin dismisses it (a site
setting), and always on its own page (``/setup/``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from bureau.registry import registry

# Who sees the checklist: the holders of this permission (管理员 only, roles.py ADMIN_ONLY).
SETUP_PERMISSION = "core.change_sitesettings"


@dataclass(frozen=True)
class SetupCheck:
    group: str  # the heading it is listed under, e.g. "台账"
    title: str  # what must be there, e.g. "企业名录"
    done: bool
    detail: str  # the state with its counts: "已导入 57 条", "尚无"
    url: str | None = None  # where it is done
    action: str = ""  # the link's text, e.g. "导入"
    order: int = 100


# The groups in the order a new county works through them.
GROUPS = ("基础设置", "名录", "台账", "年度数据")


def setup_checks(*, today: datetime.date | None = None) -> list[SetupCheck]:
    """Every registered item, grouped in GROUPS' order, then by ``order``."""
    today = today or timezone.localdate()
    checks = [check for provider in registry["setup_checks"] for check in provider(today=today)]
    rank = {g: i for i, g in enumerate(GROUPS)}
    return sorted(checks, key=lambda c: (rank.get(c.group, len(GROUPS)), c.order))


@dataclass(frozen=True)
class Checklist:
    checks: list[SetupCheck]

    @property
    def done(self) -> int:
        return sum(c.done for c in self.checks)

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def groups(self) -> list[tuple[str, list[SetupCheck]]]:
        grouped: dict[str, list[SetupCheck]] = {}
        for check in self.checks:
            grouped.setdefault(check.group, []).append(check)
        return list(grouped.items())


def may_see_checklist(user) -> bool:
    return user.has_perm(SETUP_PERMISSION)


def checklist(*, today: datetime.date | None = None) -> Checklist:
    return Checklist(setup_checks(today=today))


def home_checklist(*, user, dismissed: bool) -> Checklist | None:
    """The checklist for the home page: only for 管理员, only until it is complete or dismissed."""
    if dismissed or not may_see_checklist(user):
        return None
    result = checklist()
    return None if result.complete else result


def count_text(count: int, unit: str) -> str:
    return f"已有 {count} {unit}" if count else "尚无"
