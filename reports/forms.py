"""Filter forms of the charts and reports (GET forms; an invalid value falls back to the
default, as the other apps' list filters do)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from payroll.months import parse_month
from staff.forms import bootstrap_filter_widgets
from staff.models import Department

MONTH_INVALID = _("Enter a month as YYYY-MM.")
PERIODS = (12, 6, 3)


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (an ``<input type=month>``), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(MONTH_INVALID) from None


class _DepartmentMixin:
    def _departments(self, departments) -> None:
        if departments is not None:
            self.fields["department"].queryset = departments
        bootstrap_filter_widgets(self)

    def valid_data(self) -> dict:
        """The fields that are valid: a bad one falls back to its default alone."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data


class ChartFilterForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        initial=PERIODS[0],
        choices=[(n, _("Last %(n)s months") % {"n": n}) for n in PERIODS],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_filter_widgets(self)

    def chosen_months(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("months"):
            return self.cleaned_data["months"]
        return PERIODS[0]


class MonthSummaryForm(_DepartmentMixin, forms.Form):
    month = MonthField(label=_("Month"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._departments(departments)

    def filters(self, *, today: date) -> dict:
        data = self.valid_data()
        return {
            "month": data.get("month") or today.replace(day=1),
            "department": data.get("department"),
        }


class YearToDateForm(_DepartmentMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Employee number or name")}),
    )
    everyone = forms.BooleanField(
        label=_("Include employees with nothing this year"), required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("employee", _("Employee number")),
            ("-violations", _("Violations, most first")),
            ("-fines", _("Fines, highest first")),
            ("-rewards", _("Rewards, highest first")),
        ],
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._departments(departments)
        self.fields["everyone"].widget.attrs["class"] = "form-check-input"

    def filters(self, *, today: date) -> dict:
        data = self.valid_data()
        return {
            "year": data.get("year") or today.year,
            "department": data.get("department"),
            "search": data.get("q", ""),
            "everyone": bool(data.get("everyone")),
            "sort": data.get("sort") or "employee",
        }
