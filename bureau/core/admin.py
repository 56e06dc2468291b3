from django.contrib import admin

from .models import SiteSettings

admin.site.register(SiteSettings)
