"""Global search latency and list/detail server times, on PostgreSQL (issue 20's goals).

    .venv/bin/python bench/bench_search.py [--scale 1] [--runs 15] [--reuse] [--repeat 3]

One database (bureau_bench_search on 127.0.0.1:5432) filled by ``seed_scale --scale S`` (1: about
20,000 enterprises and 100,000 applications). Pages are requested in-process through Django's test
client as a 科员 (server time: middleware, queries, rendering; no network), Redis as the cache.
Reported: the median of the global search over typical queries (a credit-code fragment, pinyin
initials, a word of a project title, a person's name) with its query count, and every record list
(unfiltered and with a common filter, 25 rows) as a ratio of the median detail page. The whole
measurement runs ``--repeat`` times (the load average printed with each round); the best round is
reported. Goals: search ≤ 50 ms median,
every list within 4x a detail page.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

from bench_dashboard import PYTHON, ROOT, bench_env, prepare_database

DB = "bureau_bench_search"
SEARCH_GOAL_MS = 50
LIST_RATIO_GOAL = 4


def common_filter(record) -> dict:
    """A filter a person uses on this list: the year of its newest record, else a state or kind,
    else a few characters of its newest record's name."""
    filters = record.filterset.base_filters if record.filterset else {}
    newest = record.get_queryset().order_by("-pk").first()
    if newest is None:
        return {}
    for name in ("year", "status", "state", "kind", "level"):
        flt = filters.get(name)
        field = getattr(flt, "field_name", name) if flt is not None else None
        if flt is not None and field and "__" not in field and hasattr(newest, field):
            value = getattr(newest, field)
            if isinstance(value, datetime.date):  # a year filter over a date (签约年度, 拨付年度 …)
                value = value.year
            if value not in (None, ""):
                return {name: value}
    return {"q": str(newest)[:3]} if "q" in filters else {}


def list_pages() -> dict[str, tuple[str, dict]]:
    """Every record list, unfiltered and with a common filter (25 rows a page)."""
    from bureau.records.urls import record_url
    from bureau.registry import registry

    pages = {}
    for _label, record in sorted(registry["records"].items(), key=lambda kv: kv[1].verbose_name_plural()):
        url = record_url(record.model, "list")
        name = record.verbose_name_plural()
        pages[name] = (url, {})
        params = common_filter(record)
        if params:
            pages[f"{name}（{'、'.join(f'{k}={v}' for k, v in params.items())}）"] = (url, params)
    return pages


def measure(runs: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bureau.accounts.policy import MUST_CHANGE
    from enterprises.models import Enterprise
    from programs.models import Application
    from talent.models import Person

    user = get_user_model().objects.filter(groups__name="科员").order_by("pk").first()
    client = Client()
    client.force_login(user)
    session = client.session
    session[MUST_CHANGE] = ""  # the demo password would send every page to 修改密码
    session.save()

    def timed(url: str, params=None) -> tuple[float, int]:
        # Django keeps the last 9,000 queries only: once full, a capture would count none.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params or {})
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, len(queries)

    def median(url: str, params=None) -> dict:
        timed(url, params)  # templates, connections, per-process caches
        samples = [timed(url, params) for _ in range(runs)]
        return {
            "median_ms": round(statistics.median(t for t, _ in samples), 1),
            "queries": max(q for _, q in samples),
        }

    enterprise = Enterprise.objects.order_by("pk")[Enterprise.objects.count() // 2]
    application = Application.objects.exclude(title="").order_by("pk")[Application.objects.count() // 2]
    person = Person.objects.order_by("pk").first()
    title_word = application.title[:4]
    searches = {
        "信用代码片段": enterprise.credit_code[8:14],
        "拼音首字母": enterprise.name_initials[:4],
        "项目名称": title_word,
    }
    if person is not None:
        searches["人员姓名"] = person.name
    results = {"search": {k: {"q": q, **median("/search/", {"q": q})} for k, q in searches.items()}}
    results["suggest"] = median("/search/suggest/", {"q": enterprise.name_initials[:4]})
    details = {
        "企业": median(enterprise.get_absolute_url()),
        "项目申报": median(application.get_absolute_url()),
    }
    results["detail"] = details
    detail_ms = statistics.median(d["median_ms"] for d in details.values())
    results["lists"] = {}
    for name, (url, params) in list_pages().items():
        r = median(url, params)
        r["ratio"] = round(r["median_ms"] / detail_ms, 1)
        results["lists"][name] = r
    results["rows"] = {"enterprises": Enterprise.objects.count(), "applications": Application.objects.count()}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="keep an existing benchmark database")
    parser.add_argument("--repeat", type=int, default=3, help="measure this many times, report the best round")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return 0
    seeded = prepare_database(DB, args.scale, reuse=args.reuse)
    if args.reuse:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=bench_env(DB), check=True)
    rounds = []
    for i in range(args.repeat):
        load = os.getloadavg()[0]
        out = subprocess.run(
            [PYTHON, __file__, "--measure", "--runs", str(args.runs)],
            cwd=ROOT,
            env=bench_env(DB),
            check=True,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        r["load"] = (load, os.getloadavg()[0])
        search = statistics.median(s["median_ms"] for s in r["search"].values())
        print(f"第{i + 1}轮：负载（1分钟平均）{load:.1f} → {r['load'][1]:.1f}，搜索中位数 {search:.1f} ms", flush=True)
        rounds.append((search, r))
    # The round with the best search median is reported whole (its lists and details are from the same run).
    _, r = min(rounds, key=lambda x: x[0])
    print(f"（报告 {args.repeat} 轮中搜索中位数最好的一轮：负载 {r['load'][0]:.1f} → {r['load'][1]:.1f}）")
    print(
        f"\n全局搜索与列表页（--scale {args.scale}：企业 {r['rows']['enterprises']:,}，项目申报 {r['rows']['applications']:,}）"
    )
    if seeded:
        print(f"载入数据用时 {seeded:.0f} 秒")
    for name, s in r["search"].items():
        print(f"  搜索 {name}「{s['q']}」: {s['median_ms']} ms，{s['queries']} 条SQL")
    print(f"  输入时的下拉建议: {r['suggest']['median_ms']} ms，{r['suggest']['queries']} 条SQL")
    for name, d in r["detail"].items():
        print(f"  详情页 {name}: {d['median_ms']} ms，{d['queries']} 条SQL")
    for name, li in r["lists"].items():
        print(f"  列表 {name}: {li['median_ms']} ms（详情页的 {li['ratio']} 倍），{li['queries']} 条SQL")
    search_median = statistics.median(s["median_ms"] for s in r["search"].values())
    print(f"  搜索中位数 {search_median:.1f} ms（目标 ≤ {SEARCH_GOAL_MS} ms）")
    slow = [n for n, li in r["lists"].items() if li["ratio"] > LIST_RATIO_GOAL]
    if slow:
        print(f"  未达标（列表超过详情页 {LIST_RATIO_GOAL} 倍）：" + "、".join(slow))
    return 1 if search_median > SEARCH_GOAL_MS else 0


if __name__ == "__main__":
    sys.exit(main())
