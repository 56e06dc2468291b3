"""python manage.py prepare_report_fonts: put the installed FandolFang's outlines on a 400-unit em.

Run once after the fonts are installed (``make install`` and the Dockerfile do it, as root: the
font lives in /usr/local/share/fonts/fandol). The report's PDF is then ~40 KiB smaller; see
``reports.fonts.quantize_outlines`` for why and what it changes (nothing visible). Without the
rights to replace the file it says how to run it and leaves the font as it is: PDFs stay correct,
only larger (the start-up check warns, reports.W003).
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from reports import fonts


class Command(BaseCommand):
    help = "将已安装的 FandolFang 仿宋字形换算到 400 单位字身（报告 PDF 约小 40 KiB），只需运行一次。"
    requires_system_checks = []

    def handle(self, *args, **options):
        path = fonts.fang_needs_quantizing()
        if path is None:
            state = "已就绪" if (fonts.FANG, "Regular") in fonts.optional_faces() else "未安装，跳过"
            self.stdout.write(f"FandolFang 仿宋：{state}")
            return
        if not os.access(Path(path).parent, os.W_OK):
            self.stdout.write(
                self.style.WARNING(
                    f"无权改写 {path}：请以 root 运行 sudo make report-fonts（不运行时 PDF 仍正确，只是约大 40 KiB）"
                )
            )
            return
        started = time.monotonic()
        fonts.quantize_outlines(path)
        if exe := shutil.which("fc-cache"):
            subprocess.run([exe, "-f", str(Path(path).parent)], check=False, timeout=120)  # noqa: S603
        self.stdout.write(
            self.style.SUCCESS(
                f"FandolFang 仿宋：字形已换算到 {fonts.FANG_UPEM} 单位字身（{time.monotonic() - started:.0f} 秒）"
            )
        )
