from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.records.models import RecordModel

from .validators import normalise_credit_code, validate_credit_code


class Town(models.Model):
    """乡镇/街道: a managed list (admin)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("乡镇/街道")
        verbose_name_plural = _("乡镇/街道")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Industry(models.Model):
    """行业: a managed list (admin)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Enterprise(RecordModel):
    class Scale(models.TextChoices):
        ABOVE = "above", _("规上")
        BELOW = "below", _("规下")

    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code])
    town = models.ForeignKey(
        Town, verbose_name=_("所属乡镇"), on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业"), on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    scale = models.CharField(_("企业规模"), max_length=10, choices=Scale.choices, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(scale__in=["above", "below", ""]), name="enterprise_scale_valid")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.credit_code:
            self.credit_code = normalise_credit_code(self.credit_code)
