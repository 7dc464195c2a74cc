from django.urls import path

from .views import appeals, approvals, notices, penalties

app_name = "penalties"

# Penalties list/detail (issue 4)
penalty_patterns: list = [
    path("", penalties.penalty_list, name="penalty_list"),
]

# Approval inbox, notices, appeals, my record (issue 5)
approval_patterns: list = [
    path("inbox/", approvals.approval_inbox, name="approval_inbox"),
    path("inbox/decide/", approvals.approval_bulk, name="approval_bulk"),
    path("<int:pk>/decision/", approvals.penalty_decision, name="penalty_decision"),
    path("<int:pk>/void/", approvals.penalty_void, name="penalty_void"),
    path("<int:pk>/appeal/", appeals.appeal_create, name="appeal_create"),
    path("my/", notices.my_record, name="my_record"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/print/", notices.notice_print_month, name="notice_print_month"),
    path("notices/<int:pk>/pdf/", notices.notice_pdf, name="notice_pdf"),
    path(
        "notices/<int:pk>/acknowledge/",
        notices.notice_acknowledge_view,
        name="notice_acknowledge",
    ),
    path("appeals/", appeals.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", appeals.appeal_review, name="appeal_review"),
    path("appeals/evidence/<int:pk>/", appeals.appeal_evidence, name="appeal_evidence"),
]

urlpatterns = [*penalty_patterns, *approval_patterns]
