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
    path("calls/<int:pk>/publicity/", views.CallPublicityView.as_view(), name="call_publicity"),
    path("applications/<int:pk>/reassign/", views.ApplicationReassignView.as_view(), name="application_reassign"),
    *record_urls(views.ProgramRecord),
    *record_urls(views.CallRecord),
    *record_urls(views.ApplicationRecord),
    *record_urls(views.DisbursementRecord),
    *record_urls(views.RewardRecord),
    *record_urls(views.AwardRecord),
    *record_urls(views.AchievementRecord),
]
