"""The mixed workload of `scripts/load`: staff of one organisation using Tirek through its web pages.

Run by `scripts/load`, which starts gunicorn on the benchmark database, prepares the plan (accounts with a
known password, persons to search for, cases, free times in the specialists' days for logging sessions) and
passes its path in TIREK_LOAD_PLAN; each simulated user runs TIREK_LOAD_TASKS_PER_SECOND requests a second
(locust's constant_throughput), one request a task.

Who does what, as a share of all requests (specialists 60 % of the users, coordinators 30 %, managers 10 %):
the specialist's day page 21 %, logging a session through the day page's form 9 %, a case page 25.5 %, the
case list 12 %, person search 25.5 % (by IIN 10.5 %, a surname in Kazakh Cyrillic 8.4 %, the same surname in
passport Latin 6.6 %), the organisation's dashboard 7 %.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant_throughput, events, task

PLAN = json.loads(Path(os.environ.get("TIREK_LOAD_PLAN", "var/load/plan.json")).read_text(encoding="utf-8"))
RATE = float(os.environ.get("TIREK_LOAD_TASKS_PER_SECOND", "2"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

# Each simulated user signs in as the next account of its role; several may share one account (tabs).
ACCOUNTS = {
    role: itertools.cycle(PLAN["accounts"][role]) for role in ("specialist", "coordinator", "manager")
}
# Free times of each specialist's past days: a session logged there never clashes with another.
SLOTS = {
    account["username"]: collections.deque(account["slots"]) for account in PLAN["accounts"]["specialist"]
}
RECENT_DAYS = PLAN["recent_days"]
# The sign-ins (a deliberately slow password hash each) and the first pages are not what is measured: the
# statistics start afresh TIREK_LOAD_WARMUP_SECONDS after every user has signed in, the run stops
# TIREK_LOAD_MEASURE_SECONDS later, and the moment the measuring began is written to TIREK_LOAD_STARTED_FILE.
WARMUP = float(os.environ.get("TIREK_LOAD_WARMUP_SECONDS", "0"))
MEASURE = float(os.environ.get("TIREK_LOAD_MEASURE_SECONDS", "0"))
STARTED_FILE = os.environ.get("TIREK_LOAD_STARTED_FILE", "")
SIGNED_IN = [0]


@events.test_start.add_listener
def measure_after_sign_ins(environment, **_kwargs) -> None:
    if not MEASURE:
        return

    def measure() -> None:
        while SIGNED_IN[0] < (environment.runner.target_user_count or 1):
            gevent.sleep(0.5)
        gevent.sleep(WARMUP)
        environment.runner.stats.reset_all()
        if STARTED_FILE:
            Path(STARTED_FILE).write_text(str(SIGNED_IN[0]), encoding="utf-8")
        gevent.sleep(MEASURE)
        environment.runner.quit()

    gevent.spawn(measure)


class Staff(FastHttpUser):
    abstract = True
    role = ""
    wait_time = constant_throughput(RATE)

    def on_start(self) -> None:
        self.account = next(ACCOUNTS[self.role])
        self.csrf = ""
        with self.client.get("/accounts/login/", name="sign-in form", catch_response=True) as response:
            found = TOKEN.search(response.text or "")
            if response.status_code != 200 or not found:
                response.failure(f"sign-in form: {response.status_code}")
                return
        body = urlencode(
            {
                "csrfmiddlewaretoken": found.group(1),
                "username": self.account["username"],
                "password": PLAN["password"],
            }
        )
        with self.client.post(
            "/accounts/login/",
            data=body,
            headers=FORM,
            name="sign-in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused: {response.status_code}")
        SIGNED_IN[0] += 1

    def page(self, url: str, name: str) -> str:
        """GET a page; anything but 200 (a redirect to the sign-in page included) is an error."""
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}".strip())
                return ""
            return response.text or ""

    def search(self, kind: str) -> None:
        query = random.choice(PLAN["search"][kind])  # noqa: S311 (a load test's choice)
        self.page("/people/?" + urlencode({"q": query}), f"person search: {kind}")

    def case_page(self) -> None:
        self.page(f"/cases/{random.choice(PLAN['cases'])}/", "case page")  # noqa: S311

    def case_list(self) -> None:
        self.page("/cases/", "case list")


class Specialist(Staff):
    weight = 6
    role = "specialist"

    def on_start(self) -> None:
        super().on_start()
        self.csrf = (TOKEN.search(self.page("/visits/day/", "day page")) or [None, ""])[1]

    @task(35)
    def day(self) -> None:
        if random.random() < 0.7:  # noqa: S311
            self.page("/visits/day/", "day page")
        else:
            self.page("/visits/day/?date=" + random.choice(RECENT_DAYS), "day page")  # noqa: S311

    @task(15)
    def log_session(self) -> None:
        """The day page's "log a session" form at a free time of a past day: attended, 302 to the day."""
        slots = SLOTS[self.account["username"]]
        if not slots or not self.csrf:
            self.day()
            return
        day, time = slots.popleft()
        body = urlencode(
            {
                "csrfmiddlewaretoken": self.csrf,
                "quick-case": random.choice(PLAN["log_cases"]),  # noqa: S311
                "quick-time": time,
                "quick-minutes": self.account["minutes"],
                "quick-service": self.account["service"],
                "quick-mode": self.account["mode"],
                "quick-participants": ["child", "mother"],
                "quick-status": "attended",
                "quick-cancellation_reason": "",
                "quick-note": PLAN["note"],
            },
            doseq=True,
        )
        with self.client.post(
            f"/visits/day/?date={day}",
            data=body,
            headers=FORM,
            name="log a session (day page form)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)', response.text or "")
                response.failure(f"{response.status_code} {' '.join(errors)[:200]}".strip())

    @task(25)
    def case(self) -> None:
        self.case_page()

    @task(10)
    def by_iin(self) -> None:
        self.search("IIN")

    @task(8)
    def by_cyrillic(self) -> None:
        self.search("surname, Kazakh Cyrillic")

    @task(7)
    def by_latin(self) -> None:
        self.search("surname, passport Latin")


class Coordinator(Staff):
    weight = 3
    role = "coordinator"

    @task(30)
    def cases(self) -> None:
        self.case_list()

    @task(35)
    def case(self) -> None:
        self.case_page()

    @task(15)
    def by_iin(self) -> None:
        self.search("IIN")

    @task(12)
    def by_cyrillic(self) -> None:
        self.search("surname, Kazakh Cyrillic")

    @task(8)
    def by_latin(self) -> None:
        self.search("surname, passport Latin")


class Manager(Staff):
    weight = 1
    role = "manager"

    @task(70)
    def dashboard(self) -> None:
        self.page("/reports/dashboard/", "organisation dashboard")

    @task(30)
    def cases(self) -> None:
        self.case_list()
