from django.urls import path, register_converter

from . import views
from .months import parse_month


class MonthConverter:
    """``2026-01`` in a URL ↔ ``date(2026, 1, 1)``."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        return parse_month(value)

    def to_url(self, value):
        return value if isinstance(value, str) else f"{value:%Y-%m}"


register_converter(MonthConverter, "month")

app_name = "payroll"

urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("<month:month>/", views.period_detail, name="period_detail"),
    path("<month:month>/close/", views.period_close, name="period_close"),
    path("<month:month>/reopen/", views.period_reopen, name="period_reopen"),
    path("<month:month>/payroll.xlsx", views.period_export_xlsx, name="period_export_xlsx"),
    path("<month:month>/summary.csv", views.period_export_csv, name="period_export_csv"),
]
