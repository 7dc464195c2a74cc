"""The approval inbox, bulk decisions with a confirmation step, and the decision page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from penalties.engine.sanctions import ladder_order, sanction_name
from penalties.forms import BulkDecisionForm, DecisionAction, VoidForm
from penalties.models import Penalty, PenaltyStatus
from penalties.selectors import approvals as selectors
from penalties.services import approvals as services
from penalties.services.notices import person_name
from staff.pagination import PAGE_SIZES, page_size


def _errors_into(form, exc: ValidationError, field: str | None = None) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, exc)


def sanction_names(codes) -> list[str]:
    return [sanction_name(code) for code in ladder_order(codes or [])]


def _labels(field: str) -> dict:
    """A penalty choice field's labels in the active language."""
    return {value: str(label) for value, label in Penalty._meta.get_field(field).flatchoices}


@login_required
@permission_required("penalties.decide_penalty", raise_exception=True)
def approval_inbox(request):
    page = selectors.approval_inbox_page(
        user=request.user, number=request.GET.get("page"), per_page=page_size(request)
    )
    # Choice labels looked up once for the page, not by get_<field>_display on each row.
    parties = _labels("party")
    tiers = _labels("required_tier")
    for penalty in page:
        penalty.sanction_names = sanction_names(penalty.sanctions)
        penalty.party_label = parties.get(penalty.party, penalty.party)
        penalty.tier_label = tiers.get(penalty.required_tier, penalty.required_tier)
    return render(
        request,
        "penalties/inbox.html",
        {
            "page": page,
            "page_sizes": PAGE_SIZES,
            "tier": selectors.user_tier(request.user),
        },
    )


def _report(request, result, action: str) -> None:
    count = len(result.done)
    if count and action == DecisionAction.APPROVE:
        text = ngettext("%(count)d penalty approved.", "%(count)d penalties approved.", count)
        messages.success(request, text % {"count": count})
    elif count:
        text = ngettext("%(count)d penalty rejected.", "%(count)d penalties rejected.", count)
        messages.success(request, text % {"count": count})
    for penalty_id, message in result.failed:
        text = _("Penalty #%(id)s was not decided: %(reason)s")
        messages.error(request, text % {"id": penalty_id, "reason": message})


def _next_url(request) -> str | None:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _confirm_page(request, form, penalties, action, missing):
    return render(
        request,
        "penalties/inbox_confirm.html",
        {
            "form": form,
            "penalties": penalties,
            "action": action,
            "missing": missing,
            "next": _next_url(request),
            "inbox_url": reverse("penalties:approval_inbox"),
        },
    )


@login_required
@permission_required("penalties.decide_penalty", raise_exception=True)
@require_POST
def approval_bulk(request):
    """Step 1 (from the inbox or a decision page): show what was chosen and ask for
    confirmation. Step 2 (``confirm`` posted): decide each one, report which failed."""
    form = BulkDecisionForm(request.POST)
    back = _next_url(request) or reverse("penalties:approval_inbox")
    if not form.is_valid():
        for error in form.errors.get("ids", []) + form.errors.get("action", []):
            messages.error(request, error)
        return redirect(back)
    ids = form.cleaned_data["ids"]
    action = form.cleaned_data["action"]
    if "confirm" not in request.POST:
        penalties = selectors.inbox_penalties_for_ids(user=request.user, ids=ids)
        return _confirm_page(request, form, penalties, action, len(ids) - len(penalties))
    comment = form.cleaned_data["comment"]
    # Decide what was confirmed; each is checked again, so one decided meanwhile or out of
    # authority is reported with its reason.
    penalties = selectors.penalties_for_ids(user=request.user, ids=ids)
    try:
        if action == DecisionAction.APPROVE:
            result = services.penalty_approve_many(
                penalties=penalties, approver=request.user, comment=comment
            )
        else:
            result = services.penalty_reject_many(
                penalties=penalties, approver=request.user, reason=comment
            )
    except ValidationError as exc:
        _errors_into(form, exc, "comment")
        return _confirm_page(request, form, penalties, action, 0)
    found = {p.pk for p in penalties}
    gone = _("It was not found.")
    result.failed.extend((pk, gone) for pk in ids if pk not in found)
    _report(request, result, action)
    return redirect(back)


def _with_names(penalty):
    penalty.sanction_names = sanction_names(penalty.sanctions)
    for transition in penalty.transitions.all():
        transition.actor_name = person_name(transition.actor)
    return penalty


@login_required
@permission_required("penalties.view_penalty", raise_exception=True)
def penalty_decision(request, pk: int):
    """One penalty with its violation, evidence, history and notices; the way to decide
    it (through the confirmation page) or, for HR, to void it."""
    penalty = _with_names(selectors.penalty_get_for_decision(user=request.user, penalty_id=pk))
    return _decision_page(request, penalty, VoidForm())


def _decision_page(request, penalty, void_form):
    decision_error = services.penalty_decision_error(penalty=penalty, user=request.user)
    can_void = (
        request.user.has_perm("penalties.void_penalty")
        and selectors.is_hr(request.user)
        and penalty.status in services.VOIDABLE
    )
    return render(
        request,
        "penalties/decision.html",
        {
            "penalty": penalty,
            "violation": penalty.violation,
            "sanction_names": penalty.sanction_names,
            "logged_by_name": person_name(penalty.violation.logged_by),
            "appeal": selectors.penalty_appeal_or_none(penalty),
            "can_decide": decision_error is None,
            "decision_blocker": (
                None
                if decision_error is None or penalty.status != PenaltyStatus.PENDING
                else " ".join(decision_error.messages)
            ),
            "can_void": can_void,
            "void_form": void_form,
        },
    )


@login_required
@permission_required("penalties.void_penalty", raise_exception=True)
@require_POST
def penalty_void(request, pk: int):
    penalty = _with_names(selectors.penalty_get_for_decision(user=request.user, penalty_id=pk))
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.penalty_void(
                penalty=penalty, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The penalty was voided."))
            return redirect("penalties:penalty_decision", pk=penalty.pk)
    return _decision_page(request, penalty, form)
