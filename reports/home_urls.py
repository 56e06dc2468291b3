"""The project's home page is the leaders' dashboard with the user's reminders on top.

Included by the project's URLconf (``bureau/urls.py``, by name, so ``bureau`` never imports ``reports``).
"""

from django.urls import path

from .dashboard_views import dashboard_page

urlpatterns = [path("", dashboard_page, {"template_name": "core/home.html"}, name="home")]
