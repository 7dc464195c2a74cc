"""Every URL pattern, every role and anonymous: the expected outcome of a GET, written
out by hand below (EXPECTED), never derived from the code under test.

Data: the demo company (``seed_demo``): its logins hr, head (heads 客服大厅 CS-HALL),
deputy, gm, payroll, employee (E0015) and auditor. Object parameters come in variants:
``mine``  — a record of the employee login (E0015) when the URL is about a person's record;
``dept``  — a record of someone else in the head's department subtree;
``other`` — a record of a department outside the head's subtree.
Outcomes: 200, "login" (302 to the login page), 302 (another redirect), 403, 404, 405.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

ROLES = ["anon", "employee", "head", "payroll", "hr", "deputy", "gm", "auditor"]


def _walk(resolver, namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = ":".join(x for x in [namespace, pattern.namespace] if x) or None
            yield from _walk(pattern, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def url_names():
    return sorted({name for name, _pattern in _walk(get_resolver())})


def _outcome(response) -> str:
    if response.status_code in (301, 302):
        return "login" if response.url.startswith(reverse("login")) else "302"
    return str(response.status_code)


# (url name, variant) -> outcome per role, in the order of ROLES:
#                         anon employee head payroll hr deputy gm auditor
# Reviewed row by row: anonymous users always go to the login page; the employee reaches
# only their own records (mine) and gets 404 for anyone else's; the head reaches their
# department subtree (dept) and gets 404 for the employee of another department (mine)
# and other departments (other); the payroll clerk reads the money side company-wide
# (penalties, notices, awards, leave, payroll) but no violation, evidence or conduct
# file; HR, the general managers and the auditor read company-wide; POST-only actions
# answer 405 to a GET from those allowed and 403 to the others.
EXPECTED = {
    # Jobs: everyone signed in has a job list of their own; a job is its owner's (HR here)
    # and a 404 for anyone else; a queued job has no result to download yet (404 for HR
    # too); starting and retrying are POST-only.
    ("jobs:job_list", "-"): "login 200 200 200 200 200 200 200",
    ("jobs:job_create", "-"): "login 405 405 405 405 405 405 405",
    ("jobs:job_detail", "hr"): "login 404 404 404 200 404 404 404",
    ("jobs:job_progress", "hr"): "login 404 404 404 200 404 404 404",
    ("jobs:job_download", "hr"): "login 404 404 404 404 404 404 404",
    ("jobs:job_retry", "hr"): "login 405 405 405 405 405 405 405",
    ("attendance:import_detail", "any"): "login 403 403 403 200 403 403 403",
    ("attendance:import_list", "-"): "login 403 403 403 200 403 403 403",
    ("attendance:leave_create", "-"): "login 200 200 200 200 200 200 404",
    ("attendance:leave_decide", "dept"): "login 405 405 405 405 405 405 405",
    ("attendance:leave_decide", "mine"): "login 405 405 405 405 405 405 405",
    ("attendance:leave_decide", "other"): "login 405 405 405 405 405 405 405",
    ("attendance:leave_detail", "dept"): "login 404 404 200 200 200 200 200",
    ("attendance:leave_detail", "mine"): "login 200 404 200 200 200 200 200",
    ("attendance:leave_detail", "other"): "login 404 404 200 200 200 200 200",
    ("attendance:leave_list", "-"): "login 200 200 200 200 200 200 200",
    ("attendance:month_process", "-"): "login 403 403 403 405 403 403 403",
    ("attendance:month_sheet", "-"): "login 200 200 200 200 200 200 200",
    ("attendance:month_sheet_export", "-"): "login 200 200 200 200 200 200 200",
    ("attendance:setup", "-"): "login 403 403 403 200 200 200 200",
    ("conduct:evidence_download", "dept"): "login 404 200 404 200 200 200 200",
    ("conduct:evidence_download", "other"): "login 404 404 404 200 200 200 200",
    ("conduct:rule_create", "any"): "login 403 403 403 200 403 403 403",
    ("conduct:rule_detail", "any"): "login 200 200 200 200 200 200 200",
    ("conduct:rule_search", "-"): "login 200 200 200 200 200 200 200",
    ("conduct:rule_update", "any"): "login 403 403 403 200 403 403 403",
    ("conduct:rulebook_detail", "any"): "login 200 200 200 200 200 200 200",
    ("conduct:rulebook_import", "-"): "login 403 403 403 200 403 403 403",
    ("conduct:rulebook_list", "-"): "login 200 200 200 200 200 200 200",
    ("conduct:version_create_next", "any"): "login 403 403 403 200 403 403 403",
    ("conduct:version_detail", "any"): "login 200 200 200 200 200 200 200",
    ("conduct:version_export", "any"): "login 403 403 403 200 200 200 200",
    ("conduct:version_list", "any"): "login 200 200 200 200 200 200 200",
    ("conduct:version_print", "any"): "login 200 200 200 200 200 200 200",
    ("conduct:version_update", "any"): "login 403 403 403 200 403 403 403",
    ("conduct:violation_create", "-"): "login 403 403 403 200 403 403 403",
    ("conduct:violation_detail", "dept"): "login 404 200 404 200 200 200 200",
    ("conduct:violation_detail", "mine"): "login 200 404 404 200 200 200 200",
    ("conduct:violation_detail", "other"): "login 404 404 404 200 200 200 200",
    ("conduct:violation_employee_search", "-"): "login 403 403 403 200 403 403 403",
    ("conduct:violation_list", "-"): "login 403 200 403 200 200 200 200",
    ("conduct:violation_preview", "-"): "login 403 403 403 405 403 403 403",
    ("conduct:violation_rule_section", "-"): "login 403 403 403 200 403 403 403",
    ("conduct:violation_void", "dept"): "login 403 403 403 405 403 403 403",
    ("conduct:violation_void", "mine"): "login 403 403 403 405 403 403 403",
    ("conduct:violation_void", "other"): "login 403 403 403 405 403 403 403",
    ("home", "-"): "login 200 200 200 200 200 200 200",
    ("login", "-"): "200 200 200 200 200 200 200 200",
    ("logout", "-"): "405 405 405 405 405 405 405 405",
    ("password_change", "-"): "login 200 200 200 200 200 200 200",
    ("password_change_done", "-"): "login 200 200 200 200 200 200 200",
    ("payroll:period_close", "any"): "login 403 403 200 403 403 403 403",
    ("payroll:period_detail", "any"): "login 403 403 200 200 403 200 200",
    ("payroll:period_export_csv", "any"): "login 403 403 302 403 403 403 403",
    ("payroll:period_export_xlsx", "any"): "login 403 403 302 403 403 403 403",
    ("payroll:period_list", "-"): "login 403 403 200 200 403 200 200",
    ("payroll:period_reopen", "any"): "login 403 403 403 403 403 200 403",
    ("penalties:appeal_create", "dept"): "login 404 404 404 404 404 404 404",
    ("penalties:appeal_create", "mine"): "login 200 404 404 404 404 404 404",
    ("penalties:appeal_create", "other"): "login 404 404 404 404 404 404 404",
    ("penalties:appeal_list", "-"): "login 403 200 403 200 200 200 200",
    ("penalties:appeal_review", "dept"): "login 404 200 404 200 200 200 200",
    ("penalties:appeal_review", "mine"): "login 200 404 404 200 200 200 200",
    ("penalties:approval_bulk", "-"): "login 403 405 403 403 405 405 403",
    ("penalties:approval_inbox", "-"): "login 403 200 403 403 200 200 403",
    ("penalties:my_record", "-"): "login 200 200 200 200 200 200 200",
    ("penalties:notice_acknowledge", "dept"): "login 405 405 405 405 405 405 405",
    ("penalties:notice_acknowledge", "mine"): "login 405 405 405 405 405 405 405",
    ("penalties:notice_acknowledge", "other"): "login 405 405 405 405 405 405 405",
    ("penalties:notice_list", "-"): "login 403 403 403 200 403 403 403",
    ("penalties:notice_pdf", "dept"): "login 404 200 200 200 200 200 200",
    ("penalties:notice_pdf", "mine"): "login 200 404 200 200 200 200 200",
    ("penalties:notice_pdf", "other"): "login 404 404 200 200 200 200 200",
    ("penalties:notice_print_month", "-"): "login 403 403 403 200 403 403 403",
    ("penalties:penalty_decision", "dept"): "login 403 200 200 200 200 200 200",
    ("penalties:penalty_decision", "mine"): "login 403 404 200 200 200 200 200",
    ("penalties:penalty_decision", "other"): "login 403 404 200 200 200 200 200",
    ("penalties:penalty_list", "-"): "login 403 200 200 200 200 200 200",
    ("penalties:penalty_void", "dept"): "login 403 403 403 405 403 403 403",
    ("penalties:penalty_void", "mine"): "login 403 403 403 405 403 403 403",
    ("penalties:penalty_void", "other"): "login 403 403 403 405 403 403 403",
    ("reports:charts", "-"): "login 403 200 403 200 200 200 200",
    ("reports:employee_file", "dept"): "login 404 404 404 200 404 404 200",
    ("reports:employee_file", "mine"): "login 200 404 404 200 404 404 200",
    ("reports:employee_file", "other"): "login 404 404 404 200 404 200 200",
    ("reports:index", "-"): "login 403 200 403 200 200 200 200",
    ("reports:list_export", "appeals"): "login 403 200 403 200 200 200 200",
    ("reports:list_export", "attendance"): "login 200 200 200 200 200 200 200",
    ("reports:list_export", "employees"): "login 403 200 200 200 200 200 200",
    ("reports:list_export", "penalties"): "login 403 200 200 200 200 200 200",
    ("reports:list_export", "rewards"): "login 403 200 200 200 200 200 200",
    ("reports:list_export", "violations"): "login 403 200 403 200 200 200 200",
    ("reports:month_summary", "-"): "login 403 200 403 200 200 200 200",
    ("reports:month_summary_export", "-"): "login 403 200 403 200 200 200 200",
    ("reports:my_file", "-"): "login 302 302 302 302 302 302 302",
    ("reports:year_to_date", "-"): "login 403 200 403 200 200 200 200",
    ("reports:year_to_date_export", "-"): "login 403 200 403 200 200 200 200",
    ("rewards:award_approve", "dept"): "login 403 405 403 403 405 405 403",
    ("rewards:award_approve", "other"): "login 403 405 403 403 405 405 403",
    ("rewards:award_create", "-"): "login 403 403 403 200 403 403 403",
    ("rewards:award_detail", "dept"): "login 404 404 200 200 200 200 200",
    ("rewards:award_detail", "other"): "login 404 404 200 200 200 200 200",
    ("rewards:award_inbox", "-"): "login 403 200 403 403 200 200 403",
    ("rewards:award_list", "-"): "login 403 200 200 200 200 200 200",
    ("rewards:award_notice", "dept"): "login 404 404 200 200 200 200 200",
    ("rewards:award_notice", "other"): "login 404 404 200 200 200 200 200",
    ("rewards:award_preview", "-"): "login 403 403 403 405 403 403 403",
    ("rewards:award_reject", "dept"): "login 403 405 403 403 405 405 403",
    ("rewards:award_reject", "other"): "login 403 405 403 403 405 405 403",
    ("rewards:award_type_section", "-"): "login 403 403 403 200 403 403 403",
    ("rewards:award_void", "dept"): "login 403 403 403 405 403 403 403",
    ("rewards:award_void", "other"): "login 403 403 403 405 403 403 403",
    ("rewards:employee_awards", "dept"): "login 404 404 200 200 200 200 200",
    ("rewards:employee_awards", "mine"): "login 200 404 200 200 200 200 200",
    ("rewards:employee_awards", "other"): "login 404 404 200 200 200 200 200",
    ("rewards:employee_search", "-"): "login 403 403 403 200 403 403 403",
    ("rewards:long_service", "-"): "login 403 403 403 200 403 403 403",
    ("rewards:my_awards", "-"): "login 200 200 200 200 200 200 403",
    ("rewards:nomination_create", "-"): "login 403 405 403 403 403 403 403",
    ("rewards:rewardtype_list", "-"): "login 200 200 200 200 200 200 200",
    ("rewards:service_star", "-"): "login 403 200 403 200 200 200 200",
    ("rewards:service_star_select", "-"): "login 403 403 403 405 403 405 403",
    ("rewards:settings", "-"): "login 403 403 403 200 403 200 403",
    ("set_language", "-"): "302 302 302 302 302 302 302 302",
    ("staff:department_list", "-"): "login 403 200 200 200 200 200 200",
    ("staff:employee_create", "-"): "login 403 403 403 200 403 403 403",
    ("staff:employee_detail", "dept"): "login 404 404 200 200 200 200 200",
    ("staff:employee_detail", "mine"): "login 200 404 200 200 200 200 200",
    ("staff:employee_detail", "other"): "login 404 404 200 200 200 200 200",
    ("staff:employee_list", "-"): "login 403 200 200 200 200 200 200",
    ("staff:employee_update", "dept"): "login 403 403 403 200 403 403 403",
    ("staff:employee_update", "mine"): "login 403 403 403 200 403 403 403",
    ("staff:employee_update", "other"): "login 403 403 403 200 403 403 403",
}


# ---- The data ------------------------------------------------------------------------


def _objects():
    """One object per (model, variant) from the demo data."""
    from django.contrib.auth.models import User

    from attendance.models import ClockImport, Leave
    from conduct.models import Evidence, Rule, RulebookVersion, Violation
    from jobs.models import Job, JobKind
    from payroll.models import PayrollPeriod
    from penalties.models import Appeal, AppealEvidence, Notice, Penalty
    from rewards.models import Award, AwardEvidence
    from staff.models import Department, Employee

    me = Employee.objects.get(user__username="employee")
    head = Employee.objects.get(user__username="head")
    subtree = [head.department_id]
    frontier = list(subtree)
    while frontier:
        frontier = list(
            Department.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        subtree += frontier

    def pick(qs, person_field):
        """mine / dept / other for a queryset whose ``person_field`` is an Employee."""
        me_q = {person_field: me}
        dept_q = {f"{person_field}__department_id__in": subtree}
        return {
            "mine": qs.filter(**me_q).order_by("pk").first(),
            "dept": qs.filter(**dept_q)
            .exclude(**me_q)
            .exclude(**{person_field: head})
            .order_by("pk")
            .first(),
            "other": qs.exclude(**dept_q)
            .exclude(**{f"{person_field}__isnull": True})
            .order_by("pk")
            .first(),
        }

    version = RulebookVersion.objects.order_by("pk").first()
    return {
        "employee": {
            "mine": me,
            "dept": Employee.objects.filter(department_id__in=subtree)
            .exclude(pk__in=[me.pk, head.pk])
            .first(),
            "other": Employee.objects.exclude(department_id__in=subtree).first(),
        },
        "violation": pick(Violation.objects.all(), "employee"),
        "evidence": pick(Evidence.objects.all(), "violation__employee"),
        "penalty": pick(Penalty.objects.filter(employee__isnull=False), "employee"),
        "notice": pick(Notice.objects.all(), "penalty__employee"),
        "appeal": pick(Appeal.objects.all(), "employee"),
        "appeal_evidence": pick(AppealEvidence.objects.all(), "appeal__employee"),
        "award": pick(Award.objects.filter(employee__isnull=False), "employee"),
        "award_evidence": pick(AwardEvidence.objects.all(), "award__employee"),
        "leave": pick(Leave.objects.all(), "employee"),
        "rule": {"any": Rule.objects.order_by("pk").first()},
        "version": {"any": version},
        "clock_import": {"any": ClockImport.objects.order_by("pk").first()},
        "period": {"any": PayrollPeriod.objects.order_by("-month").first()},
        # A queued job of HR's: a job is its owner's alone, and its result only once done.
        "job": {
            "hr": Job.objects.get_or_create(
                kind=JobKind.ATTENDANCE_PROCESS,
                owner=User.objects.get(username="hr"),
                defaults={"args": {"month": "2026-10"}},
            )[0]
        },
    }


# url name -> (object kind, how to build the kwargs from the object)
PARAMS = {
    "staff:employee_detail": ("employee", lambda o: {"pk": o.pk}),
    "staff:employee_update": ("employee", lambda o: {"pk": o.pk}),
    "rewards:employee_awards": ("employee", lambda o: {"pk": o.pk}),
    "reports:employee_file": ("employee", lambda o: {"pk": o.pk}),
    "conduct:rule_detail": ("rule", lambda o: {"pk": o.pk}),
    "conduct:rule_update": ("rule", lambda o: {"pk": o.pk}),
    "conduct:rulebook_detail": ("version", lambda o: {"code": o.rulebook.code}),
    "conduct:version_list": ("version", lambda o: {"code": o.rulebook.code}),
    "conduct:version_detail": ("version", lambda o: {"code": o.rulebook.code, "pk": o.pk}),
    "conduct:version_print": ("version", lambda o: {"code": o.rulebook.code, "pk": o.pk}),
    "conduct:version_export": ("version", lambda o: {"code": o.rulebook.code, "pk": o.pk}),
    "conduct:version_create_next": ("version", lambda o: {"code": o.rulebook.code, "pk": o.pk}),
    "conduct:version_update": ("version", lambda o: {"code": o.rulebook.code, "pk": o.pk}),
    "conduct:rule_create": ("version", lambda o: {"code": o.rulebook.code, "pk": o.pk}),
    "conduct:violation_detail": ("violation", lambda o: {"pk": o.pk}),
    "conduct:violation_void": ("violation", lambda o: {"pk": o.pk}),
    "conduct:evidence_download": ("evidence", lambda o: {"pk": o.pk}),
    "penalties:penalty_decision": ("penalty", lambda o: {"pk": o.pk}),
    "penalties:penalty_void": ("penalty", lambda o: {"pk": o.pk}),
    "penalties:appeal_create": ("penalty", lambda o: {"pk": o.pk}),
    "penalties:notice_pdf": ("notice", lambda o: {"pk": o.pk}),
    "penalties:notice_acknowledge": ("notice", lambda o: {"pk": o.pk}),
    "penalties:appeal_review": ("appeal", lambda o: {"pk": o.pk}),
    "penalties:appeal_evidence": ("appeal_evidence", lambda o: {"pk": o.pk}),
    "rewards:award_detail": ("award", lambda o: {"pk": o.pk}),
    "rewards:award_approve": ("award", lambda o: {"pk": o.pk}),
    "rewards:award_reject": ("award", lambda o: {"pk": o.pk}),
    "rewards:award_void": ("award", lambda o: {"pk": o.pk}),
    "rewards:award_notice": ("award", lambda o: {"pk": o.pk}),
    "rewards:evidence_download": ("award_evidence", lambda o: {"pk": o.pk}),
    "attendance:import_detail": ("clock_import", lambda o: {"pk": o.pk}),
    "attendance:leave_detail": ("leave", lambda o: {"pk": o.pk}),
    "attendance:leave_decide": ("leave", lambda o: {"pk": o.pk, "decision": "approve"}),
    "payroll:period_detail": ("period", lambda o: {"month": o.month}),
    "payroll:period_close": ("period", lambda o: {"month": o.month}),
    "payroll:period_reopen": ("period", lambda o: {"month": o.month}),
    "payroll:period_export_xlsx": ("period", lambda o: {"month": o.month}),
    "payroll:period_export_csv": ("period", lambda o: {"month": o.month}),
    "reports:list_export": ("export", None),
    "jobs:job_detail": ("job", lambda o: {"pk": o.pk}),
    "jobs:job_progress": ("job", lambda o: {"pk": o.pk}),
    "jobs:job_download": ("job", lambda o: {"pk": o.pk}),
    "jobs:job_retry": ("job", lambda o: {"pk": o.pk}),
}


def _targets(objects):
    """(url name, variant, path) for every URL and variant."""
    from reports.exports import EXPORTS

    for name in url_names():
        if name not in PARAMS:
            yield name, "-", reverse(name)
            continue
        kind, kwargs = PARAMS[name]
        if kind == "export":
            for slug in sorted(EXPORTS):
                yield name, slug, reverse(name, kwargs={"name": slug})
            continue
        for variant, obj in objects[kind].items():
            if obj is None:
                continue
            yield name, variant, reverse(name, kwargs=kwargs(obj))


def _client(role):
    from django.contrib.auth.models import User

    client = Client()
    if role != "anon":
        client.force_login(User.objects.get(username=role))
    return client


def _observe():
    objects = _objects()
    targets = list(_targets(objects))
    seen = {}
    for role in ROLES:
        client = _client(role)
        for name, variant, path in targets:
            response = client.get(path)
            if response.status_code in (301, 302):
                outcome = "login" if response.url.startswith(reverse("login")) else "302"
            else:
                outcome = response.status_code
            seen[(name, variant, role)] = outcome
    return seen, objects


def _head():
    from staff.models import Employee

    return Employee.objects.get(user__username="head")


def _text(response) -> str:
    """The readable content of a page or an export (HTML, CSV, XLSX); PDFs are skipped."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "pdf" in kind:
        return ""
    return body.decode("utf-8", "replace")


