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
