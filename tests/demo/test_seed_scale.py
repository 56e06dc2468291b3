"""seed_scale: a proportional data set the dashboard can read (the benchmarks use --scale 1)."""

import io

import pytest
from django.core.management import call_command

from bureau.core.models import AnnualTarget, CountyYear
from enterprises.models import Enterprise
from programs.models import Application
from reports.selectors import indicator_table

pytestmark = pytest.mark.django_db


def test_seed_scale_writes_a_proportional_county_that_the_dashboard_reads(leader_client):
    out = io.StringIO()
    call_command("seed_scale", "--scale", "0.005", "--end-year", "2020", stdout=out)
    assert Enterprise.objects.count() == 100  # 20,000 × 0.005
    assert 400 <= Application.objects.count() <= 600  # 100,000 × 0.005, over 10 years
    assert set(Application.objects.values_list("year", flat=True)) == set(range(2011, 2021))
    assert CountyYear.objects.filter(year__range=(2011, 2020)).count() == 10
    assert AnnualTarget.objects.filter(year=2020).exists() and AnnualTarget.objects.filter(year=2021).exists()
    rows = {r.code: r for r in indicator_table(year=2020)}
    assert rows["applications_approved"].value > 0 and rows["rd_intensity"].value is not None
    assert sum(1 for r in rows.values() if r.target is not None and r.completion is not None) >= 10
    assert leader_client.get("/", {"year": 2020}).status_code == 200
    assert "完成" in out.getvalue()