@pytest.mark.django_db
def test_every_url_every_role():
    call_command("seed_demo", verbosity=0)
    objects = _objects()
    targets = list(_targets(objects))
    # Every URL pattern is in the table and every row of the table is a URL.
    assert {(n, v) for n, v, _p in targets} == set(EXPECTED)
    # People the employee and the head may not see: their employee numbers must not
    # appear on any page or export those roles open.
    outsiders = {
        "employee": {
            objects["employee"]["dept"],
            objects["employee"]["other"],
            objects["violation"]["other"].employee,
            objects["violation"]["dept"].employee,
        },
        "head": {
            objects["employee"]["mine"],
            objects["employee"]["other"],
            objects["violation"]["other"].employee,
            objects["violation"]["mine"].employee,
        },
    }
    # Whom a person may see named on their own pages: their supervisor and head.
    for role, login in (("employee", objects["employee"]["mine"]), ("head", _head())):
        outsiders[role] -= {login.supervisor, login.department.head, login}
    wrong, leaks = [], []
    for index, role in enumerate(ROLES):
        client = _client(role)
        for name, variant, path in targets:
            response = client.get(path)
            got = _outcome(response)
            want = EXPECTED[(name, variant)].split()[index]
            if got != want:
                wrong.append(f"{role:8} {name} [{variant}] {path}: expected {want}, got {got}")
            elif got == "200" and role in outsiders:
                text = _text(response)
                for person in outsiders[role]:
                    if person.employee_no in text:
                        leaks.append(
                            f"{role} sees {person.employee_no} on {name} [{variant}] {path}"
                        )
    assert not wrong, "\n".join(wrong)
    assert not leaks, "\n".join(leaks)
