"""Reminders shown on the home page and the dashboard; each app registers a provider.

A provider is ``provider(*, user, today) -> list[Reminder]`` registered with
``bureau.registry.register_reminders``; it runs a bounded number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Reminder:
    kind: str  # short badge text, e.g. "资质到期"
    text: str
    url: str
    due: datetime.date | None = None
    level: str = "warning"  # Bootstrap colour: warning, danger, info
