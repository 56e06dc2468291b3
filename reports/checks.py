"""The report's CJK fonts must be installed, or every PDF would print tofu boxes (and the official
仿宋/楷体 should be, or the body falls back to Song: a warning).

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
    messages = []
    missing = [family for family, style in fonts.OPTIONAL_FACES if (family, style) not in fonts.optional_faces()]
    if missing:
        messages.append(
            Warning(
                "未安装公文字体{}：正文改用宋体、二级标题改用宋体加粗（GB/T 9704 要求仿宋、楷体）。".format(
                    "、".join(missing)
                ),
                hint=f"make system-deps（安装 {fonts.KAI_PACKAGE}，并从 Debian 软件包 {fonts.FANDOL_PACKAGE} "
                f"取出 FandolFang 字体文件，放入 {fonts.FANDOL_DIR}）",
                id="reports.W002",
            )
        )
    if fonts.fang_needs_quantizing():
        messages.append(
            Warning(
                f"仿宋字体 FandolFang 的字形尚未换算到 {fonts.FANG_UPEM} 单位字身：报告 PDF 约大 40 KiB（内容不受影响）。",
                hint="以 root 运行 make report-fonts（即 python manage.py prepare_report_fonts）",
                id="reports.W003",
            )
        )
    if not fonts.harfbuzz_subset_available():
        messages.append(
            Warning(
                "未找到 HarfBuzz 字体子集化库（libharfbuzz-subset0 ≥ 4.1），WeasyPrint 将改用 fontTools，"
                "每份报告 PDF 需要十几秒。",
                hint="apt-get install libharfbuzz-subset0",
                id="reports.W001",
            )
        )
    return messages


@worker_ready.connect
def _check_fonts_at_worker_start(**kwargs):
    for message in check_report_fonts():
        (logger.error if message.is_serious() else logger.warning)("%s（%s）", message.msg, message.hint)
