"""Reward screens: the catalogue, logging an award (with the live preview), the list,
one award (decide, void, notice), the reward inbox, the service star, long service,
an employee's awards, the settings. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from conduct.views.violations import add_service_errors
from penalties.engine import Party
from penalties.selectors.approvals import current_approval_policy
from penalties.tiers import Tier, required_tier
from rewards import selectors
from rewards.forms import (
    AwardFilterForm,
    AwardForm,
    DecisionForm,
    LongServiceConfirmForm,
    MonthForm,
    NominationForm,
    RejectForm,
    RewardSettingsForm,
    SelectionForm,
    VoidForm,
)
from rewards.models import RewardSettings
from rewards.notices_pdf import reward_notice_pdf
from rewards.pricing import price_award
from rewards.services.awards import award_create, resolve_type
from rewards.services.decisions import (
    award_approve,
    award_approve_many,
    award_decision_error,
    award_reject,
    award_void,
)
from rewards.services.service_star import (
    live_winners,
    long_service_confirm,
    service_star_nominate,
    service_star_select,
)
from rewards.services.settings import reward_settings_update
from staff.models import EmployeeStatus
from staff.pagination import PAGE_SIZES, paginate
from staff.selectors import departments_visible_to, employee_get_for_user, employees_visible_to

# ---- The catalogue ------------------------------------------------------------------------


@login_required
def reward_type_list(request):
    """Every reward of the rulebooks in force today, with its summary (open to every login,
    like the rulebooks themselves)."""
    from penalties.engine import summarize

    types = list(selectors.reward_catalogue(on=timezone.localdate()))
    rows = [{"type": t, "summary": summarize(t.parsed_schedule)} for t in types]
    return render(request, "rewards/rewardtype_list.html", {"rows": rows})


# ---- Logging an award -------------------------------------------------------------------


def _award_form(request, *, preview: bool = False) -> AwardForm:
    data = request.POST if request.method == "POST" else (request.GET or None)
    files = request.FILES if request.method == "POST" and not preview else None
    return AwardForm(
        data,
        files,
        employees=employees_visible_to(request.user),
        departments=departments_visible_to(request.user),
        preview=preview,
    )


@login_required
@permission_required("rewards.add_award", raise_exception=True)
def award_create_view(request):
    form = _award_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            award = award_create(logged_by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Award logged: %(amount)s, waiting for approval by a %(tier)s.")
                % {"amount": f"¥{award.total:,.2f}", "tier": award.get_required_tier_display()},
            )
            return redirect("rewards:award_detail", pk=award.pk)
    return render(request, "rewards/award_form.html", {"form": form})


@login_required
@permission_required("rewards.add_award", raise_exception=True)
@require_GET
def award_type_section(request):
    """The reward picker with the chosen reward's text and the inputs it needs (htmx)."""
    form = AwardForm(
        request.GET,
        employees=employees_visible_to(request.user),
        departments=departments_visible_to(request.user),
        preview=True,
    )
    response = render(request, "rewards/award_type_section.html", {"form": form})
    response["HX-Trigger-After-Settle"] = "jc-preview"
    return response


def _preview(form: AwardForm) -> dict:
    data = form.cleaned_data
    reward_type = data["reward_type"]
    on = data.get("awarded_on") or timezone.localdate()
    reward_type = resolve_type(reward_type, on)
    employee = None if reward_type.is_department_only else data.get("employee")
    price = price_award(
        reward_type=reward_type,
        employee=employee,
        chosen_amount=data.get("chosen_amount"),
        involved_amount=data.get("involved_amount"),
    )
    tier = required_tier(amount=price.total, max_sanction_rank=0, policy=current_approval_policy())
    return {
        "reward_type": reward_type,
        "recipient": employee or data.get("department"),
        "amount": price.amount,
        "department_amount": price.department_amount,
        "total": price.total,
        "lines": [
            {**line, "party_label": Party(line["party"]).label, "amount": Decimal(line["amount"])}
            for line in price.lines
        ],
        "explanation": price.explanation,
        "consequences": price.consequences,
        "floor": price.floor,
        "tier_label": Tier(tier).label,
        "to_department": reward_type.is_department_only,
    }


