from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo county and the benchmark data set: the top layer, it may use every app and none uses it."""

    name = "demo"
    verbose_name = "演示数据"
