from django.urls import path

from . import dashboard_views

app_name = "reports"
urlpatterns: list = [
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("indicators/export/", dashboard_views.indicators_export, name="indicators_export"),
]
