from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import AnnualTarget, SiteSettings
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


@transaction.atomic
def annual_target_save(*, target: AnnualTarget) -> AnnualTarget:
    """Save a target (new or edited); a changed year, indicator or figure needs a new sign-off."""
    if target.pk is not None:
        before = (
            AnnualTarget.objects.select_for_update()
            .filter(pk=target.pk)
            .values_list("year", "indicator", "target")
            .first()
        )
        if before != (target.year, target.indicator, target.target):
            target.signed_off_by = None
            target.signed_off_at = None
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def annual_target_signoff(*, target_id: int, by) -> AnnualTarget:
    """股室负责人 confirm a target; the dashboard and the report show who signed it off."""
    if not by.has_perm("core.signoff_annualtarget"):
        raise PermissionDenied
    target = AnnualTarget.objects.select_for_update().get(pk=target_id)
    if target.signed_off_at is not None:
        raise ValidationError("该目标已签核，无需重复签核。")
    target.signed_off_by = by
    target.signed_off_at = timezone.now()
    target.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    return target
