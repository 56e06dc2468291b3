from django.urls import path

from bureau.records.urls import record_urls

from . import dashboard_views
from .ranking_views import CityRankingRecord, ranking_urlpatterns
from .report_views import AnnualReportRecord, report_urlpatterns

app_name = "reports"
urlpatterns: list = [
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("indicators/export/", dashboard_views.indicators_export, name="indicators_export"),
    *record_urls(AnnualReportRecord),
    *report_urlpatterns,
    *record_urls(CityRankingRecord),
    *ranking_urlpatterns,
]
