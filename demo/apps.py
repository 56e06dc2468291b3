from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo county and the benchmark data set: the top layer, it may use every app and none uses it."""

    name = "demo"
    verbose_name = "演示数据"

    def ready(self):
        from bureau.registry import register_demo_accounts

        from .users import DEMO_USERS

        register_demo_accounts(name for name, _role, _display in DEMO_USERS)
