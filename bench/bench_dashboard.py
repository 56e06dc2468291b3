"""Dashboard server time and SQL query count, at the demo scale and at city scale, on PostgreSQL.

    .venv/bin/python bench/bench_dashboard.py [--runs 30] [--city-scale 1] [--skip-city] [--reuse]

Each scale gets its own database (bureau_bench_demo, bureau_bench_city on 127.0.0.1:5432): the
demo county of ``seed_demo`` (or, without that command, ``seed_scale --scale 0.02``: about 400
enterprises and 2,000 applications), and ``seed_scale --scale 1`` (about 20,000 enterprises and
100,000 applications over 10 years). The dashboard is
requested in-process through Django's test client (server time: middleware, queries, rendering,
no network), with Redis as the cache as in production. Reported per scale:

- warm: the usual view (the figures and the page body are in the cache);
- after a write: the view after one record was saved (the figures over its table recomputed);
- cold: after a bulk write that invalidates every cached figure (everything recomputed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG = "postgres://postgres@127.0.0.1:5432/"
REDIS = "redis://127.0.0.1:6379/12"
SCALES = {"demo": 0.02, "city": 1.0}


def bench_env(db: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": PG + db,
        "REDIS_URL": REDIS,
        "BENCH_CACHE_PREFIX": db,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
    }


def manage(db: str, *args: str, timeout: int = 900) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=bench_env(db), check=True, timeout=timeout)


def database_exists(db: str) -> bool:
    import psycopg2

    with psycopg2.connect(PG + "postgres") as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        return cur.fetchone() is not None


def seed_command(db: str, scale: float) -> list[str]:
    """The demo county (``seed_demo``) for the demo scale when the project has it, else seed_scale."""
    if scale == SCALES["demo"]:
        found = subprocess.run(
            [PYTHON, "manage.py", "help", "seed_demo"], cwd=ROOT, env=bench_env(db), capture_output=True, timeout=120
        )
        if found.returncode == 0:
            return ["seed_demo"]
    return ["seed_scale", "--scale", str(scale)]


def prepare_database(db: str, scale: float, *, reuse: bool) -> float | None:
    """Create and fill ``db`` (or keep it with ``reuse``); returns the seconds the seeding took."""
    import psycopg2

    if reuse and database_exists(db):
        return None
    conn = psycopg2.connect(PG + "postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{db}"')
    conn.close()
    manage(db, "migrate", "--noinput", "-v0")
    manage(db, "create_demo_users")
    started = time.monotonic()
    manage(db, *seed_command(db, scale))
    seconds = time.monotonic() - started
    subprocess.run(["psql", PG + db, "-q", "-c", "VACUUM ANALYZE"], check=True, timeout=600)
    return seconds


def measure(runs: int) -> dict:
    """Runs inside a child process configured for one database (``--measure``)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bureau.core.models import Activity
    from bureau.records.versioning import bump_data_version

    user = get_user_model().objects.filter(groups__name="局领导").order_by("pk").first()
    client = Client()
    client.force_login(user)

    def timed(prepare=None) -> tuple[float, int]:
        if prepare:
            prepare()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/")
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed, len(queries)

    activity = Activity.objects.order_by("-held_on").first()

    def write():
        activity.save()  # one record write: the figures over its table are recomputed

    results = {}
    timed(bump_data_version)  # connections, templates, caches of Python code
    for name, prepare, n in (
        ("cold", bump_data_version, max(5, runs // 4)),
        ("after_write", write, max(5, runs // 2)),
        ("warm", None, runs),
    ):
        samples = [timed(prepare) for _ in range(n)]
        times = [t for t, _ in samples]
        results[name] = {
            "median_ms": round(statistics.median(times), 1),
            "p90_ms": round(sorted(times)[int(0.9 * (len(times) - 1))], 1),
            "queries": sorted({q for _, q in samples}),
            "runs": n,
        }
    from django.apps import apps

    results["rows"] = {
        label: apps.get_model(label).objects.count()
        for label in ("enterprises.Enterprise", "programs.Application", "enterprises.YearlyStatistic")
    }
    return results


def run_scale(name: str, scale: float, *, runs: int, reuse: bool) -> dict:
    db = f"bureau_bench_{name}"
    print(f"== {name}（--scale {scale}，数据库 {db}）", flush=True)
    seeded = prepare_database(db, scale, reuse=reuse)
    out = subprocess.run(
        [PYTHON, __file__, "--measure", "--runs", str(runs)],
        cwd=ROOT,
        env=bench_env(db),
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["seed_seconds"] = None if seeded is None else round(seeded, 1)
    return result


def report(results: dict[str, dict]) -> None:
    print("\n首页看板（服务器端耗时，PostgreSQL + Redis 缓存）")
    print(f"{'规模':<6}{'企业/项目申报':>16}{'warm 中位数':>12}{'写入后':>10}{'cold':>10}{'SQL(warm/写入后/cold)':>24}")
    for name, r in results.items():
        rows = r["rows"]
        sizes = f"{rows['enterprises.Enterprise']}/{rows['programs.Application']}"
        queries = "/".join(",".join(map(str, r[k]["queries"])) for k in ("warm", "after_write", "cold"))
        print(
            f"{name:<8}{sizes:>16}{r['warm']['median_ms']:>10} ms{r['after_write']['median_ms']:>7} ms"
            f"{r['cold']['median_ms']:>7} ms{queries:>22}"
        )
        if r.get("seed_seconds"):
            print(f"         载入数据用时 {r['seed_seconds']} 秒")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--city-scale", type=float, default=SCALES["city"])
    parser.add_argument("--skip-city", action="store_true", help="only the demo scale (quick)")
    parser.add_argument("--reuse", action="store_true", help="keep an existing benchmark database")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return 0
    scales = {"demo": SCALES["demo"]} if args.skip_city else {"demo": SCALES["demo"], "city": args.city_scale}
    results = {name: run_scale(name, scale, runs=args.runs, reuse=args.reuse) for name, scale in scales.items()}
    report(results)
    city = results.get("city")
    if city and city["warm"]["median_ms"] > 100:
        print("未达标：城市规模下看板中位数超过 100 ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
