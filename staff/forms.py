from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department, Employee, EmployeeStatus
from .services import EMPLOYEE_FIELDS

AMOUNT_TO_THE_FEN = _("Amounts have at most two decimal places (to the fen).")
AMOUNT_NOT_A_NUMBER = _("Enter an amount in yuan, e.g. 3000 or 3000.50.")


class EmployeeForm(forms.ModelForm):
    class Meta:
        model = Employee
        fields = [name for name in EMPLOYEE_FIELDS if name != "user"]
        widgets = {
            "hire_date": forms.DateInput(attrs={"type": "date"}),
            "left_on": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "employee_no": {"unique": _("This employee number is already in use.")},
            "department": {"required": _("Choose the employee's department.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        self.fields["supervisor"].queryset = Employee.objects.exclude(
            status=EmployeeStatus.LEFT
        ).order_by("employee_no")
        for name in ("monthly_wage", "monthly_bonus"):
            self.fields[name].widget.attrs.update({"step": "0.01", "min": "0"})
            self.fields[name].error_messages["max_decimal_places"] = AMOUNT_TO_THE_FEN
            self.fields[name].error_messages["invalid"] = AMOUNT_NOT_A_NUMBER


class EmployeeFilterForm(forms.Form):
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
        label=_("Status"),
        choices=[("", _("All statuses")), *EmployeeStatus.choices],
        required=False,
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        bootstrap_filter_widgets(self)


def bootstrap_filter_widgets(form: forms.Form) -> None:
    """Filter bars are laid out by hand; give their widgets Bootstrap's classes."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")