@login_required
@permission_required("rewards.add_award", raise_exception=True)
@require_POST
def award_preview(request):
    """What saving the form would give, by the same pricing (htmx partial)."""
    form = _award_form(request, preview=True)
    preview, errors = None, []
    if form.type_object is None:
        pass  # nothing chosen yet: the neutral hint
    elif form.is_valid():
        needs_recipient = (
            form.cleaned_data.get("department")
            if form.to_department
            else form.cleaned_data.get("employee")
        )
        if needs_recipient is not None or (form.needs and not form.needs.wage):
            try:
                preview = _preview(form)
            except ValidationError as exc:
                errors = list(exc.messages)
    else:
        errors = [str(e) for errs in form.errors.values() for e in errs]
    return render(
        request, "rewards/award_preview.html", {"preview": preview, "errors": errors, "form": form}
    )


@login_required
@permission_required("rewards.add_award", raise_exception=True)
@require_GET
def employee_search(request):
    """Employees for the autocomplete, by 工号 or name, scoped to the user."""
    query = request.GET.get("q", "").strip()[:64]
    qs = (
        employees_visible_to(request.user)
        .exclude(status=EmployeeStatus.LEFT)
        .select_related("department")
    )
    if query:
        qs = qs.filter(Q(employee_no__icontains=query) | Q(name__icontains=query))
    results = [
        {"value": e.pk, "text": f"{e.employee_no} {e.name} · {e.department.name}"}
        for e in qs.order_by("employee_no")[:20]
    ]
    return JsonResponse({"results": results})


# ---- Lists and one award -------------------------------------------------------------------


