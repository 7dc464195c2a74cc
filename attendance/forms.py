"""Forms of attendance: the month filter, uploads and column mapping, leave."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.forms import bootstrap_filter_widgets
from staff.models import Department, Employee, EmployeeStatus

from .importing import FIELD_LABELS, FIELDS
from .models import HalfDay, LeaveKind, LeaveStatus
from .selectors import parse_month

MONTH_INVALID = _("Enter a month as YYYY-MM.")


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(MONTH_INVALID)
        return month


class MonthSheetFilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        bootstrap_filter_widgets(self)

    def chosen_month(self):
        default = timezone.localdate().replace(day=1)
        if not self.is_bound or not self.is_valid():
            return default
        return self.cleaned_data.get("month") or default


class ProcessMonthForm(forms.Form):
    month = MonthField(label=_("Month"))


class ClockUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Time-clock export (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )


class ColumnMappingForm(forms.Form):
    """Which column of the file holds each field."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "---------"), *((h, h) for h in headers if h)]
        for name in FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=FIELD_LABELS[name], choices=choices, required=False
            )
        bootstrap_filter_widgets(self)

    def mapping(self, fallback: dict[str, str]) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {name: fallback.get(name, "") for name in FIELDS}
        return {name: self.cleaned_data.get(name, "") for name in FIELDS}


class LeaveForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none())
    kind = forms.ChoiceField(label=_("Kind of leave"), choices=LeaveKind.choices)
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    start_half = forms.ChoiceField(
        label=_("Starting"),
        choices=[(HalfDay.AM, _("in the morning")), (HalfDay.PM, _("in the afternoon"))],
        initial=HalfDay.AM,
    )
    end_date = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    end_half = forms.ChoiceField(
        label=_("Ending"),
        choices=[(HalfDay.PM, _("at the end of the day")), (HalfDay.AM, _("at midday"))],
        initial=HalfDay.PM,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, employees=None, **kwargs):
        """``employees``: whom the user may enter leave for; ``None`` hides the field (own)."""
        super().__init__(*args, **kwargs)
        if employees is None:
            del self.fields["employee"]
        else:
            self.fields["employee"].queryset = employees.exclude(
                status=EmployeeStatus.LEFT
            ).order_by("employee_no")


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.TextInput())


class LeaveFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Employee number or name")}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *LeaveStatus.choices], required=False
    )
    to_decide = forms.BooleanField(label=_("Waiting for my decision"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_filter_widgets(self)
        self.fields["to_decide"].widget.attrs["class"] = "form-check-input"
