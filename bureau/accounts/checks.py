from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_exemption_off_in_production(app_configs, **kwargs):
    if settings.PASSWORD_POLICY_DEMO_EXEMPT:
        return [
            Error(
                "PASSWORD_POLICY_DEMO_EXEMPT is on: the demo accounts skip the password policy.",
                hint="It is for development only; unset it in production.",
                id="bureau.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def two_factor_on_in_production(app_configs, **kwargs):
    if not settings.TWO_FACTOR_ADMIN_SITE or "admin" not in settings.TWO_FACTOR_REQUIRED_ROLES:
        return [
            Error(
                "Two-factor authentication is off for the admin site or for 管理员.",
                hint="Keep TWO_FACTOR_ADMIN_SITE on and 'admin' in TWO_FACTOR_REQUIRED_ROLES (等保 level 3).",
                id="bureau.E002",
            )
        ]
    return []
