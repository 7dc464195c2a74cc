"""For transactional tests: the role groups and grants the data migrations made, which a
``django_db(transaction=True)`` test's flush removes."""

import importlib

from django.apps import apps

from penalties.tests.approval_helpers import restore_roles


def restore_payroll_roles() -> None:
    restore_roles()
    module = importlib.import_module("payroll.migrations.0002_permissions")
    module.grant_payroll_permissions(apps, None)
