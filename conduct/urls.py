from django.urls import path  # noqa: F401

from .views import rulebooks, violations  # noqa: F401

app_name = "conduct"

# Rulebook catalogue (issue 3)
rulebook_patterns: list = []

# Violations (issue 4)
violation_patterns: list = []

urlpatterns = [*rulebook_patterns, *violation_patterns]
