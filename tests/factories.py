"""Factories shared by every app's tests; each app keeps its own in tests/<app>/factories.py.

``FACTORIES`` maps a model label to its factory, so the generic view tests can build a record of
every registered type (a type without a factory fails that test, on purpose).
"""

import factory
from django.contrib.auth import get_user_model
from faker import Faker

from demo.names import person_name

fake = Faker("zh_CN")
FACTORIES: dict[str, type[factory.django.DjangoModelFactory]] = {}


def register_factory(cls):
    FACTORIES[cls._meta.model._meta.label_lower] = cls
    return cls


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(person_name)
    password = factory.django.Password("pass-12345")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)


def load_all_factories() -> dict:
    """Import every ``tests/<app>/factories.py`` so that FACTORIES is complete."""
    import importlib
    import pkgutil
    from pathlib import Path

    root = Path(__file__).parent
    for info in pkgutil.iter_modules([str(root)]):
        if info.ispkg and (root / info.name / "factories.py").exists():
            importlib.import_module(f"tests.{info.name}.factories")
    return FACTORIES
