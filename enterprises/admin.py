from django.contrib import admin

from .models import Industry, Town

admin.site.register(Town)
admin.site.register(Industry)
