"""Rulebook catalogue screens: every login reads the catalogue (rulebooks → version in force
→ categories → rules), searches it and prints a version for the notice board; HR
(``conduct.manage_rulebooks``) makes new versions, completes adoption evidence, edits rules
of versions not yet in force, and exports/imports versions as Excel workbooks."""

import secrets
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.selectors import audit_history, user_may_read_audit
from conduct import excel
from conduct.forms.rulebooks import (
    ImportUploadForm,
    RuleForm,
    RuleSearchForm,
    VersionEvidenceForm,
    VersionNextForm,
)
from conduct.selectors import rulebooks as selectors
from conduct.services import rulebooks as services
from penalties.engine import ScheduleError, parse_schedule
from staff.models import CompanySettings
from staff.pagination import PAGE_SIZES, paginate

MANAGE = "conduct.manage_rulebooks"
IMPORT_SESSION_KEY = "conduct_rulebook_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _version_context(request, version, **extra):
    today = timezone.localdate()
    categories = selectors.version_categories(version=version)
    has_fines = selectors.version_has_fines(version=version, categories=categories)
    context = {
        "rulebook": version.rulebook,
        "version": version,
        "status": version.status_on(today),
        "editable": not version.has_started(today),
        "sections": selectors.version_sections(categories=categories),
        "warnings": selectors.version_warnings(
            version=version, has_fines=has_fines, company=CompanySettings.get(), on=today
        ),
        "today": today,
        **extra,
    }
    if user_may_read_audit(request.user):
        context["audit_entries"] = audit_history(obj=version)
    return context


@login_required
def rulebook_list(request):
    today = timezone.localdate()
    return render(
        request,
        "conduct/rulebook_list.html",
        {"entries": selectors.rulebook_catalogue(on=today), "today": today},
    )


@login_required
def rulebook_detail(request, code: str):
    rulebook = selectors.rulebook_get(code=code)
    version = selectors.rulebook_version_shown(rulebook=rulebook, on=timezone.localdate())
    versions = selectors.rulebook_versions(rulebook=rulebook)
    return render(
        request,
        "conduct/version_detail.html",
        _version_context(request, version, versions=versions),
    )


@login_required
def version_detail(request, code: str, pk: int):
    rulebook = selectors.rulebook_get(code=code)
    version = selectors.rulebook_version_get(rulebook=rulebook, version_id=pk)
    versions = selectors.rulebook_versions(rulebook=rulebook)
    return render(
        request,
        "conduct/version_detail.html",
        _version_context(request, version, versions=versions),
    )


@login_required
def version_list(request, code: str):
    rulebook = selectors.rulebook_get(code=code)
    today = timezone.localdate()
    versions = selectors.rulebook_versions(rulebook=rulebook)
    for version in versions:
        version.status = version.status_on(today)
    return render(
        request,
        "conduct/version_list.html",
        {"rulebook": rulebook, "versions": versions, "today": today},
    )


@login_required
def version_print(request, code: str, pk: int):
    rulebook = selectors.rulebook_get(code=code)
    version = selectors.rulebook_version_get(rulebook=rulebook, version_id=pk)
    return render(request, "conduct/version_print.html", _version_context(request, version))


