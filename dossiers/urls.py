from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("applications/<int:pk>/", views.application_zip, name="application_zip"),
    path("applications/", views.applications_build, name="applications_build"),
    path("enterprises/<int:pk>/", views.enterprise_zip, name="enterprise_zip"),
    path("enterprises/<int:pk>/pdf/", views.enterprise_pdf, name="enterprise_pdf"),
    path("builds/<int:pk>/", views.build_detail, name="build_detail"),
    path("builds/<int:pk>/status/", views.build_status, name="build_status"),
    path("builds/<int:pk>/download/", views.build_download, name="build_download"),
]
