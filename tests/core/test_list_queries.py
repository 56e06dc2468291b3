"""Every record list stays fast as the data grows: one COUNT, and a query count flat in the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau.accounts.roles import ADMIN
from bureau.records.urls import record_url
from bureau.registry import registry
from tests.conftest import make_user
from tests.factories import load_all_factories

FACTORIES = load_all_factories()
RECORDS = sorted(registry["records"].items())


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "record"), RECORDS, ids=[label for label, _ in RECORDS])
def test_list_page_counts_once_and_its_query_count_is_flat_in_the_data_size(client, label, record):
    client.force_login(make_user(ADMIN))
    url = record_url(record.model, "list")
    FACTORIES[label]()
    _get(client, url)  # the session's first request caches the site settings
    few = _get(client, url)
    for _ in range(4):
        FACTORIES[label]()
    many = _get(client, url)
    table = record.model._meta.db_table
    counts = [q for q in many if q.lstrip().upper().startswith("SELECT COUNT(") and f'FROM "{table}"' in q]
    assert len(counts) == 1, counts
    assert len(many) == len(few), "\n".join(many)
