from django.core.cache import cache
from django.db import transaction

from .models import SiteSettings
from .selectors import SITE_SETTINGS_CACHE_KEY


@transaction.atomic
def site_settings_update(*, county_name: str, bureau_name: str = "") -> SiteSettings:
    obj = SiteSettings.objects.select_for_update().first() or SiteSettings()
    obj.county_name = county_name
    obj.bureau_name = bureau_name
    obj.full_clean()
    obj.save()
    transaction.on_commit(lambda: cache.delete(SITE_SETTINGS_CACHE_KEY))
    return obj
