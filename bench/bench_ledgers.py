"""Excel ledger import and list export, against a raw baseline measured in the same run.

    .venv/bin/python bench/bench_ledgers.py [--rows 10000] [--export-rows 100000] [--runs 5] [--sqlite]

- Import of ``--rows`` 企业名录 rows and of ``--rows`` 企业年度统计 rows through the ledger engine
  (file checks, header match, every cell parsed, each row validated by the record's form, natural
  keys matched, bulk writes with their history rows, one transaction), against the baseline: openpyxl
  ``read_only`` + ``bulk_create`` with no validation (foreign keys from one dict query). Goal: ≤ 1.5×.
  The ratio compares the CPU time of this process (``time.process_time``), best of ``--runs``
  alternating runs: on a shared machine it barely moves with the load, unlike the wall clock
  (printed too). Neither side counts the database server's own CPU time.
- Re-import of the same statistics file (every row matched and found unchanged: nothing written).
- Export of ``--export-rows`` enterprises through the list view's ``?export=xlsx`` (the ledger's
  columns, openpyxl ``write_only`` streamed to a temporary file): time and peak Python memory
  (tracemalloc, a second run) and the process's peak RSS; ``--export-rows 0`` skips it.

The database is PostgreSQL ``bureau_bench_ledgers`` (or ``--database``) on 127.0.0.1 (dropped and created), or a
temporary SQLite file with ``--sqlite``. Figures are printed and written to bench/results/ledgers.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"
DB_NAME = "bureau_bench_ledgers"
TOWNS = ["南麻街道", "历山街道", "悦庄镇", "东里镇", "鲁村镇", "燕崖镇", "中庄镇", "张家坡镇"]
INDUSTRIES = ["新材料", "医药化工", "装备制造", "电子信息", "食品加工", "现代农业"]


def setup_django(sqlite: bool, tmp: Path, db_name: str = DB_NAME) -> str:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bureau.settings.test"
    if sqlite:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        import psycopg2

        conn = psycopg2.connect(PG + "postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{db_name}"')
        conn.close()
        url = PG + db_name
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", "-v", "0")
    return "SQLite" if sqlite else "PostgreSQL"


def code(i: int) -> str:
    from enterprises.validators import make_credit_code

    return make_credit_code(f"91370323MA{i:07d}")


def write_files(tmp: Path, rows: int) -> tuple[Path, Path]:
    from openpyxl import Workbook

    # Normal (not write-only) mode: like Excel, it writes the sheet's <dimension> at the top, which
    # openpyxl's read-only reader otherwise finds only by parsing the whole sheet once more.
    enterprises = tmp / "enterprises.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(["企业名称*", "统一社会信用代码*", "所属乡镇", "行业", "企业规模", "联系人", "联系电话"])
    for i in range(rows):
        ws.append(
            [
                f"示例县第{i}号科技有限公司",
                code(i),
                TOWNS[i % len(TOWNS)],
                INDUSTRIES[i % len(INDUSTRIES)],
                "规上" if i % 3 else "规下",
                "张伟",
                f"0533-{3200000 + i}",
            ]
        )
    wb.save(enterprises)
    stats = tmp / "statistics.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "企业年度统计"
    ws.append(
        [
            "统一社会信用代码*",
            "年度*",
            "研发经费支出(万元)",
            "营业收入(万元)",
            "工业总产值(万元)",
            "高新技术产业产值(万元)",
            "专利申请量",
            "专利授权量",
            "发明专利授权量",
            "有效发明专利数",
        ]
    )
    for i in range(rows):
        ws.append([code(i), 2019, 100 + i % 900 + 0.5, 8000 + i, 12000 + i, 6000 + i, 12, 8, 2, 5])
    wb.save(stats)
    return enterprises, stats


def raw_delete(model) -> None:
    from django.db import connection

    for m in (model.history.model, model):
        with connection.cursor() as cur:
            cur.execute(f'DELETE FROM "{m._meta.db_table}"')


def baseline_enterprises(path: Path) -> int:
    from openpyxl import load_workbook

    from enterprises.models import Enterprise, Industry, Town

    scale = {"规上": "above", "规下": "below"}
    towns = dict(Town.objects.values_list("name", "pk"))
    industries = dict(Industry.objects.values_list("name", "pk"))
    wb = load_workbook(path, read_only=True, data_only=True)
    objs = []
    for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True):
        name, credit_code, town, industry, size, contact, phone = row[:7]
        objs.append(
            Enterprise(
                name=name,
                credit_code=credit_code,
                town_id=towns.get(town),
                industry_id=industries.get(industry),
                scale=scale.get(size, ""),
                contact=contact or "",
                phone=str(phone or ""),
            )
        )
    wb.close()
    Enterprise.objects.bulk_create(objs, batch_size=500)
    return len(objs)


def baseline_statistics(path: Path) -> int:
    from openpyxl import load_workbook

    from enterprises.models import Enterprise, YearlyStatistic

    ids = dict(Enterprise.objects.values_list("credit_code", "pk"))
    wb = load_workbook(path, read_only=True, data_only=True)
    objs = []
    for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True):
        credit_code, year, rd, revenue, output, high_tech, applied, granted, invention, valid = row[:10]
        objs.append(
            YearlyStatistic(
                enterprise_id=ids[credit_code],
                year=year,
                rd_expenditure=Decimal(str(rd)),
                revenue=Decimal(str(revenue)),
                industrial_output=Decimal(str(output)),
                high_tech_output=Decimal(str(high_tech)),
                patents_applied=applied,
                patents_granted=granted,
                invention_patents_granted=invention,
                valid_invention_patents=valid,
            )
        )
    wb.close()
    YearlyStatistic.objects.bulk_create(objs, batch_size=500)
    return len(objs)


def ledger(name: str, path: Path) -> int:
    from bureau.ledgers.columns import get_ledger
    from bureau.ledgers.write import ledger_import

    result = ledger_import(ledger=get_ledger(name), path=str(path), commit=True)
    if not result.committed:
        raise SystemExit(f"{name} import failed: {result.messages()[:5]}")
    return len(result.rows)


def load_average() -> float:
    """The 1-minute load average: other jobs on the machine only ever add time."""
    return round(os.getloadavg()[0], 2)


def timed(fn, *args) -> tuple[float, float]:
    """(CPU seconds of this process, wall-clock seconds) of one call.

    The CPU time (``time.process_time``: user + system time of this process, all threads) is what
    the ratio compares: on a shared machine other jobs take the cores away and stretch the wall
    clock by a factor that changes from one run to the next, but they do not add to the time this
    process itself spends computing. It leaves out the database server's own work (a separate
    process), for the baseline and the import alike."""
    cpu, wall = time.process_time(), time.perf_counter()
    fn(*args)
    return time.process_time() - cpu, time.perf_counter() - wall


def compare(label: str, model, baseline, ours, runs: int) -> dict:
    """Alternate baseline and ledger runs on an empty table; the ledger's rows stay at the end.
    The ratio is of the CPU times, each the best of the runs (load only ever adds time)."""
    base_cpu, base_wall, ours_cpu, ours_wall = [], [], [], []
    for run in range(runs):
        raw_delete(model)
        cpu, wall = timed(baseline)
        base_cpu.append(cpu)
        base_wall.append(wall)
        raw_delete(model)
        cpu, wall = timed(ours)
        ours_cpu.append(cpu)
        ours_wall.append(wall)
        print(
            f"  {label} run {run + 1}: baseline {base_cpu[-1]:.2f} s CPU ({base_wall[-1]:.2f} s wall),"
            f" ledger {ours_cpu[-1]:.2f} s CPU ({ours_wall[-1]:.2f} s wall)",
            flush=True,
        )
    base, mine = min(base_cpu), min(ours_cpu)
    return {
        "baseline_cpu_s": round(base, 3),
        "ledger_cpu_s": round(mine, 3),
        "ratio": round(mine / base, 2),
        "baseline_wall_s": round(min(base_wall), 3),
        "ledger_wall_s": round(min(ours_wall), 3),
        "wall_ratio": round(min(ours_wall) / min(base_wall), 2),
    }


def export_enterprises(rows: int) -> dict:
    from django.test import Client

    from bureau.records.urls import record_url
    from enterprises.models import Enterprise
    from tests.conftest import make_user

    have = Enterprise.objects.count()
    if have < rows:
        batch = []
        for i in range(have, rows):
            batch.append(
                Enterprise(name=f"示例县第{i}号科技有限公司", credit_code=code(i), scale="above", contact="张伟")
            )
            if len(batch) == 5000:
                Enterprise.objects.bulk_create(batch)
                batch = []
        Enterprise.objects.bulk_create(batch)
    client = Client()
    client.force_login(make_user("staff", username="bench_export"))
    url = record_url(Enterprise, "list") + "?export=xlsx"

    def download() -> int:
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    size = download()
    seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    download()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "file_mb": round(size / 1024 / 1024, 1),
        "peak_python_mb": round(peak / 1024 / 1024, 1),
        "peak_rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--database", default=DB_NAME, help="the PostgreSQL database (dropped and created)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        engine = setup_django(args.sqlite, tmp, args.database)
        from django.conf import settings

        settings.LEDGER_MAX_ROWS = max(settings.LEDGER_MAX_ROWS, args.rows)

        from enterprises.models import Enterprise, Industry, Town, YearlyStatistic

        for i, town in enumerate(TOWNS):
            Town.objects.get_or_create(name=town, defaults={"order": i})
        for i, industry in enumerate(INDUSTRIES):
            Industry.objects.get_or_create(name=industry, defaults={"order": i})
        enterprises, stats = write_files(tmp, args.rows)
        print(f"Ledger import on {engine}, {args.rows:,} rows per file, best of {args.runs} runs", flush=True)
        figures = {"database": engine, "rows": args.rows, "runs": args.runs, "load_before": load_average()}
        figures["enterprises"] = compare(
            "企业名录",
            Enterprise,
            lambda: baseline_enterprises(enterprises),
            lambda: ledger("企业名录", enterprises),
            args.runs,
        )
        figures["statistics"] = compare(
            "企业年度统计",
            YearlyStatistic,
            lambda: baseline_statistics(stats),
            lambda: ledger("企业年度统计", stats),
            args.runs,
        )
        cpu, wall = timed(ledger, "企业年度统计", stats)
        figures["statistics_reimport_unchanged_cpu_s"] = round(cpu, 3)
        figures["statistics_reimport_unchanged_wall_s"] = round(wall, 3)
        raw_delete(YearlyStatistic)
        if args.export_rows:
            print(f"Export of {args.export_rows:,} enterprises", flush=True)
            figures["export"] = export_enterprises(args.export_rows)
        figures["load_after"] = load_average()
    for key in ("enterprises", "statistics"):
        f = figures[key]
        verdict = "OK" if f["ratio"] <= 1.5 else "over the 1.5x goal"
        print(
            f"{key}: CPU time baseline {f['baseline_cpu_s']} s, ledger {f['ledger_cpu_s']} s, ratio {f['ratio']}x"
            f" ({verdict}); wall clock {f['baseline_wall_s']} s / {f['ledger_wall_s']} s = {f['wall_ratio']}x"
        )
    print(
        f"statistics re-import (all unchanged): {figures['statistics_reimport_unchanged_cpu_s']} s CPU,"
        f" {figures['statistics_reimport_unchanged_wall_s']} s wall"
    )
    print(
        f"load average (1 min) before {figures['load_before']}, after {figures['load_after']} (the machine is shared)"
    )
    e = figures.get("export")
    if e:
        print(
            f"export {e['rows']:,} rows: {e['seconds']} s, {e['file_mb']} MB file, peak Python memory {e['peak_python_mb']} MB,"
            f" peak RSS growth {e['peak_rss_growth_mb']} MB"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "ledgers.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
