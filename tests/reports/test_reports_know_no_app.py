"""``reports`` is driven by the registry: it names no indicator and no other app's choice label, so a
new indicator or a renamed label needs no edit here (and cannot silently drop a sentence)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from bureau.records.models import RecordModel
from bureau.records.versioning import model_tables
from bureau.registry import registry

REPORTS = Path(__file__).resolve().parents[2] / "reports"
# Moved to the demo app (issue 16): a seeding command, not part of the report.
NOT_REPORTS = {REPORTS / "management" / "commands" / "seed_scale.py"}
OTHER_APPS = ("enterprises", "programs", "talent", "core")


def _sources() -> dict[Path, str]:
    return {
        p: p.read_text() for p in sorted(REPORTS.rglob("*.py")) if p not in NOT_REPORTS and "migrations" not in p.parts
    }


def _choice_labels() -> set[str]:
    labels = set()
    for label in OTHER_APPS:
        for model in apps.get_app_config(label).get_models():
            for f in model._meta.get_fields():
                for _, text in getattr(f, "flatchoices", None) or ():
                    labels.add(str(text))
    return labels


def test_no_module_of_reports_names_a_registered_indicator_code():
    found = [
        f"{path.relative_to(REPORTS.parent)}: {code}"
        for path, text in _sources().items()
        for code in registry["indicators"]
        if re.search(rf"""["']{re.escape(code)}["']""", text)
    ]
    assert found == []


def test_no_module_of_reports_keys_anything_by_another_apps_choice_label():
    found = []
    for path, text in _sources().items():
        for label in _choice_labels():
            quoted = re.escape(f'"{label}"')
            if re.search(rf"{quoted}\s*:|==\s*{quoted}|{quoted}\s*==", text):
                found.append(f"{path.relative_to(REPORTS.parent)}: {label}")
    assert found == []


TABLE_IN_SQL = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')


@pytest.mark.django_db
def test_every_indicator_declares_the_record_tables_its_figure_reads():
    """A figure is recomputed only when a table of its ``depends_on`` models is written, so a record
    table it reads but does not declare would leave it stale."""
    record_tables = set(model_tables(m for m in apps.get_models() if issubclass(m, RecordModel)))
    undeclared = {}
    for code, indicator in registry["indicators"].items():
        read: set[str] = set()

        def record(execute, sql, params, many, context, read=read):
            read.update(TABLE_IN_SQL.findall(sql))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            for year in (2019, 2020):
                indicator.value(year)
                indicator.missing_inputs(year)
                if indicator.breakdown is not None:
                    indicator.breakdown(year)
        missing = (read & record_tables) - set(model_tables(indicator.dependencies))
        if missing:
            undeclared[code] = sorted(missing)
    assert undeclared == {}
