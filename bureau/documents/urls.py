from django.urls import path

from bureau.documents import views

app_name = "documents"
urlpatterns = [
    path("upload/<int:content_type_id>/<int:object_id>/", views.upload, name="upload"),
    path("<uuid:token>/replace/", views.replace, name="replace"),
    path("<uuid:token>/delete/", views.delete, name="delete"),
    path("<uuid:token>/restore/", views.restore, name="restore"),
    path("file/<uuid:token>/", views.file, name="file"),
    path("preview/<uuid:token>/", views.preview, name="preview"),
]
