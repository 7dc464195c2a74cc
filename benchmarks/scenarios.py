"""The scenarios of issue 11, each against the load data of ``generate_load_data``.

Pages go through Django's test client (the whole stack but the socket: middleware,
session, view, selectors, templates) logged in as the ``load-*`` users the generator
made. Batch scenarios call the services. Payroll and attendance run in a database of
their own (``benchmarks.isolated``), because both build their own data set and a month
close takes in everything approved up to that month.
"""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import timedelta

from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from .harness import Outcome, Target, measure

LIST_TABLE = "conduct_violation"


@dataclass
class Context:
    iterations: int
    quick: bool
    rng: random.Random
    out: object


def _client(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _check(response, label: str, expected=(200,)) -> None:
    if response.status_code not in expected:
        raise RuntimeError(f"{label}: HTTP {response.status_code}")


# --- pages -------------------------------------------------------------------------------


def violation_list_urls() -> list[tuple[str, str]]:
    """(label, url): no filter, deep and last pages, each filter alone, each sort, and a
    combination, as HR sees them."""
    from conduct.models import Category, Rulebook, Violation
    from staff.models import Department, Employee

    base = reverse("conduct:violation_list")
    count = Violation.objects.count()
    last_page = max(1, math.ceil(count / 25))
    division = Department.objects.filter(code="LOAD-2").first()
    team = Department.objects.filter(code="LOAD-3-02-1").first()
    rulebook = Rulebook.objects.order_by("code").first()
    hospital = Rulebook.objects.filter(code="hospital-service").first() or rulebook
    category = Category.objects.order_by("name").values_list("name", flat=True).first()
    person = Employee.objects.filter(employee_no="L000777").first() or Employee.objects.first()
    today = timezone.localdate()
    month_ago = today - timedelta(days=30)
    year_ago = today - timedelta(days=400)
    urls = [
        ("all", ""),
        ("page 2", "?page=2"),
        ("page 2000", "?page=2000"),
        ("last page", f"?page={last_page}"),
        ("search name", f"?q={person.name}"),
        ("search number", f"?q={person.employee_no}"),
        ("division", f"?department={division.pk}" if division else ""),
        ("team", f"?department={team.pk}" if team else ""),
        ("rulebook", f"?rulebook={rulebook.pk}"),
        ("rule", f"?rulebook={hospital.pk}&rule=12"),
        ("category", f"?category={category}"),
        ("voided", "?status=voided"),
        ("complaints", "?source=complaint"),
        ("last 30 days", f"?date_from={month_ago}&date_to={today}"),
        ("a month a year ago", f"?date_from={year_ago}&date_to={year_ago + timedelta(days=30)}"),
        ("sort employee", "?sort=employee"),
        ("sort rule", "?sort=rule"),
        ("sort occurrence", "?sort=-occurrence"),
        ("sort logged", "?sort=-logged"),
        (
            "division+active+90 days+page 3",
            f"?department={division.pk if division else ''}&status=active"
            f"&date_from={today - timedelta(days=90)}&page=3",
        ),
    ]
    return [(label, base + query) for label, query in urls]


def violation_list(ctx: Context) -> Outcome:
    outcome = Outcome("violation_list", Target(p95_ms=200, max_queries=12))
    client = _client("load-hr")
    urls = violation_list_urls()
    for _label, url in urls:  # warm up: caches, the session, the connection
        _check(client.get(url), url)
    for _round in range(max(1, ctx.iterations // 5)):
        for label, url in urls:
            response = measure(outcome, label, lambda url=url: client.get(url))
            _check(response, url)
    outcome.extra["variants"] = len(urls)
    return outcome


def seq_scan_check(ctx: Context) -> dict:
    """EXPLAIN of each list page's queries on the violations table: any sequential scan?"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .harness import seq_scans

    client = _client("load-hr")
    found: dict[str, list[str]] = {}
    for label, url in violation_list_urls():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        scans: list[str] = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if LIST_TABLE in sql and sql.lstrip().upper().startswith("SELECT"):
                scans.extend(seq_scans(sql, LIST_TABLE))
        if scans:
            found[label] = scans
    return found


def conduct_file(ctx: Context) -> Outcome:
    from conduct.models import Violation
    from scale.loaddata import HEAVY_RECORDS
    from staff.models import Employee

    outcome = Outcome("conduct_file_500", Target(p95_ms=300))
    from django.db.models import Count

    employee = (
        Employee.objects.filter(employee_no__startswith="L")
        .annotate(n=Count("violations"))
        .filter(n=HEAVY_RECORDS)
        .order_by("employee_no")
        .first()
    )
    if employee is None:
        outcome.error = f"no employee with {HEAVY_RECORDS} violations: generate the load data"
        return outcome
    outcome.extra["employee"] = employee.employee_no
    outcome.extra["records"] = Violation.objects.filter(employee=employee).count()
    client = _client("load-hr")
    url = reverse("reports:employee_file", args=[employee.pk])
    _check(client.get(url), url)
    for _ in range(ctx.iterations):
        _check(measure(outcome, "file", lambda: client.get(url)), url)
    return outcome


def _simple_rule():
    """A rule that needs no amount, level, leader or choice: a fixed fine."""
    from conduct.models import Rule, Rulebook
    from conduct.selectors.rulebooks import rulebook_version_in_force
    from penalties.engine import Subject
    from penalties.selectors.penalties import schedule_needs

    today = timezone.localdate()
    for rulebook in Rulebook.objects.order_by("code"):
        version = rulebook_version_in_force(rulebook=rulebook, on=today)
        if version is None:
            continue
        for rule in Rule.objects.filter(version=version, is_active=True).order_by("position"):
            schedule = rule.parsed_schedule
            needs = schedule_needs(schedule)
            if any(needs.values()):
                continue
            if any(t.subject is Subject.DEPARTMENT for t in schedule.triggers):
                continue
            if schedule.steps[0].charges:
                return rule
    raise RuntimeError("no rule without inputs in the rulebooks")


def log_violation(ctx: Context) -> Outcome:
    from staff.models import Employee

    outcome = Outcome("log_violation_post", Target(p95_ms=150))
    client = _client("load-hr")
    rule = _simple_rule()
    outcome.extra["rule"] = f"{rule.version.rulebook.code} {rule.number}"
    people = list(
        Employee.objects.filter(employee_no__startswith="L", status="active")
        .order_by("employee_no")
        .values_list("pk", flat=True)[:5000]
    )
    url = reverse("conduct:violation_create")
    now = timezone.localtime()

    def post(n: int):
        moment = now - timedelta(minutes=5 + n)
        data = {
            "employee": ctx.rng.choice(people),
            "rulebook": rule.version.rulebook_id,
            "category": rule.category_id,
            "rule": rule.pk,
            "occurred_at": moment.strftime("%Y-%m-%dT%H:%M"),
            "place": "营业大厅",
            "source": "inspection",
            "description": "压测:现场检查发现",
            "quantity": "1",
        }
        return client.post(url, data)

    _check(post(0), url, expected=(302,))
    for n in range(1, ctx.iterations * 2 + 1):
        response = measure(outcome, "post", lambda n=n: post(n))
        _check(response, url, expected=(302,))
    return outcome


def approval_inbox(ctx: Context) -> Outcome:
    from django.contrib.auth import get_user_model

    from penalties.selectors.approvals import approval_inbox_count

    outcome = Outcome("approval_inbox_5000", Target(p95_ms=200))
    user = get_user_model().objects.get(username="load-head")
    outcome.extra["waiting"] = approval_inbox_count(user) or 0
    client = _client("load-head")
    url = reverse("penalties:approval_inbox")
    _check(client.get(url), url)
    for page in (1, 2, 50):
        _check(client.get(f"{url}?page={page}"), url)
    for n in range(ctx.iterations):
        page_url = url if n % 2 == 0 else f"{url}?page={1 + n}"
        _check(measure(outcome, "inbox", lambda u=page_url: client.get(u)), page_url)
    return outcome


def notice_pdf(ctx: Context) -> Outcome:
    from penalties.models import Notice

    outcome = Outcome("notice_pdf", Target(p95_ms=300))
    notices = list(
        Notice.objects.filter(is_current=True, penalty__status="approved")
        .order_by("-pk")
        .values_list("pk", flat=True)[:50]
    )
    client = _client("load-hr")
    # A notice rendered once is kept (penalties.pdf_support): measure first renders, not
    # the PDFs an earlier run left in MEDIA_ROOT.
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        _check(client.get(reverse("penalties:notice_pdf", args=[notices[0]])), "pdf")
        for n in range(ctx.iterations):
            url = reverse("penalties:notice_pdf", args=[notices[n % len(notices)]])
            _check(measure(outcome, "pdf", lambda u=url: client.get(u)), url)
    return outcome


def notices_batch(ctx: Context) -> Outcome:
    """1,000 notices as one PDF the way the background job makes it (rendered 100 at a
    time by ``penalty_notices_pdf``, then joined), in a process of its own so that its
    peak memory is its own."""
    count = 100 if ctx.quick else 1000
    target = Target(total_s=180 if count == 1000 else 18)
    return _isolated("notices", target, ctx, "--keep-database", name=f"notices_batch_{count}")


def rulebook_catalogue(ctx: Context) -> Outcome:
    outcome = Outcome("rulebook_catalogue", Target(p95_ms=100))
    client = _client("load-hr")
    url = reverse("conduct:rulebook_list")
    _check(client.get(url), url)
    for _ in range(ctx.iterations * 2):
        _check(measure(outcome, "catalogue", lambda: client.get(url)), url)
    return outcome


# --- isolated ----------------------------------------------------------------------------


def _isolated(kind: str, target: Target, ctx: Context, *args: str, name: str = "") -> Outcome:
    """Run ``benchmarks.isolated <kind>`` in a process of its own (by default in a fresh
    database made from the template)."""
    outcome = Outcome(name or kind, target)
    command = [sys.executable, "-m", "benchmarks.isolated", kind, *args]
    if ctx.quick:
        command.append("--quick")
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        command, capture_output=True, text=True, env=os.environ.copy(), check=False
    )
    for line in result.stdout.splitlines():
        if not line.startswith("RESULT "):
            print(f"    {line}", file=ctx.out)
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    if result.returncode != 0 or not lines:
        tail = (result.stderr or result.stdout).strip().splitlines()
        outcome.error = tail[-1] if tail else f"exit {result.returncode}"
        return outcome
    data = json.loads(lines[-1][len("RESULT ") :])
    outcome.total_s = data["seconds"]
    outcome.peak_mb = data.get("peak_mb")
    outcome.extra = data.get("extra", {})
    if data.get("slowest_sql"):
        outcome.slowest_sql = (data["slowest_sql"], data.get("slowest_ms", 0.0))
    outcome.plan = data.get("plan", "")
    return outcome


def payroll(ctx: Context) -> Outcome:
    return _isolated("payroll", Target(total_s=20, peak_mb=500), ctx)


def attendance(ctx: Context) -> Outcome:
    return _isolated("attendance", Target(total_s=60), ctx)


SCENARIOS = {
    "violation_list": violation_list,
    "conduct_file": conduct_file,
    "log_violation": log_violation,
    "approval_inbox": approval_inbox,
    "payroll": payroll,
    "notice_pdf": notice_pdf,
    "notices_batch": notices_batch,
    "rulebook_catalogue": rulebook_catalogue,
    "attendance": attendance,
}
