"""The project's home page is the leaders' dashboard with the user's reminders on top (and, for
管理员 on a new county, the first-run checklist).

Included by the project's URLconf (``bureau/urls.py``, by name, so ``bureau`` never imports ``reports``).
"""

from django.urls import path

from .dashboard_views import dashboard_page

urlpatterns = [path("", dashboard_page, {"template_name": "core/home.html", "with_setup": True}, name="home")]