@login_required
@permission_required("conduct.view_rulebookversion", raise_exception=True)
def version_export(request, code: str, pk: int):
    rulebook = selectors.rulebook_get(code=code)
    version = selectors.rulebook_version_get(rulebook=rulebook, version_id=pk)
    content = excel.version_workbook(version=version)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{rulebook.code}-{version.label}.xlsx"
    )
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
def version_create_next(request, code: str, pk: int):
    rulebook = selectors.rulebook_get(code=code)
    version = selectors.rulebook_version_get(rulebook=rulebook, version_id=pk)
    form = VersionNextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.rulebook_version_create_next(
                version=version, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(label)s created from %(date)s; edit its rules before it takes effect.")
                % {"label": new.label, "date": new.effective_from.isoformat()},
            )
            return redirect("conduct:version_detail", code=rulebook.code, pk=new.pk)
    return render(
        request,
        "conduct/version_form.html",
        {"rulebook": rulebook, "version": version, "form": form, "mode": "next"},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def version_update(request, code: str, pk: int):
    rulebook = selectors.rulebook_get(code=code)
    version = selectors.rulebook_version_get(rulebook=rulebook, version_id=pk)
    form = VersionEvidenceForm(
        request.POST or None,
        request.FILES or None,
        instance=selectors.rulebook_version_get(rulebook=rulebook, version_id=pk),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.rulebook_version_update(version=version, by=request.user, **fields)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("conduct:version_detail", code=rulebook.code, pk=version.pk)
    return render(
        request,
        "conduct/version_form.html",
        {"rulebook": rulebook, "version": version, "form": form, "mode": "evidence"},
    )


@login_required
def rule_detail(request, pk: int):
    rule = selectors.rule_get(rule_id=pk)
    card = selectors.rule_card(rule)
    return render(
        request,
        "conduct/rule_detail.html",
        {
            "rule": rule,
            "card": card,
            "breakdown": selectors.schedule_breakdown(rule),
            "schedule_json": excel.schedule_json(rule.schedule),
            "editable": not rule.version.has_started(timezone.localdate()),
        },
    )


def _rule_form_view(request, *, version, rule=None):
    # The form works on its own copy: the service compares it with the saved rule.
    instance = selectors.rule_get(rule_id=rule.pk) if rule is not None else None
    form = RuleForm(request.POST or None, instance=instance, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            if rule is None:
                rule = services.rule_create(version=version, by=request.user, **form.cleaned_data)
            else:
                fields = {name: form.cleaned_data[name] for name in form.changed_data}
                rule = services.rule_update(rule=rule, by=request.user, **fields)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("conduct:rule_detail", pk=rule.pk)
    return render(
        request,
        "conduct/rule_form.html",
        {"form": form, "rule": rule, "version": version, "rulebook": version.rulebook},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def rule_update(request, pk: int):
    rule = selectors.rule_get(rule_id=pk)
    return _rule_form_view(request, version=rule.version, rule=rule)


@login_required
@permission_required(MANAGE, raise_exception=True)
def rule_create(request, code: str, pk: int):
    rulebook = selectors.rulebook_get(code=code)
    version = selectors.rulebook_version_get(rulebook=rulebook, version_id=pk)
    return _rule_form_view(request, version=version)


@login_required
def rule_search(request):
    form = RuleSearchForm(request.GET or None, rulebooks=selectors.rulebook_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    rules = selectors.rule_search(
        q=filters.get("q", ""),
        on=timezone.localdate(),
        rulebook_code=filters.get("rulebook", ""),
        all_versions=filters.get("all_versions", False),
    )
    page = paginate(request, rules)
    return render(
        request,
        "conduct/rule_search.html",
        {
            "form": form,
            "q": filters.get("q", ""),
            "page": page,
            "cards": [selectors.rule_card(rule) for rule in page],
            "page_sizes": PAGE_SIZES,
        },
    )


def _preview(data, *, label, effective_from):
    """Dry-run the import: the result, or the database's objections (overlaps …)."""
    try:
        return services.rulebook_version_import(
            data=data, label=label, effective_from=effective_from, dry_run=True
        ), []
    except ValidationError as exc:
        return None, [excel.RowError(excel.SHEET_VERSION, None, m) for m in exc.messages]


def _preview_rules(data):
    rows = []
    for category in data["versions"][0]["categories"]:
        for rule in category["rules"]:
            try:
                summary, note = selectors.schedule_summary(parse_schedule(rule["schedule"]))
            except ScheduleError:  # pragma: no cover - the parser already refused it
                summary, note = "", ""
            rows.append({"category": category, "rule": rule, "summary": summary, "note": note})
    return rows


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def rulebook_import(request):
    """Upload → preview (row-level errors, nothing saved) → confirm."""
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    if request.method == "POST" and request.POST.get("token"):
        stored = pending.get(request.POST["token"])
        if stored is None:
            messages.error(request, _("This import expired; upload the file again."))
            return redirect("conduct:rulebook_import")
        effective_from = stored["effective_from"]
        try:
            result = services.rulebook_version_import(
                data=stored["data"],
                label=stored["label"],
                effective_from=date.fromisoformat(effective_from) if effective_from else None,
                by=request.user,
            )
        except ValidationError as exc:
            errors = [excel.RowError(excel.SHEET_VERSION, None, m) for m in exc.messages]
            return render(
                request,
                "conduct/rulebook_import.html",
                {"form": ImportUploadForm(), "errors": errors},
            )
        pending.pop(request.POST["token"], None)
        request.session[IMPORT_SESSION_KEY] = pending
        version = result.version
        messages.success(
            request,
            _("Imported version %(label)s of %(name)s: %(rules)s rules.")
            % {"label": version.label, "name": version.rulebook.name, "rules": result.rules},
        )
        return redirect("conduct:version_detail", code=version.rulebook.code, pk=version.pk)

    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        parsed = excel.parse_version_workbook(form.cleaned_data["file"])
        label = form.cleaned_data["label"]
        effective_from = form.cleaned_data["effective_from"]
        errors = list(parsed.errors)
        result = None
        if not errors:
            result, errors = _preview(parsed.data, label=label, effective_from=effective_from)
        context["errors"] = errors
        if not errors:
            token = secrets.token_urlsafe(16)
            request.session[IMPORT_SESSION_KEY] = {
                token: {
                    "data": parsed.data,
                    "label": label,
                    "effective_from": effective_from.isoformat() if effective_from else "",
                }
            }
            context.update(
                {"token": token, "result": result, "preview": _preview_rules(parsed.data)}
            )
    return render(request, "conduct/rulebook_import.html", context)
