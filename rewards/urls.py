from django.urls import path

from . import views

app_name = "rewards"

urlpatterns = [
    path("", views.award_list, name="award_list"),
    path("new/", views.award_create_view, name="award_create"),
    path("new/type/", views.award_type_section, name="award_type_section"),
    path("new/preview/", views.award_preview, name="award_preview"),
    path("new/employees/", views.employee_search, name="employee_search"),
    path("<int:pk>/", views.award_detail, name="award_detail"),
    path("<int:pk>/approve/", views.award_approve_view, name="award_approve"),
    path("<int:pk>/reject/", views.award_reject_view, name="award_reject"),
    path("<int:pk>/void/", views.award_void_view, name="award_void"),
    path("<int:pk>/notice.pdf", views.award_notice, name="award_notice"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("inbox/", views.award_inbox, name="award_inbox"),
    path("types/", views.reward_type_list, name="rewardtype_list"),
    path("employees/<int:pk>/", views.employee_awards, name="employee_awards"),
    path("mine/", views.my_awards, name="my_awards"),
    path("service-star/", views.service_star, name="service_star"),
    path("service-star/nominate/", views.nomination_create, name="nomination_create"),
    path("service-star/select/", views.service_star_select_view, name="service_star_select"),
    path("long-service/", views.long_service, name="long_service"),
    path("settings/", views.reward_settings, name="settings"),
]
