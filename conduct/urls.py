from django.urls import path

from .views import rulebooks, violations  # noqa: F401

app_name = "conduct"

# Rulebook catalogue (issue 3)
rulebook_patterns: list = [
    path("rulebooks/", rulebooks.rulebook_list, name="rulebook_list"),
    path("rulebooks/search/", rulebooks.rule_search, name="rule_search"),
    path("rulebooks/import/", rulebooks.rulebook_import, name="rulebook_import"),
    path("rulebooks/rules/<int:pk>/", rulebooks.rule_detail, name="rule_detail"),
    path("rulebooks/rules/<int:pk>/edit/", rulebooks.rule_update, name="rule_update"),
    path("rulebooks/<slug:code>/", rulebooks.rulebook_detail, name="rulebook_detail"),
    path("rulebooks/<slug:code>/versions/", rulebooks.version_list, name="version_list"),
    path("rulebooks/<slug:code>/v/<int:pk>/", rulebooks.version_detail, name="version_detail"),
    path("rulebooks/<slug:code>/v/<int:pk>/print/", rulebooks.version_print, name="version_print"),
    path(
        "rulebooks/<slug:code>/v/<int:pk>/export/", rulebooks.version_export, name="version_export"
    ),
    path(
        "rulebooks/<slug:code>/v/<int:pk>/next/",
        rulebooks.version_create_next,
        name="version_create_next",
    ),
    path("rulebooks/<slug:code>/v/<int:pk>/edit/", rulebooks.version_update, name="version_update"),
    path("rulebooks/<slug:code>/v/<int:pk>/rules/new/", rulebooks.rule_create, name="rule_create"),
]

# Violations (issue 4)
violation_patterns: list = []

urlpatterns = [*rulebook_patterns, *violation_patterns]
