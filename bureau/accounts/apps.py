from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from .services import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "bureau.accounts"
    label = "accounts"
    verbose_name = "用户与角色"

    def ready(self):
        # Permissions of new models exist only after migrate; re-apply roles.py then.
        post_migrate.connect(_sync_roles, dispatch_uid="bureau.accounts.sync_roles")
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the deploy check
        from .policy import on_login

        user_logged_in.connect(on_login, dispatch_uid="bureau.accounts.password_policy")
        from .two_factor import on_login as two_factor_on_login

        user_logged_in.connect(two_factor_on_login, dispatch_uid="bureau.accounts.two_factor")
