from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("", views.month_sheet, name="month_sheet"),
    path("export/", views.month_sheet_export, name="month_sheet_export"),
    path("process/", views.month_process, name="month_process"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("leave/", views.leave_list, name="leave_list"),
    path("leave/new/", views.leave_create, name="leave_create"),
    path("leave/<int:pk>/", views.leave_detail, name="leave_detail"),
    path(
        "leave/<int:pk>/<str:decision>/",
        views.leave_decide,
        name="leave_decide",
    ),
    path("setup/", views.setup_overview, name="setup"),
]
