"""URLs of the Excel ledgers (included at ``ledgers/`` by bureau/urls.py)."""

from django.urls import path

from bureau.ledgers import views as ledger_views

urlpatterns = [
    path("", ledger_views.ledger_index, name="ledger_index"),
    path("<slug:slug>/template/", ledger_views.ledger_template, name="ledger_template"),
    path("<slug:slug>/import/", ledger_views.ledger_import, name="ledger_import"),
    path("jobs/<uuid:pk>/", ledger_views.ledger_job, name="ledger_job"),
    path("jobs/<uuid:pk>/confirm/", ledger_views.ledger_job_confirm, name="ledger_job_confirm"),
    path("jobs/<uuid:pk>/discard/", ledger_views.ledger_job_discard, name="ledger_job_discard"),
]
