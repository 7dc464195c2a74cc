from django.urls import path

from .views import penalties

app_name = "penalties"

# Penalties list/detail (issue 4)
penalty_patterns: list = [
    path("", penalties.penalty_list, name="penalty_list"),
]

# Approval inbox, notices, appeals, my record (issue 5)
approval_patterns: list = []

urlpatterns = [*penalty_patterns, *approval_patterns]
