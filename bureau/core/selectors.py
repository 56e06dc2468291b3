from django.conf import settings
from django.core.cache import cache

from .models import SiteSettings

SITE_SETTINGS_CACHE_KEY = "core:site-settings"


def site_settings() -> SiteSettings:
    """The portal's settings; an unsaved default (from COUNTY_NAME) until an admin saves them."""
    cached = cache.get(SITE_SETTINGS_CACHE_KEY)
    if cached is not None:
        return cached
    obj = SiteSettings.objects.first() or SiteSettings(county_name=settings.DEFAULT_COUNTY_NAME)
    cache.set(SITE_SETTINGS_CACHE_KEY, obj, 300)
    return obj
