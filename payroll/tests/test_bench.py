"""The benchmark runs (small here; the full size is set through the environment:
``PAYROLL_BENCH_EMPLOYEES=10000 PAYROLL_BENCH_ITEMS=100000 scripts/test.sh
payroll/tests/test_bench.py -s``)."""

import io
import os

import pytest

from payroll.bench import payroll_bench
from payroll.models import PayrollItem, PayrollLine

pytestmark = pytest.mark.django_db


def test_the_benchmark_builds_closes_and_exports():
    employees = int(os.environ.get("PAYROLL_BENCH_EMPLOYEES", "60"))
    items = int(os.environ.get("PAYROLL_BENCH_ITEMS", "600"))
    out = io.StringIO()
    result = payroll_bench(employees=employees, items=items, out=out)
    print(out.getvalue())
    assert "close:" in out.getvalue() and "export xlsx:" in out.getvalue()
    assert PayrollLine.objects.count() <= employees
    # every penalty and award part is included once
    assert PayrollItem.objects.count() >= items
    assert result["workbook_bytes"] > 0
