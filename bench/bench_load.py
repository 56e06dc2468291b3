"""Load: gunicorn + PostgreSQL + Redis as in production, 50 users for 60 s, at the demo scale.

    .venv/bin/python bench/bench_load.py [--users 50] [--seconds 60] [--workers 4] [--reuse]

The demo-scale database of bench_dashboard.py (bureau_bench_demo: the demo county of seed_demo) is
served by gunicorn (``bureau.wsgi``, the production settings but plain HTTP: bench/settings.py)
on 127.0.0.1; locust (headless, bench/locustfile.py) runs 50 signed-in users reading the dashboard,
lists, record pages and searches. Users are signed in beforehand (sessions created in the
database): password hashing is slow on purpose and is not part of the page mix. Reports p95,
median, requests per second and the error count; goal p95 ≤ 300 ms with 0 errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboard import PYTHON, ROOT, SCALES, bench_env, prepare_database  # noqa: E402

DB = "bureau_bench_demo"
VENV_BIN = ROOT / ".venv" / "bin"


def load_data(path: str, users: int) -> None:
    """Child process (``--data``): sessions of the demo users and the URLs of the page mix."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from bureau.core.models import CountyYear
    from bureau.records.urls import record_url
    from enterprises.models import Enterprise
    from programs.models import Application

    rng = random.Random(50)
    people = list(get_user_model().objects.filter(username__in=["juzhang", "keyuan", "keyuan2", "guzhang"]))
    sessions = []
    for n in range(users):
        user = people[n % len(people)]
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    enterprises = list(Enterprise.objects.values_list("pk", "name")[:5000])
    applications = list(Application.objects.values_list("pk", flat=True)[:5000])
    picked = rng.sample(enterprises, min(200, len(enterprises)))
    years = sorted(CountyYear.objects.values_list("year", flat=True))[-3:]
    data = {
        "sessions": sessions,
        "dashboard": ["/", *(f"/?year={y}" for y in years)],
        "lists": [
            record_url(Enterprise, "list"),
            record_url(Enterprise, "list") + "?page=3",
            record_url(Application, "list"),
            record_url(Application, "list") + "?sort=-year",
        ],
        "details": [record_url(Enterprise(pk=pk)) for pk, _ in picked]
        + [record_url(Application(pk=pk)) for pk in rng.sample(applications, min(200, len(applications)))],
        "searches": [record_url(Enterprise, "list", q=name[2:4]) for _, name in picked[:60]]
        + [record_url(Application, "list", q=word) for word in ("研发", "技术", "示范", "关键")],
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def gunicorn_cpu_seconds(pid: int) -> float:
    """CPU time used so far by gunicorn's master and workers (what the server cost, whatever else ran)."""
    import psutil

    master = psutil.Process(pid)
    processes = [master, *master.children(recursive=True)]
    return sum(p.cpu_times().user + p.cpu_times().system for p in processes if p.is_running())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own 127.0.0.1 server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep an existing benchmark database")
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.data:
        load_data(args.data, args.users)
        return 0

    prepare_database(DB, SCALES["demo"], reuse=args.reuse)
    env = bench_env(DB)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    data = work / "data.json"
    subprocess.run(
        [PYTHON, __file__, "--data", str(data), "--users", str(args.users)], env=env, check=True, timeout=300
    )
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "bureau.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(args.workers), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(f"{host}/healthz")
        started_cpu = gunicorn_cpu_seconds(gunicorn.pid)  # start-up (imports) is not the load's
        subprocess.run(
            [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
            + ["-u", str(args.users), "-r", "10", "-t", f"{args.seconds}s", "--host", host]
            + ["--csv", str(work / "load"), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT,
            env={**env, "BENCH_LOAD_DATA": str(data)},
            check=False,
            timeout=args.seconds + 120,
        )
        server_cpu = gunicorn_cpu_seconds(gunicorn.pid) - started_cpu
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    with open(work / "load_stats.csv", encoding="utf-8") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    print(
        f"\n负载测试：gunicorn {args.workers} workers + PostgreSQL + Redis，{args.users} 个用户 {args.seconds} 秒（演示规模）"
    )
    print(f"{'页面':<8}{'请求数':>8}{'错误':>6}{'中位数':>10}{'p95':>10}{'每秒':>8}")
    for name in ("看板", "列表", "详情", "搜索", "Aggregated"):
        r = rows.get(name)
        if r is None:
            continue
        label = "合计" if name == "Aggregated" else name
        print(
            f"{label:<8}{r['Request Count']:>9}{r['Failure Count']:>7}{r['Median Response Time']:>8} ms"
            f"{r['95%']:>7} ms{float(r['Requests/s']):>9.1f}"
        )
    total = rows["Aggregated"]
    per_request = server_cpu * 1000 / max(1, int(total["Request Count"]))
    load = os.getloadavg()[0]
    print(
        f"服务器 CPU：每个请求 {per_request:.0f} ms（gunicorn 各进程合计）；结束时系统负载 {load:.1f}（{os.cpu_count()} 核）"
    )
    ok = int(total["Failure Count"]) == 0 and float(total["95%"]) <= 300
    print("达标" if ok else "未达标（目标 p95 ≤ 300 ms 且无错误）")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
