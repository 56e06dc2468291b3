"""The report's CJK fonts must be installed, or every PDF would print tofu boxes.

Checked where fonts are used, not in every ``manage.py`` (asking WeasyPrint about HarfBuzz costs
~0.8 s of imports): when the Celery worker starts (it builds the reports) and when ``build_report``
runs. Returns Django check messages, so both print them alike.
"""

from __future__ import annotations

import logging

from celery.signals import worker_ready
from django.core.checks import Error, Warning

from . import fonts

logger = logging.getLogger(__name__)


def check_report_fonts(app_configs=None, **kwargs):
    try:
        fonts.faces()
    except fonts.FontsMissing as exc:
        return [Error(str(exc), hint=f"apt-get install {fonts.DEBIAN_PACKAGE}", id="reports.E001")]
    if not fonts.harfbuzz_subset_available():
        return [
            Warning(
                "未找到 HarfBuzz 字体子集化库（libharfbuzz-subset0 ≥ 4.1），WeasyPrint 将改用 fontTools，"
                "每份报告 PDF 需要十几秒。",
                hint="apt-get install libharfbuzz-subset0",
                id="reports.W001",
            )
        ]
    return []


@worker_ready.connect
def _check_fonts_at_worker_start(**kwargs):
    for message in check_report_fonts():
        (logger.error if message.is_serious() else logger.warning)("%s（%s）", message.msg, message.hint)
