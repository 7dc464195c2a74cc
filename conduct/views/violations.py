"""Violation screens: log (with the live preview), list, detail, void, evidence download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from conduct.forms.violations import ViolationFilterForm, ViolationForm, VoidForm
from conduct.selectors import violations as selectors
from conduct.services.violations import violation_log, violation_void
from penalties.engine import sanction_name
from penalties.selectors.penalties import penalty_preview
from penalties.tiers import Tier
from staff.models import EmployeeStatus
from staff.pagination import PAGE_SIZES, paginate_large
from staff.selectors import departments_visible_to, employees_visible_to


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _form(request, *, preview: bool = False) -> ViolationForm:
    data = request.POST if request.method == "POST" else (request.GET or None)
    files = request.FILES if request.method == "POST" and not preview else None
    return ViolationForm(data, files, employees=employees_visible_to(request.user), preview=preview)


@login_required
@permission_required("conduct.add_violation", raise_exception=True)
def violation_create(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            violation = violation_log(logged_by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Violation logged: occurrence %(n)s, %(count)s penalt(ies) pending approval.")
                % {"n": violation.occurrence, "count": violation.penalties.count()},
            )
            return redirect("conduct:violation_detail", pk=violation.pk)
    return render(request, "conduct/violation_form.html", {"form": form})


@login_required
@permission_required("conduct.add_violation", raise_exception=True)
@require_GET
def violation_rule_section(request):
    """The rulebook → category → rule pickers with the chosen rule's text, summary and the
    inputs its schedule needs (htmx partial)."""
    form = ViolationForm(request.GET, employees=employees_visible_to(request.user), preview=True)
    response = render(request, "conduct/violation_rule_section.html", {"form": form})
    response["HX-Trigger-After-Settle"] = "jc-preview"
    return response


@login_required
@permission_required("conduct.add_violation", raise_exception=True)
@require_POST
def violation_preview(request):
    """What saving the form would give, by the same engine and counts (htmx partial)."""
    form = _form(request, preview=True)
    preview = None
    errors: list[str] = []
    if form.is_valid():
        try:
            preview = penalty_preview(**form.preview_kwargs())
        except ValidationError as exc:
            errors = list(exc.messages)
    else:
        for field in (
            "employee",
            "rule",
            "occurred_at",
            "chosen_amount",
            "second_amount",
            "involved_amount",
        ):
            errors.extend(str(e) for e in form.errors.get(field, []))
        errors.extend(str(e) for e in form.non_field_errors())
        if not errors:
            errors = [str(e) for errs in form.errors.values() for e in errs]
    return render(
        request,
        "conduct/violation_preview.html",
        {"preview": _decorate(preview) if preview else None, "errors": errors, "form": form},
    )


def _decorate(preview: dict) -> dict:
    """Names for the codes in a preview, for the template."""
    from penalties.engine import MoneyKind, Party

    def kind(value):
        try:
            return MoneyKind(value).label
        except ValueError:
            return ""

    preview = dict(preview)
    preview["sanction_names"] = [sanction_name(c) for c in preview["sanctions"]]
    preview["choice_names"] = [sanction_name(c) for c in preview["sanction_choices"]]
    preview["tier_label"] = Tier(preview["approval_tier"]).label
    preview["penalty_rows"] = [
        {
            **p,
            "party_label": Party(p["party"]).label,
            "kind_label": kind(p["money_kind"]),
            "tier_label": Tier(p["approval_tier"]).label,
            "sanction_names": [sanction_name(c) for c in p["sanctions"]],
        }
        for p in preview["penalties"]
    ]
    preview["trigger_rows"] = [
        {**t, "sanction_names": [sanction_name(c) for c in t["sanctions"]]}
        for t in preview["triggers"]
    ]
    return preview


@login_required
@permission_required("conduct.add_violation", raise_exception=True)
@require_GET
def employee_search(request):
    """Employees for the autocomplete, searched by 工号 or name, scoped to the user."""
    query = request.GET.get("q", "").strip()[:64]
    qs = employees_visible_to(request.user).select_related("department")
    if query:
        qs = qs.filter(Q(employee_no__icontains=query) | Q(name__icontains=query))
    results = []
    for employee in qs.order_by("employee_no")[:20]:
        text = f"{employee.employee_no} {employee.name} · {employee.department.name}"
        if employee.status == EmployeeStatus.LEFT:
            text += f"({_('left')})"
        results.append({"value": employee.pk, "text": text})
    return JsonResponse({"results": results})


@login_required
@permission_required("conduct.view_violation", raise_exception=True)
def violation_list(request):
    departments = (
        departments_visible_to(request.user)
        .select_related(None)
        .only("id", "name", "code", "parent")
        .order_by("code")
    )
    form = ViolationFilterForm(request.GET or None, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {}
    violations = selectors.violation_list(
        user=request.user,
        search=filters.get("q", ""),
        department_ids=form.department_subtree_ids(),
        rulebook=filters.get("rulebook"),
        category_name=filters.get("category", ""),
        rule_number=filters.get("rule", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        status=filters.get("status", ""),
        source=filters.get("source", ""),
        sort=filters.get("sort") or selectors.DEFAULT_SORT,
    )
    page = paginate_large(request, selectors.violation_list_rows(violations))
    selectors.label_choices(page)
    return render(
        request,
        "conduct/violation_list.html",
        {"form": form, "page": page, "page_sizes": PAGE_SIZES},
    )


@login_required
def violation_detail(request, pk: int):
    violation = selectors.violation_get_for_user(user=request.user, violation_id=pk)
    return render(
        request,
        "conduct/violation_detail.html",
        _detail_context(violation, VoidForm()),
    )


def _detail_context(violation, void_form) -> dict:
    quote = violation.quote or {}
    return {
        "violation": violation,
        "void_form": void_form,
        "penalties": sorted(violation.penalties.all(), key=lambda p: (not p.is_primary, p.pk)),
        "sanction_names": [sanction_name(c) for c in quote.get("sanctions", [])],
        "triggered": quote.get("triggered", []),
        "consequences": quote.get("consequences", []),
        "lines": quote.get("lines", []),
    }


@login_required
@permission_required("conduct.void_violation", raise_exception=True)
@require_POST
def violation_void_view(request, pk: int):
    violation = selectors.violation_get_for_user(user=request.user, violation_id=pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            violation_void(violation=violation, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The violation was voided; it no longer counts."))
            return redirect("conduct:violation_detail", pk=violation.pk)
    violation = selectors.violation_get_for_user(user=request.user, violation_id=pk)
    return render(
        request, "conduct/violation_detail.html", _detail_context(violation, form), status=400
    )


@login_required
@require_GET
def evidence_download(request, pk: int):
    """An evidence file, only for someone who may see its violation (404 otherwise)."""
    evidence = selectors.evidence_get_for_user(user=request.user, evidence_id=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    inline = evidence.content_type in ("image/jpeg", "image/png", "application/pdf")
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=not inline,
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
