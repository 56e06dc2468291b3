"""``build_report`` as a whole process against a plain WeasyPrint render of a report as long.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/bench_build_report.py [--runs 5]

The database must hold the demo county (``manage.py migrate && manage.py seed_demo``). Each run is a
fresh process, timed from start to exit:

- ``manage.py build_report --year 2019 --out report.pdf``: Django set-up, the font check, the
  snapshot of every figure from the records, the completeness check, the document, the PDF (and
  nothing else: no DOCX);
- the baseline: ``python -c`` importing WeasyPrint and writing a PDF of the same text (the built
  PDF's own text, one paragraph per line, in the same Noto faces): what any PDF of that length costs.

Goal (issue 16): the first within 2x the second. Each run is measured by the wall clock and by the
CPU time of the process (user + system, ``getrusage(RUSAGE_CHILDREN)``): on a shared machine the
other jobs stretch the wall clock, not the CPU time, so the ratio of the CPU times (medians) is the
one compared with the goal. Results printed and written to bench/results/bench_build_report.json.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
YEAR = 2019

PLAIN = """
import sys
from weasyprint import HTML
HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
"""
CSS = (
    "@page { size: A4; margin: 37mm 26mm 35mm 28mm; } "
    "body { font-family: 'Noto Serif CJK SC'; font-size: 16pt; line-height: 28pt; } "
    "p { margin: 0; text-indent: 2em; } h1 { font-family: 'Noto Sans CJK SC'; font-size: 22pt; }"
)


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall-clock ms, CPU ms of the child process) of one run."""

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    cpu_start, start = cpu(), time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=os.environ)
    return (time.perf_counter() - start) * 1000, (cpu() - cpu_start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-build-report-"))
    pdf = tmp / "report.pdf"
    build_runs = [
        timed([PYTHON, "manage.py", "build_report", "--year", str(YEAR), "--out", str(pdf)]) for _ in range(args.runs)
    ]
    build = [wall for wall, _cpu in build_runs]
    build_cpu = [cpu for _wall, cpu in build_runs]

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.count("\f")
    lines = [line for line in text.splitlines() if line.strip()]
    # Paragraphs as pdftotext separates them (blank lines), their lines joined again.
    paragraphs = ["".join(p.split()) for p in text.replace("\f", "\n\n").split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    source = tmp / "plain.html"
    source.write_text(
        f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body><h1>{html.escape(lines[0])}</h1>{body}</body></html>"
    )
    plain_pdf = tmp / "plain.pdf"
    plain_runs = [timed([sys.executable, "-c", PLAIN, str(source), str(plain_pdf)]) for _ in range(args.runs)]
    plain = [wall for wall, _cpu in plain_runs]
    plain_cpu = [cpu for _wall, cpu in plain_runs]
    plain_pages = subprocess.run(["pdfinfo", str(plain_pdf)], capture_output=True, text=True, check=True).stdout

    result = {
        "runs": args.runs,
        "load_average": round(os.getloadavg()[0], 2),
        "build_report_cpu_ms": round(statistics.median(build_cpu)),
        "plain_weasyprint_cpu_ms": round(statistics.median(plain_cpu)),
        "ratio": round(statistics.median(build_cpu) / statistics.median(plain_cpu), 2),
        "build_report_ms": round(statistics.median(build)),
        "plain_weasyprint_ms": round(statistics.median(plain)),
        "wall_ratio": round(statistics.median(build) / statistics.median(plain), 2),
        "report_pages": pages,
        "plain_pages": int(next(line.split()[-1] for line in plain_pages.splitlines() if line.startswith("Pages:"))),
        "characters": sum(len(line) for line in lines),
        "samples": {"build_report": [round(x) for x in build], "plain": [round(x) for x in plain]},
        "cpu_samples": {"build_report": [round(x) for x in build_cpu], "plain": [round(x) for x in plain_cpu]},
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / "bench_build_report.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
