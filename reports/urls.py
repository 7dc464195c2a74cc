from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("charts/", views.chart_list, name="charts"),
    path("monthly/", views.month_summary, name="month_summary"),
    path("monthly/export/", views.month_summary_export, name="month_summary_export"),
    path("year-to-date/", views.year_to_date, name="year_to_date"),
    path("year-to-date/export/", views.year_to_date_export, name="year_to_date_export"),
    path("employees/<int:pk>/file/", views.employee_file, name="employee_file"),
    path("my-file/", views.my_file, name="my_file"),
    path("export/<slug:name>/", views.list_export, name="list_export"),
]
