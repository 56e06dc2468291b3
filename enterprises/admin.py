from django.contrib import admin

from .models import CertificationType, Industry, Town

admin.site.register(Town)
admin.site.register(Industry)


@admin.register(CertificationType)
class CertificationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code", "validity_years", "order")
    list_editable = ("order",)
    search_fields = ("name", "code")