@login_required
@permission_required("rewards.view_award", raise_exception=True)
def award_list(request):
    departments = departments_visible_to(request.user).order_by("code")
    form = AwardFilterForm(request.GET or None, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {}
    awards = selectors.award_list(
        user=request.user,
        search=filters.get("q", ""),
        department=filters.get("department"),
        status=filters.get("status", ""),
        source=filters.get("source", ""),
        month=filters.get("month"),
        sort=filters.get("sort") or "-awarded",
    )
    return render(
        request,
        "rewards/award_list.html",
        {"form": form, "page": paginate(request, awards), "page_sizes": PAGE_SIZES},
    )


def _detail_context(request, award, **forms) -> dict:
    from audit.selectors import audit_history, user_may_read_audit

    return {
        "audit_entries": audit_history(obj=award) if user_may_read_audit(request.user) else None,
        "award": award,
        "notice": selectors.award_notice_or_none(award),
        "decision_error": award_decision_error(award=award, user=request.user)
        if request.user.has_perm("rewards.decide_award")
        else None,
        "may_decide": request.user.has_perm("rewards.decide_award")
        and award_decision_error(award=award, user=request.user) is None,
        "may_void": request.user.has_perm("rewards.void_award")
        and award.status in ("pending", "approved"),
        "may_see_evidence": request.user.has_perm("rewards.view_award"),
        "approve_form": forms.get("approve_form") or DecisionForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "void_form": forms.get("void_form") or VoidForm(),
    }


@login_required
def award_detail(request, pk: int):
    award = selectors.award_get_for_user(user=request.user, award_id=pk)
    return render(request, "rewards/award_detail.html", _detail_context(request, award))


def _decide(request, pk: int, *, form_class, form_key: str, act, done: str):
    award = selectors.award_get_for_user(user=request.user, award_id=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(award, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            next_url = request.POST.get("next", "")
            if next_url == "inbox":
                return redirect("rewards:award_inbox")
            return redirect("rewards:award_detail", pk=award.pk)
    award = selectors.award_get_for_user(user=request.user, award_id=pk)
    return render(
        request,
        "rewards/award_detail.html",
        _detail_context(request, award, **{form_key: form}),
        status=400,
    )


@login_required
@permission_required("rewards.decide_award", raise_exception=True)
@require_POST
def award_approve_view(request, pk: int):
    return _decide(
        request,
        pk,
        form_class=DecisionForm,
        form_key="approve_form",
        act=lambda award, data: award_approve(
            award=award, approver=request.user, comment=data.get("comment", "")
        ),
        done=_("The award was approved and its notice issued."),
    )


@login_required
@permission_required("rewards.decide_award", raise_exception=True)
@require_POST
def award_reject_view(request, pk: int):
    return _decide(
        request,
        pk,
        form_class=RejectForm,
        form_key="reject_form",
        act=lambda award, data: award_reject(
            award=award, approver=request.user, reason=data["reason"]
        ),
        done=_("The award was rejected."),
    )


@login_required
@permission_required("rewards.void_award", raise_exception=True)
@require_POST
def award_void_view(request, pk: int):
    return _decide(
        request,
        pk,
        form_class=VoidForm,
        form_key="void_form",
        act=lambda award, data: award_void(award=award, by=request.user, reason=data["reason"]),
        done=_("The award was voided."),
    )


@login_required
@require_GET
def award_notice(request, pk: int):
    """The award's 奖励通知书 as a PDF, for whoever may see the award."""
    award = selectors.award_get_for_user(user=request.user, award_id=pk)
    notice = selectors.award_notice_or_none(award)
    if notice is None:
        raise Http404
    response = HttpResponse(reward_notice_pdf(notice=notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.number}.pdf"'
    return response


@login_required
@require_GET
def evidence_download(request, pk: int):
    evidence = selectors.evidence_get_for_user(user=request.user, evidence_id=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=evidence.content_type, filename=evidence.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# ---- The reward inbox ----------------------------------------------------------------------


@login_required
@permission_required("rewards.decide_award", raise_exception=True)
def award_inbox(request):
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("award") if v.isdigit()]
        awards = selectors.inbox_awards_for_ids(user=request.user, ids=ids)
        result = award_approve_many(
            awards=awards, approver=request.user, comment=request.POST.get("comment", "")
        )
        missing = set(ids) - {a.pk for a in awards}
        if result.done:
            messages.success(
                request, _("%(count)s award(s) approved.") % {"count": len(result.done)}
            )
        for pk, error in result.failed:
            messages.error(request, f"#{pk}: {error}")
        if missing:
            messages.error(
                request,
                _("%(count)s award(s) are no longer waiting for you.") % {"count": len(missing)},
            )
        return redirect("rewards:award_inbox")
    return render(
        request,
        "rewards/award_inbox.html",
        {"awards": list(selectors.award_inbox(user=request.user))},
    )


# ---- An employee's awards ------------------------------------------------------------------


@login_required
def employee_awards(request, pk: int):
    """The awards on one employee's record (the same block the employee page includes)."""
    employee = employee_get_for_user(user=request.user, employee_id=pk)
    awards = selectors.awards_for_employee(user=request.user, employee=employee)
    return render(request, "rewards/employee_awards.html", {"employee": employee, "awards": awards})


@login_required
@permission_required("rewards.view_own_awards", raise_exception=True)
def my_awards(request):
    from staff.selectors import employee_for_user

    me = employee_for_user(request.user)
    awards = selectors.my_awards(user=request.user)
    return render(request, "rewards/employee_awards.html", {"employee": me, "awards": awards})


# ---- Service star ------------------------------------------------------------------------


@login_required
@permission_required("rewards.view_servicestarnomination", raise_exception=True)
def service_star(request):
    """The month's nominations; heads nominate here, HR or the GM select here."""
    today = timezone.localdate()
    month = MonthForm(request.GET or None).month_or(today)
    user = request.user
    nominate_form = None
    if user.has_perm("rewards.nominate_service_star"):
        nominate_form = NominationForm(
            candidates=selectors.nomination_candidates(user=user), today=today
        )
    select_form = None
    if user.has_perm("rewards.select_service_star"):
        select_form = SelectionForm(
            open_nominations=selectors.nominations_open_for_selection(month=month)
        )
    return render(
        request, "rewards/service_star.html", _star_context(user, month, nominate_form, select_form)
    )


def _star_context(user, month, nominate_form, select_form) -> dict:
    limit = RewardSettings.get().service_star_winners
    taken = live_winners(month)
    return {
        "month": month,
        "month_label": selectors.month_label(month),
        "previous": selectors.previous_month(month),
        "next": selectors.next_month(month),
        "nominations": list(selectors.nomination_list(user=user, month=month)),
        "nominate_form": nominate_form,
        "select_form": select_form,
        "limit": limit,
        "taken": taken,
        "left": max(limit - taken, 0),
    }


@login_required
@permission_required("rewards.nominate_service_star", raise_exception=True)
@require_POST
def nomination_create(request):
    today = timezone.localdate()
    form = NominationForm(
        request.POST, candidates=selectors.nomination_candidates(user=request.user), today=today
    )
    if form.is_valid():
        try:
            nomination = service_star_nominate(
                by=request.user,
                employee=form.cleaned_data["employee"],
                reason=form.cleaned_data["reason"],
                month=form.cleaned_data["month"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s nominated for the service star of %(month)s.")
                % {
                    "name": nomination.employee.name,
                    "month": selectors.month_label(nomination.month),
                },
            )
            return redirect(f"{_star_url()}?month={nomination.month:%Y-%m}")
    month = selectors.first_of_month(today)
    select_form = None
    if request.user.has_perm("rewards.select_service_star"):
        select_form = SelectionForm(
            open_nominations=selectors.nominations_open_for_selection(month=month)
        )
    return render(
        request,
        "rewards/service_star.html",
        _star_context(request.user, month, form, select_form),
        status=400,
    )


def _star_url() -> str:
    from django.urls import reverse

    return reverse("rewards:service_star")


@login_required
@permission_required("rewards.select_service_star", raise_exception=True)
@require_POST
def service_star_select_view(request):
    month_form = MonthForm(request.POST)
    if not month_form.is_valid() or not month_form.cleaned_data.get("month"):
        raise Http404
    month = month_form.cleaned_data["month"]
    form = SelectionForm(
        request.POST, open_nominations=selectors.nominations_open_for_selection(month=month)
    )
    if form.is_valid():
        try:
            awards = service_star_select(
                by=request.user, month=month, nominations=form.cleaned_data["nominations"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(count)s service star(s) selected; their awards wait for approval.")
                % {"count": len(awards)},
            )
            return redirect(f"{_star_url()}?month={month:%Y-%m}")
    nominate_form = None
    if request.user.has_perm("rewards.nominate_service_star"):
        nominate_form = NominationForm(
            candidates=selectors.nomination_candidates(user=request.user)
        )
    return render(
        request,
        "rewards/service_star.html",
        _star_context(request.user, month, nominate_form, form),
        status=400,
    )


# ---- Long service --------------------------------------------------------------------------


@login_required
@permission_required("rewards.add_award", raise_exception=True)
def long_service(request):
    """Who completes the long-service years in a month; HR confirms each award."""
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else (request.GET or None)
    month = MonthForm(source).month_or(today)
    error = None
    if request.method == "POST":
        form = LongServiceConfirmForm(request.POST, employees=employees_visible_to(request.user))
        if form.is_valid():
            try:
                award = long_service_confirm(
                    by=request.user,
                    employee=form.cleaned_data["employee"],
                    month=form.cleaned_data["month"],
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request,
                    _("Long-service award for %(name)s logged; it waits for approval.")
                    % {"name": award.employee.name},
                )
                return redirect(f"{request.path}?month={month:%Y-%m}")
        else:
            error = " ".join(str(e) for errs in form.errors.values() for e in errs)
    rows = selectors.long_service_suggestions(user=request.user, month=month)
    return render(
        request,
        "rewards/long_service.html",
        {
            "month": month,
            "month_label": selectors.month_label(month),
            "previous": selectors.previous_month(month),
            "next": selectors.next_month(month),
            "rows": rows,
            "years": RewardSettings.get().long_service_years,
            "error": error,
            "may_confirm": month <= selectors.first_of_month(today),
        },
        status=400 if error else 200,
    )


# ---- Settings ----------------------------------------------------------------------------


@login_required
@permission_required("rewards.change_rewardsettings", raise_exception=True)
def reward_settings(request):
    row = RewardSettings.get()
    form = RewardSettingsForm(request.POST or None, instance=RewardSettings.get())
    if request.method == "POST" and form.is_valid():
        try:
            reward_settings_update(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("rewards:settings")
    return render(request, "rewards/rewardsettings_form.html", {"form": form, "row": row})
