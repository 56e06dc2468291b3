"""我的待办: what the signed-in user can act on now. Each app registers a provider.

A provider is ``provider(*, user, today) -> list[Reminder]`` registered with
``bureau.registry.register_reminders``; it looks at the user's roles and assignments (经办人, uploader)
and runs a bounded number of queries whatever the number of rows. ``my_work`` gathers them for the
home page and the e-mail digest; 局领导 see only the items marked ``leader`` (sign-offs, overdue).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.core.cache import cache

from bureau.accounts.roles import LEADER, user_roles
from bureau.registry import registry

# Items of one provider kind at most (each provider slices its queries with it).
LIMIT = 20
WORK_VERSION_KEY = "work:user:"
WORK_CACHE_TIMEOUT = 15 * 60


@dataclass(frozen=True)
class Reminder:
    kind: str  # short badge text, e.g. "待审核"
    text: str
    url: str
    due: datetime.date | None = None  # a deadline, when the item has one
    level: str = "warning"  # Bootstrap colour: warning, danger, info
    since: datetime.date | None = None  # waiting since (its age is counted from here)
    leader: bool = False  # also shown to 局领导 (sign-offs and overdue items)
    age: int | None = None  # days waiting, filled in by my_work


WorkItem = Reminder


def work_version(user_id: int) -> int:
    return cache.get(f"{WORK_VERSION_KEY}{user_id}", 0)


def bump_work_version(user_id: int) -> None:
    """Something changed for this user that the record data version does not see (an import job,
    a notification): their cached 我的待办 is recomputed."""
    key = f"{WORK_VERSION_KEY}{user_id}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def is_leader_only(user) -> bool:
    roles = user_roles(user)
    return roles == {LEADER}


def collect_work(user, *, today: datetime.date) -> list[Reminder]:
    """Every provider's items for ``user``, oldest waiting first, with their age; uncached."""
    items: list[Reminder] = []
    for provider in registry["reminders"]:
        items.extend(provider(user=user, today=today))
    if is_leader_only(user):
        items = [i for i in items if i.leader]
    items = [dataclasses.replace(i, age=(today - i.since).days if i.since else None) for i in items]
    items.sort(key=lambda r: (r.due is None, r.due or today, r.since or today))
    return items


def my_work(user, *, today: datetime.date) -> list[Reminder]:
    """``collect_work`` cached per user until the next record write, the user's next event or the day."""
    from bureau.records.versioning import DATA_CACHE_TIMEOUT, data_version

    key = f"work:{data_version()}:{work_version(user.pk)}:{user.pk}:{today:%Y%m%d}"
    items = cache.get(key)
    if items is None:
        items = collect_work(user, today=today)
        cache.set(key, items, timeout=DATA_CACHE_TIMEOUT)
    return items
