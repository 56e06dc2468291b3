"""The load of bench/bench_load.py: signed-in users reading the dashboard, lists, records and searches.

The pages come from BENCH_LOAD_DATA (a JSON file written by bench_load.py): session cookies of
demo users signed in beforehand, and URLs of lists, records and searches of the demo county.
"""

import itertools
import json
import os
import random

from locust import FastHttpUser, between, task

DATA = json.loads(open(os.environ["BENCH_LOAD_DATA"], encoding="utf-8").read())  # noqa: SIM115
SESSIONS = itertools.cycle(DATA["sessions"])


class PortalUser(FastHttpUser):
    """A person reading pages: 1–3 s between clicks (geventhttpclient, light on the shared CPU)."""

    wait_time = between(1.0, 3.0)

    def on_start(self):
        self.headers = {"Cookie": f"sessionid={next(SESSIONS)}", "Accept-Language": "zh-CN"}

    def page(self, url: str, name: str) -> None:
        with self.client.get(
            url, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(3)
    def dashboard(self):
        self.page(random.choice(DATA["dashboard"]), "看板")

    @task(3)
    def listing(self):
        self.page(random.choice(DATA["lists"]), "列表")

    @task(3)
    def detail(self):
        self.page(random.choice(DATA["details"]), "详情")

    @task(2)
    def search(self):
        self.page(random.choice(DATA["searches"]), "搜索")
