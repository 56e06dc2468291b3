from django.urls import path

from bureau.records.urls import record_urls

from . import views

app_name = "programs"
urlpatterns = [
    path(
        "applications/batch-recommend/",
        views.ApplicationBatchRecommendView.as_view(),
        name="application_batch_recommend",
    ),
    *record_urls(views.ProgramRecord),
    *record_urls(views.CallRecord),
    *record_urls(views.ApplicationRecord),
    *record_urls(views.DisbursementRecord),
    *record_urls(views.RewardRecord),
    *record_urls(views.AwardRecord),
    *record_urls(views.AchievementRecord),
]
