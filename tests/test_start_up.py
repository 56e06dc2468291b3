"""No start-up work a command does not need: ``manage.py`` (setup and system checks) must not
import WeasyPrint (the report's font check runs where fonts are used: worker, ``build_report``) nor
openpyxl (imported where a workbook is read or written)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
import django
from django.core.management import call_command
django.setup()
call_command("check", verbosity=0)
print(sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[1:]))
"""


def imported_by_setup_and_checks(*packages: str) -> str:
    """The modules of ``packages`` that a fresh process has imported after ``django.setup()`` and
    the system checks (this test process may have imported them already)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "bureau.settings.test")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *packages],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def test_setup_and_system_checks_leave_weasyprint_unimported():
    assert imported_by_setup_and_checks("weasyprint", "docx") == "[]"


def test_setup_and_system_checks_leave_openpyxl_unimported():
    assert imported_by_setup_and_checks("openpyxl") == "[]"
