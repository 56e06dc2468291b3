from bureau.records.urls import record_urls

from .views import ActivityRecord, PolicyRecord

app_name = "core"
urlpatterns = [*record_urls(PolicyRecord), *record_urls(ActivityRecord)]
