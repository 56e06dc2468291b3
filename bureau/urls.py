from django.contrib import admin
from django.urls import include, path

from bureau.core import views as core_views

urlpatterns = [
    path("", include("reports.home_urls")),  # the home page is the dashboard (reports sits above bureau)
    path("healthz", core_views.healthz, name="healthz"),
    path("settings/", core_views.site_settings_edit, name="site_settings"),
    path("accounts/", include("bureau.accounts.urls")),
    path("core/", include("bureau.core.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("programs/", include("programs.urls")),
    path("talent/", include("talent.urls")),
    path("reports/", include("reports.urls")),
    path("ledgers/", include("bureau.ledgers.urls")),
    path("audit/", include("bureau.audit.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "bureau.core.views.permission_denied"
handler404 = "bureau.core.views.page_not_found"
