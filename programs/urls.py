from django.urls import path

from bureau.records.urls import record_urls

from . import review_views, views

app_name = "programs"
urlpatterns = [
    path(
        "applications/batch-recommend/",
        views.ApplicationBatchRecommendView.as_view(),
        name="application_batch_recommend",
    ),
    path("calls/<int:pk>/publicity/", views.CallPublicityView.as_view(), name="call_publicity"),
    path("applications/<int:pk>/reassign/", views.ApplicationReassignView.as_view(), name="application_reassign"),
    path("reviews/mine/", review_views.my_reviews, name="my_reviews"),
    path("reviews/assignments/<int:pk>/", review_views.review_assignment, name="review_assignment"),
    path("reviewrounds/<int:pk>/ranking.xlsx", review_views.review_ranking_export, name="review_ranking_export"),
    *record_urls(views.ProgramRecord),
    *record_urls(views.CallRecord),
    *record_urls(views.ApplicationRecord),
    *record_urls(views.DisbursementRecord),
    *record_urls(views.RewardRecord),
    *record_urls(views.AwardRecord),
    *record_urls(views.AchievementRecord),
    *record_urls(review_views.ExpertRecord),
    *record_urls(review_views.ReviewRoundRecord),
    *record_urls(review_views.IntegrityRecordRecord),
]
