"""The UI is Chinese-only (README "Code conventions"): user-facing text is written as plain Chinese
strings, never wrapped for translation, so there is no half-translated state to drift into."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = ("bureau", "enterprises", "programs", "talent", "reports", "demo")
TRANSLATION_IMPORT = re.compile(r"django\.utils\.translation import .*\bgettext")
TEMPLATE_TAG = re.compile(r"{%\s*(load i18n|trans|translate|blocktrans|blocktranslate)\b")


def _files(pattern: str, roots):
    for root in roots:
        base = ROOT / root
        if base.exists():
            yield from (p for p in base.rglob(pattern) if "migrations" not in p.parts)


def test_no_python_module_wraps_text_for_translation():
    offenders = [str(p.relative_to(ROOT)) for p in _files("*.py", APPS) if TRANSLATION_IMPORT.search(p.read_text())]
    assert offenders == []


def test_no_template_uses_translation_tags():
    offenders = [
        str(p.relative_to(ROOT)) for p in _files("*.html", ("templates", *APPS)) if TEMPLATE_TAG.search(p.read_text())
    ]
    assert offenders == []


def test_the_check_sees_a_wrapped_string(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('from django.utils.translation import gettext_lazy as _\nLABEL = _("企业")\n')
    assert TRANSLATION_IMPORT.search(sample.read_text())
