"""Fixtures shared by every app's tests and the cross-app tests in tests/."""

import os
import tempfile

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")


def race(actions, delays=None) -> list:
    """Run the callables at the same moment, each in a thread with its own database
    connection (``delays[i]``: seconds the i-th waits after the start); return what each
    returned or raised, in order. For tests of real concurrent transactions."""
    import threading
    import time

    from django.db import connections

    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            if delays:
                time.sleep(delays[index])
            results[index] = action()
        except Exception as exc:  # the test inspects whatever happened
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture(autouse=True)
def _media_root(request, tmp_path):
    """Uploaded files go to a folder of the test's own (pure tests run without Django)."""
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").MEDIA_ROOT = tmp_path / "uploads"


def restore_roles() -> None:
    """Recreate the role groups and their grants after a transactional test's flush.

    The groups come from data migrations (each app's ``create_roles`` / ``grant_*``
    functions); the flush that ends any ``transaction=True`` test removes them. This runs
    those functions again, found in every app's migrations, so it keeps up with new apps."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    graph = MigrationLoader(connection).graph
    plan = dict.fromkeys(node for leaf in graph.leaf_nodes() for node in graph.forwards_plan(leaf))
    for node in plan:
        for operation in graph.nodes[node].operations:
            code = getattr(operation, "code", None)
            if isinstance(operation, RunPython) and code.__name__.startswith(
                ("grant", "create_roles")
            ):
                code(apps, None)


@pytest.fixture(autouse=True)
def _role_groups(request):
    """Transactional tests (threads, live_server) start with the role groups in place."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        restore_roles()


@pytest.fixture
def department(db):
    from staff.tests.factories import DepartmentFactory

    return DepartmentFactory(name="客户服务中心", code="CS")


@pytest.fixture
def users(hr_user, head_user, deputy_user, gm_user, payroll_user, auditor_user, employee_user):
    """The seven role fixtures by role name, for tests parametrized over roles."""
    return {
        "hr": hr_user,
        "head": head_user,
        "deputy": deputy_user,
        "gm": gm_user,
        "payroll": payroll_user,
        "auditor": auditor_user,
        "employee": employee_user,
    }


def make_user(role: str, *, department=None, employee_no=None, name=None, heads=False):
    """A login with a role and, except for auditors, an employee file behind it."""
    from staff.roles import Role
    from staff.tests.factories import DepartmentFactory, EmployeeFactory, UserFactory

    user = UserFactory(roles=[role])
    if role == Role.AUDITOR and department is None:
        return user
    employee = EmployeeFactory(
        user=user,
        department=department or DepartmentFactory(),
        **({"employee_no": employee_no} if employee_no else {}),
        **({"name": name} if name else {}),
    )
    if heads:
        employee.department.head = employee
        employee.department.save(update_fields=["head"])
    return user


@pytest.fixture
def hr_user(db):
    return make_user("hr_officer", name="人事小王")


@pytest.fixture
def head_user(db, department):
    return make_user("department_head", department=department, heads=True, name="部门李主任")


@pytest.fixture
def gm_user(db):
    return make_user("gm", name="总经理赵")


@pytest.fixture
def deputy_user(db):
    return make_user("deputy_gm", name="副总孙")


@pytest.fixture
def payroll_user(db):
    return make_user("payroll_clerk", name="薪资钱")


@pytest.fixture
def auditor_user(db):
    return make_user("auditor")


@pytest.fixture
def employee_user(db, department):
    return make_user("employee", department=department, name="员工周")


# ---- Browser -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run the suite through `make test`")
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    # Actions and assertions wait as long: on a machine busy with other work an htmx
    # swap can take more than Playwright's default 5 s for assertions.
    context.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def htmx_settled(page, processed: str | None = None) -> None:
    """Wait until htmx has no request in flight and has settled what it swapped in: a
    change made to a swapped-in element before htmx wires it up goes unheard (a person is
    never that quick; a test is). ``processed``: a selector of an element that must be
    wired up by then."""
    page.wait_for_function(
        """(processed) => !document.querySelector(
               '.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')
           && (!processed || (document.querySelector(processed) || {})['htmx-internal-data'])""",
        arg=processed,
    )


def login(page, username: str, password: str = "pw") -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(f"{page.base_url}/")


@pytest.fixture
def screenshot_dir():
    path = os.environ.get("SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="jc-shots-")
    os.makedirs(path, exist_ok=True)
    return path


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; live_server's ORM
    # calls from that thread are safe here (one thread, no real async code).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
