from django.urls import path

from bureau.records.urls import record_urls

from . import views

app_name = "enterprises"
urlpatterns = [
    path("autocomplete/", views.enterprise_autocomplete, name="enterprise_autocomplete"),
    *record_urls(views.EnterpriseRecord),
    *record_urls(views.CertificationRecord),
    *record_urls(views.YearlyStatisticRecord),
    *record_urls(views.NeedRecord),
]
