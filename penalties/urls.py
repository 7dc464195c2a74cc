from django.urls import path  # noqa: F401

app_name = "penalties"

# Penalties list/detail (issue 4)
penalty_patterns: list = []

# Approval inbox, notices, appeals, my record (issue 5)
approval_patterns: list = []

urlpatterns = [*penalty_patterns, *approval_patterns]
