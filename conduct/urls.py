from django.urls import path

from .views import rulebooks, violations

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
violation_patterns: list = [
    path("violations/", violations.violation_list, name="violation_list"),
    path("violations/new/", violations.violation_create, name="violation_create"),
    path("violations/new/rule/", violations.violation_rule_section, name="violation_rule_section"),
    path("violations/new/preview/", violations.violation_preview, name="violation_preview"),
    path("violations/employees/", violations.employee_search, name="violation_employee_search"),
    path("violations/<int:pk>/", violations.violation_detail, name="violation_detail"),
    path("violations/<int:pk>/void/", violations.violation_void_view, name="violation_void"),
    path("evidence/<int:pk>/", violations.evidence_download, name="evidence_download"),
]

urlpatterns = [*rulebook_patterns, *violation_patterns]
