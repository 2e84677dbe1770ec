"""The load mix of `needmatch benchmark-load`, run by Locust in its own process.

An advocate publishes a new need now and then; advocates read suggestions and responders search
more often. Keys and the need to read come from the environment the benchmark sets.
"""

from __future__ import annotations

import itertools
import os

from locust import HttpUser, between, task

from api.benchmarks.server import NARRATIVE, case_body
from api.benchmarks.service import follow_up

_VARIANTS = itertools.count()
SEARCHES = ("unpaid wages restaurant", "T visa Houston", "custody of her children Spanish",
            "vacate prostitution convictions", "passport taken by employer")


class NetworkUser(HttpUser):
    """One advocate or responder of the network, acting every 0.1-0.5 s."""

    wait_time = between(0.1, 0.5)

    def on_start(self) -> None:
        self.poster = {"Authorization": f"Bearer {os.environ['NEEDMATCH_BENCH_POSTER_KEY']}"}
        self.responder = {"Authorization": f"Bearer {os.environ['NEEDMATCH_BENCH_RESPONDER_KEY']}"}
        self.need = os.environ["NEEDMATCH_BENCH_NEED_ID"]

    @task(1)
    def publish(self) -> None:
        # A new text each time, as in use (a repeated text would find its encoding kept).
        text = NARRATIVE + "\n" + follow_up(next(_VARIANTS))
        self.client.post("/v1/cases", json=case_body(text), headers=self.poster, name="publish")

    @task(2)
    def suggestions(self) -> None:
        self.client.get(f"/v1/needs/{self.need}/suggestions?k=5", headers=self.poster,
                        name="suggestions")

    @task(2)
    def search(self) -> None:
        query = SEARCHES[next(_VARIANTS) % len(SEARCHES)]
        self.client.get("/v1/needs/search", params={"q": query}, headers=self.responder,
                        name="search")
