from django.contrib import admin
from django.urls import include, path

from bureau.core import views as core_views
from bureau.core.search_views import search_suggest_view, search_view
from bureau.help import views as help_views
from bureau.records.views import choice_autocomplete

urlpatterns = [
    path("", include("reports.home_urls")),  # the home page is the dashboard (reports sits above bureau)
    path("healthz", core_views.healthz, name="healthz"),
    path("search/", search_view, name="search"),
    path("search/suggest/", search_suggest_view, name="search_suggest"),
    path("help/", help_views.help_index, name="help_index"),
    path("help/<slug:slug>/", help_views.help_page, name="help_page"),
    path("records/choices/<str:source>/", choice_autocomplete, name="choice_autocomplete"),
    path("settings/", core_views.site_settings_edit, name="site_settings"),
    path("setup/", core_views.setup_checklist_page, name="setup_checklist"),
    path("setup/dismiss/", core_views.setup_checklist_dismiss, name="setup_checklist_dismiss"),
    path("accounts/", include("bureau.accounts.urls")),
    path("core/", include("bureau.core.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("programs/", include("programs.urls")),
    path("talent/", include("talent.urls")),
    path("reports/", include("reports.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("ledgers/", include("bureau.ledgers.urls")),
    path("notifications/", include("bureau.notifications.urls")),
    path("audit/", include("bureau.audit.urls")),
    path("documents/", include("bureau.documents.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "bureau.core.views.permission_denied"
handler404 = "bureau.core.views.page_not_found"
