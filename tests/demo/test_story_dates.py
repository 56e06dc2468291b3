"""The demo dates its writes in the story without moving the process's clock."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.utils import timezone

from bureau.core.services import annual_target_create, annual_target_signed_values, annual_target_signoff
from demo.context import as_of
from tests.core.factories import PolicyFactory

pytestmark = pytest.mark.django_db


def story_moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_inside_as_of_the_clock_still_reads_the_real_time(staff):
    before = timezone.now()
    with as_of(datetime.date(2018, 5, 3), staff):
        assert timezone.now() >= before


def test_a_record_written_in_as_of_is_dated_and_signed_in_the_story(staff):
    day = datetime.date(2018, 5, 3)
    with as_of(day, staff):
        policy = PolicyFactory()
    policy.refresh_from_db()
    assert policy.created_at == policy.updated_at == story_moment(day)
    step = policy.history.get()
    assert (step.history_date, step.history_user, step.created_at) == (story_moment(day), staff, story_moment(day))


def test_a_service_stamp_is_the_storys_day_and_the_object_in_hand_agrees(staff, reviewer):
    with as_of(datetime.date(2019, 1, 15), staff):
        target = annual_target_create(actor=None, year=2019, indicator="rd_expenditure", target=5)
    with as_of(datetime.date(2019, 1, 20), reviewer, hour=9):
        annual_target_signoff(actor=reviewer, target_id=target.pk, seen=annual_target_signed_values(target))
    target.refresh_from_db()
    assert target.signed_off_at == story_moment(datetime.date(2019, 1, 20), 9)
    assert target.created_at == story_moment(datetime.date(2019, 1, 15))
    assert [h.history_user for h in target.history.order_by("history_date")] == [staff, reviewer]


def saved_user(username: str):
    """An unsaved user as a save signals it: the receivers see it, no row is written."""
    user = get_user_model()(username=username, date_joined=timezone.now())
    post_save.send(sender=get_user_model(), instance=user, created=True)
    return user


def test_a_save_by_another_thread_during_as_of_keeps_its_real_time(staff):
    saved = {}
    with as_of(datetime.date(2018, 5, 3), staff):
        other = threading.Thread(target=lambda: saved.setdefault("user", saved_user("elsewhere")))
        other.start()
        other.join()
        here = saved_user("here")
    assert here.date_joined == story_moment(datetime.date(2018, 5, 3))
    assert saved["user"].date_joined > here.date_joined
