from django.urls import path

from bureau.records.urls import record_urls

from .views import ActivityRecord, AnnualTargetRecord, CountyYearRecord, PolicyRecord, annual_target_signoff_view

app_name = "core"
urlpatterns = [
    *record_urls(PolicyRecord),
    *record_urls(ActivityRecord),
    *record_urls(CountyYearRecord),
    *record_urls(AnnualTargetRecord),
    path("annualtargets/<int:pk>/signoff/", annual_target_signoff_view, name="annualtarget_signoff"),
]
