"""Who does what, and when, while the demo county is written.

The services stamp "now" themselves (timestamps, history dates, workflow logs, the recommendation
date) and simple-history takes the acting user from the request. The demo tells a story that
happened in 2017–2020 by several people, so it sets both for each step: ``as_of(day, user)``
moves the clock the services read (``django.utils.timezone.now``, which ``localdate`` and
``auto_now`` use too) and gives simple-history the user the way its middleware does.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.utils import timezone
from simple_history.models import HistoricalRecords

_MISSING = object()


@contextmanager
def as_of(day: datetime.date | datetime.datetime, user=None, *, hour: int = 10) -> Iterator[None]:
    """Run the block as if it were ``day`` (local time) and ``user`` were the one logged in."""
    if isinstance(day, datetime.datetime):
        moment = day if timezone.is_aware(day) else timezone.make_aware(day)
    else:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
    real_now = timezone.now
    previous = getattr(HistoricalRecords.context, "request", _MISSING)
    timezone.now = lambda: moment
    if user is not None:
        HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        timezone.now = real_now
        if previous is _MISSING:
            if hasattr(HistoricalRecords.context, "request"):
                del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous
