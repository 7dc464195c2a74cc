"""Forms of the reward screens. They parse and show; the services and ``rewards.pricing``
decide (a form never computes an amount)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conduct.forms.violations import MultipleFileField
from penalties.engine import summarize
from rewards.models import AwardSource, AwardStatus, RewardSettings, ServiceStarNomination
from rewards.pricing import type_needs
from rewards.selectors import first_of_month, previous_month, reward_types_in_force
from staff.forms import bootstrap_filter_widgets
from staff.models import Department, Employee, EmployeeStatus

AMOUNT_TO_THE_FEN = _("Amounts have at most two decimal places (to the fen).")
AMOUNT_NOT_A_NUMBER = _("Enter an amount in yuan, e.g. 500 or 500.50.")
CHOOSE_TYPE = _("Choose the reward.")
CHOOSE_EMPLOYEE = _("Choose the employee (search by employee number or name).")
GIVE_DATE = _("Give the date of the award.")
GIVE_REASON = _("Give the reason.")
BAD_MONTH = _("Give the month as YYYY-MM.")


def _money_field(label) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=12, decimal_places=2
    )
    field.error_messages["max_decimal_places"] = AMOUNT_TO_THE_FEN
    field.error_messages["invalid"] = AMOUNT_NOT_A_NUMBER
    field.widget.attrs.update({"step": "0.01", "min": "0"})
    return field


class RewardTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.version.rulebook.name} · {obj.name}"


class AwardForm(forms.Form):
    """What HR enters. The reward list is the catalogue in force today; the service
    prices by the version in force on the award's date."""

    reward_type = RewardTypeChoiceField(
        label=_("Reward"),
        queryset=None,
        error_messages={"required": CHOOSE_TYPE, "invalid_choice": CHOOSE_TYPE},
    )
    employee = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.none(),
        required=False,
        error_messages={"invalid_choice": CHOOSE_EMPLOYEE},
    )
    department = forms.ModelChoiceField(
        label=_("Department or team"), queryset=Department.objects.none(), required=False
    )
    awarded_on = forms.DateField(
        label=_("Awarded on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": GIVE_DATE},
    )
    chosen_amount = _money_field(_("Amount"))
    involved_amount = _money_field(_("Amount the percentage is of"))
    certificate = forms.CharField(
        label=_("Certificate or title"),
        max_length=200,
        required=False,
        help_text=_("Printed on the notice; empty: what the regulation names, if anything."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": GIVE_REASON},
    )
    evidence_files = MultipleFileField(
        label=_("Evidence (JPG, PNG, PDF; ≤ 10 MB each)"), required=False
    )

    def __init__(self, *args, employees=None, departments=None, preview: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.preview = preview
        self.fields["reward_type"].queryset = reward_types_in_force(today)
        self.fields["reward_type"].empty_label = _("Choose a reward")
        self.fields["employee"].queryset = (
            employees if employees is not None else Employee.objects.all()
        ).select_related("department")
        self.fields["department"].queryset = (
            (departments if departments is not None else Department.objects.all())
            .filter(is_active=True)
            .order_by("code")
        )
        self.fields["awarded_on"].initial = today
        if preview:
            for name in ("reason", "awarded_on"):
                self.fields[name].required = False
        self.type_object = self._picked(self.fields["reward_type"].queryset, "reward_type")
        self.needs = type_needs(self.type_object) if self.type_object else None
        self.summary = summarize(self.type_object.parsed_schedule) if self.type_object else ""
        self.selected_employee = self._picked(self.fields["employee"].queryset, "employee")
        self.fields["reward_type"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("rewards:award_type_section"),
                "hx-target": "#type-section",
                "hx-swap": "outerHTML",
                "hx-include": "closest form",
                "hx-trigger": "change",
                "data-testid": "pick-reward-type",
            }
        )
        self.fields["department"].widget.attrs["data-testid"] = "pick-department"
        if self.type_object and self.type_object.consequences:
            self.fields["certificate"].widget.attrs["placeholder"] = ";".join(
                self.type_object.consequences
            )

    def _picked(self, queryset, name):
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        if value in (None, ""):
            return None
        try:
            return queryset.filter(pk=int(getattr(value, "pk", value))).first()
        except (TypeError, ValueError):
            return None

    @property
    def to_department(self) -> bool:
        return bool(self.type_object and self.type_object.is_department_only)

    def clean(self):
        data = super().clean()
        needs = self.needs
        # Inputs the chosen reward does not use are dropped, never passed on.
        if needs is None or not needs.amount:
            data["chosen_amount"] = None
        if needs is None or not needs.involved:
            data["involved_amount"] = None
        if self.to_department:
            data["employee"] = None
        else:
            data["department"] = None
        employee = data.get("employee")
        if employee is not None and employee.status == EmployeeStatus.LEFT:
            self.add_error(
                "employee",
                forms.ValidationError(
                    _("%(name)s has left the company; awards cannot be logged for them."),
                    params={"name": employee.name},
                ),
            )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "reward_type": data["reward_type"],
            "employee": data.get("employee"),
            "department": data.get("department"),
            "awarded_on": data["awarded_on"],
            "chosen_amount": data.get("chosen_amount"),
            "involved_amount": data.get("involved_amount"),
            "certificate": data.get("certificate") or None,
            "reason": data.get("reason", ""),
            "evidence_files": data.get("evidence_files") or [],
        }


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": GIVE_REASON},
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for voiding"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Give the reason for voiding.")},
    )


class MonthField(forms.DateField):
    """A month as ``YYYY-MM`` (an ``<input type=month>``), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": BAD_MONTH}

    def to_python(self, value):
        day = super().to_python(value)
        return first_of_month(day) if day else day


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)

    def month_or(self, default: date) -> date:
        if self.is_valid() and self.cleaned_data.get("month"):
            return self.cleaned_data["month"]
        return first_of_month(default)


class NominationForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Nominee"),
        queryset=Employee.objects.none(),
        error_messages={"required": CHOOSE_EMPLOYEE, "invalid_choice": CHOOSE_EMPLOYEE},
    )
    month = forms.ChoiceField(label=_("Month"))
    reason = forms.CharField(
        label=_("Why this person"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give the reason for the nomination.")},
    )

    def __init__(self, *args, candidates=None, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        this, last = first_of_month(today), previous_month(today)
        self.fields["month"].choices = [
            (this.isoformat(), f"{this.year}年{this.month}月"),
            (last.isoformat(), f"{last.year}年{last.month}月"),
        ]
        self.fields["month"].initial = this.isoformat()
        if candidates is not None:
            self.fields["employee"].queryset = candidates
        self.fields["employee"].label_from_instance = lambda e: (
            f"{e.employee_no} {e.name} · {e.department.name}"
        )
        self.fields["employee"].widget.attrs["data-testid"] = "pick-nominee"
        self.fields["employee"].empty_label = _("Choose the nominee")

    def clean_month(self) -> date:
        return date.fromisoformat(self.cleaned_data["month"])


class SelectionForm(forms.Form):
    nominations = forms.ModelMultipleChoiceField(
        label=_("Nominees"),
        queryset=ServiceStarNomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one nominee.")},
    )

    def __init__(self, *args, open_nominations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if open_nominations is not None:
            self.fields["nominations"].queryset = open_nominations


class LongServiceConfirmForm(forms.Form):
    employee = forms.ModelChoiceField(queryset=Employee.objects.none())
    month = MonthField()

    def __init__(self, *args, employees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employees is not None:
            self.fields["employee"].queryset = employees


class AwardFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Employee, department or reward")}),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *AwardStatus.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *AwardSource.choices]
    )
    month = MonthField(label=_("Month"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("-awarded", _("Newest first")),
            ("awarded", _("Oldest first")),
            ("-amount", _("Amount, highest first")),
            ("-logged", _("Logged, newest first")),
        ],
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        bootstrap_filter_widgets(self)


class RewardSettingsForm(forms.ModelForm):
    class Meta:
        model = RewardSettings
        fields = [
            "service_star_winners",
            "service_star_rulebook",
            "service_star_code",
            "long_service_rulebook",
            "long_service_code",
            "long_service_years",
        ]
