"""The HR list of penalties (approval screens live in approvals.py)."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from penalties.models import PenaltyParty, PenaltyStatus
from penalties.selectors.penalties import penalty_list as select_penalties
from penalties.tiers import Tier
from staff.forms import bootstrap_filter_widgets
from staff.models import Department
from staff.pagination import PAGE_SIZES, paginate
from staff.selectors import departments_visible_to


class PenaltyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Employee number or name")}),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *PenaltyStatus.choices]
    )
    party = forms.ChoiceField(
        label=_("Liable party"),
        required=False,
        choices=[("", _("All parties")), *PenaltyParty.choices],
    )
    tier = forms.ChoiceField(
        label=_("Approval needed from"), required=False, choices=[("", _("Any")), *Tier.choices]
    )
    needs_review = forms.BooleanField(label=_("Needs review"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("-amount", _("Amount, highest first")),
            ("-occurred", _("Occurred, newest first")),
        ],
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        bootstrap_filter_widgets(self)
        self.fields["needs_review"].widget.attrs["class"] = "form-check-input"


@login_required
@permission_required("penalties.view_penalty", raise_exception=True)
def penalty_list(request):
    departments = departments_visible_to(request.user).order_by("code")
    form = PenaltyFilterForm(request.GET or None, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {}
    penalties = select_penalties(
        user=request.user,
        search=filters.get("q", ""),
        department=filters.get("department"),
        status=filters.get("status", ""),
        party=filters.get("party", ""),
        tier=filters.get("tier", ""),
        needs_review=bool(filters.get("needs_review")),
        sort=filters.get("sort") or "-created",
    )
    return render(
        request,
        "penalties/penalty_list.html",
        {"form": form, "page": paginate(request, penalties), "page_sizes": PAGE_SIZES},
    )
