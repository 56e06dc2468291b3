from django.urls import path

from bureau.records.urls import record_urls

from . import views

app_name = "talent"
urlpatterns = [
    path("autocomplete/persons/", views.person_autocomplete, name="person_autocomplete"),
    *record_urls(views.PersonRecord),
    *record_urls(views.TalentSelectionRecord),
    *record_urls(views.CommissionerRecord),
    *record_urls(views.SecondmentRecord),
    *record_urls(views.PlatformRecord),
    *record_urls(views.PlatformEvaluationRecord),
    *record_urls(views.CooperationAgreementRecord),
    *record_urls(views.InstitutionRecord),
]
