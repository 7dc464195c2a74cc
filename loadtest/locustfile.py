"""The load test: HR officers browsing and logging violations, department heads
approving, against a running site with the load data (scripts/loadtest.sh runs it
headless against gunicorn on 127.0.0.1).

    locust -f loadtest/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000

Environment: LOAD_PASSWORD (default: the demo's), LOAD_FIXTURE (a JSON file with the
ids to use: employees, the rule to log, departments, rulebooks, and sessions of users
already signed in; written by scripts/loadtest.sh from the database), LOAD_LOGIN=1 to
log in through the form instead of taking one of those sessions.
"""

from __future__ import annotations

import json
import os
import random
import re
from datetime import datetime, timedelta
from http.cookiejar import Cookie, CookieJar
from urllib.parse import urlsplit

from locust import FastHttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "jiangcheng-demo")
LOGIN = os.environ.get("LOAD_LOGIN", "") not in {"", "0"}
with open(os.environ["LOAD_FIXTURE"], encoding="utf-8") as _handle:
    FIXTURE = json.load(_handle)
SESSIONS: dict[str, list[str]] = {
    username: list(keys) for username, keys in FIXTURE.get("sessions", {}).items()
}
IDS = re.compile(r'name="ids" value="(\d+)"')
VIOLATION_LINKS = re.compile(r'href="/conduct/violations/(\d+)/"')
# A form's error messages in the page it answers with (crispy's invalid-feedback, Django's
# errorlist, the alerts of non-field errors).
FORM_ERRORS = re.compile(
    r'<(?:div|span|ul|p|strong)[^>]*class="[^"]*(?:invalid-feedback|errorlist|alert-danger)[^"]*"[^>]*>(.*?)</(?:div|span|ul|p|strong)>',
    re.S,
)
TAGS = re.compile(r"<[^>]+>")


def cookie_value(jar: CookieJar, name: str) -> str:
    return next((cookie.value for cookie in jar if cookie.name == name), "") or ""


def cookie_set(jar: CookieJar, name: str, value: str, host: str) -> None:
    jar.set_cookie(
        Cookie(0, name, value, None, False, host, False, False, "/", True, False, None, False,
               None, None, {})
    )  # fmt: skip


def form_errors(html: str) -> str:
    """The error texts of a form page, tags stripped, for a failure message."""
    texts = []
    for fragment in FORM_ERRORS.findall(html or ""):
        text = " ".join(TAGS.sub(" ", fragment).split())
        if text and text not in texts:
            texts.append(text)
    return "; ".join(texts)[:300] or "no error text found"


class SiteUser(FastHttpUser):
    """geventhttpclient rather than requests: the load generator shares the two cores with
    the server under test, and FastHttpUser costs it several times less CPU a request."""

    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        sessions = SESSIONS.get(self.username)
        if sessions and not LOGIN:
            # Already signed in: take a session of our own; the first page sets csrftoken.
            host = urlsplit(self.host).hostname or "127.0.0.1"
            cookie_set(self.client.cookiejar, "sessionid", sessions.pop(), host)
            return
        self.client.get("/accounts/login/", name="login page")
        token = self.csrf()
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login as {self.username} gave {response.status_code}")

    def csrf(self) -> str:
        return cookie_value(self.client.cookiejar, "csrftoken")

    def post_form(self, url: str, data: dict, name: str) -> None:
        """A form POST that must answer with a redirect (the success path)."""
        with self.client.post(
            url,
            data={**data, "csrfmiddlewaretoken": self.csrf()},
            allow_redirects=False,
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                detail = form_errors(response.text) if response.status_code == 200 else ""
                response.failure(
                    f"{name}: HTTP {response.status_code}" + (f": {detail}" if detail else "")
                )


class HrOfficer(SiteUser):
    """Browses the violation list (filters, pages, sorts), opens records, logs violations."""

    weight = 4
    username = "load-hr"

    @task(6)
    def violation_list(self) -> None:
        query = random.choice(
            [
                "",
                f"?page={random.randint(2, 400)}",
                f"?department={random.choice(FIXTURE['departments'])}",
                f"?rulebook={random.choice(FIXTURE['rulebooks'])}",
                "?status=voided",
                "?source=complaint",
                "?sort=employee",
                f"?q=L{random.randint(1, 9999):06d}",
            ]
        )
        response = self.client.get(f"/conduct/violations/{query}", name="violation list")
        found = VIOLATION_LINKS.findall(response.text or "")
        if found and random.random() < 0.3:
            self.client.get(f"/conduct/violations/{random.choice(found)}/", name="violation")

    @task(2)
    def log_violation(self) -> None:
        self.client.get("/conduct/violations/new/", name="violation form")
        rule = FIXTURE["rule"]
        moment = datetime.now() - timedelta(minutes=random.randint(5, 600))  # noqa: DTZ005 - the form takes local time
        self.post_form(
            "/conduct/violations/new/",
            {
                "employee": random.choice(FIXTURE["employees"]),
                "rulebook": rule["rulebook"],
                "category": rule["category"],
                "rule": rule["rule"],
                "occurred_at": moment.strftime("%Y-%m-%dT%H:%M"),
                "place": "营业大厅",
                "source": "inspection",
                "description": "压测:现场检查",
                "quantity": "1",
            },
            "log violation",
        )

    @task(1)
    def conduct_file(self) -> None:
        employee = random.choice(FIXTURE["employees"])
        self.client.get(f"/reports/employees/{employee}/file/", name="conduct file")

    @task(1)
    def rulebooks(self) -> None:
        self.client.get("/conduct/rulebooks/", name="rulebook catalogue")


class DepartmentHead(SiteUser):
    """Works through the approval inbox: pages, opens penalties, approves one at a time."""

    weight = 1
    username = "load-head"

    @task(3)
    def inbox(self) -> None:
        page = random.choice(["", "?page=2", f"?page={random.randint(3, 100)}"])
        self.client.get(f"/penalties/inbox/{page}", name="inbox")

    @task(2)
    def approve(self) -> None:
        response = self.client.get("/penalties/inbox/", name="inbox")
        ids = IDS.findall(response.text or "")
        if not ids:
            return
        pk = random.choice(ids)
        self.client.get(f"/penalties/{pk}/decision/", name="penalty")
        self.post_form(
            "/penalties/inbox/decide/",
            {"ids": pk, "action": "approve", "confirm": "1", "comment": ""},
            "approve",
        )
