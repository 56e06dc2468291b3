"""seed_demo never mixes the demo county into a database that holds other records."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from enterprises.models import Enterprise
from tests.enterprises.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_with_if_empty_a_database_with_records_is_left_alone_and_told_so():
    EnterpriseFactory(name="真实企业有限公司")
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "已有业务数据" in out.getvalue()
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["真实企业有限公司"]


def test_without_if_empty_a_database_with_records_is_refused():
    EnterpriseFactory()
    with pytest.raises(CommandError, match="已有业务数据"):
        call_command("seed_demo", stdout=StringIO())
    assert Enterprise.objects.count() == 1
