"""Forms for logging a violation (with its live preview) and for the HR violation list."""

from __future__ import annotations

from typing import NamedTuple

from django import forms
from django.db import models
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from conduct.models import Category, Rule, Rulebook, ViolationSource, ViolationStatus
from conduct.selectors.rulebooks import rulebook_version_in_force
from penalties.engine import SANCTIONS, summarize
from penalties.selectors.penalties import schedule_needs
from staff.forms import bootstrap_filter_widgets
from staff.models import Department, Employee, EmployeeStatus

IN_FUTURE = _("The violation cannot have happened in the future.")
BEFORE_HIRE = _("The violation cannot be before the employee's hire date (%(date)s).")
EMPLOYEE_LEFT = _("%(name)s has left the company; violations cannot be logged for them.")
AMOUNT_TO_THE_FEN = _("Amounts have at most two decimal places (to the fen).")
AMOUNT_NOT_A_NUMBER = _("Enter an amount in yuan, e.g. 150 or 150.50.")
CHOOSE_EMPLOYEE = _("Choose the employee (search by employee number or name).")
CHOOSE_RULE = _("Choose the rule that was broken.")
RULE_NOT_IN_RULEBOOK = _("The rule does not belong to the chosen rulebook.")
GIVE_TIME = _("Give the date and time of the violation.")
SANCTION_CHOICES = [(s.code, s.name) for s in SANCTIONS]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks type and size by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf", "multiple": True}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class PickedModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose form has already read the chosen object from the
    field's own queryset (``ViolationForm`` does, to build the pickers): cleaning returns
    that object instead of reading it a second time."""

    picked = None

    def to_python(self, value):
        picked = self.picked
        if (
            picked is not None
            and value not in self.empty_values
            and not isinstance(value, models.Model)
            and str(value) == str(picked.pk)
        ):
            return picked
        return super().to_python(value)


def current_version(rulebook: Rulebook):
    return rulebook_version_in_force(rulebook=rulebook, on=timezone.localdate())


class ViolationForm(forms.Form):
    """What the HR officer enters. The rule pickers list the version in force today; the
    service judges by the version in force on the day the violation happened."""

    employee = PickedModelChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.none(),
        error_messages={"required": CHOOSE_EMPLOYEE, "invalid_choice": CHOOSE_EMPLOYEE},
    )
    rulebook = PickedModelChoiceField(
        label=_("Rulebook"), queryset=Rulebook.objects.order_by("code"), required=True
    )
    category = PickedModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    rule = PickedModelChoiceField(
        label=_("Rule"),
        queryset=Rule.objects.none(),
        error_messages={"required": CHOOSE_RULE, "invalid_choice": CHOOSE_RULE},
    )
    occurred_at = forms.DateTimeField(
        label=_("Occurred at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": GIVE_TIME},
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=ViolationSource.choices, initial=ViolationSource.INSPECTION
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    level = forms.ChoiceField(label=_("Severity"), required=False, choices=[])
    chosen_amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    second_amount = forms.DecimalField(
        label=_("Second amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    involved_amount = forms.DecimalField(
        label=_("Amount involved"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1, initial=1)
    sanction_choice = forms.ChoiceField(label=_("Sanction"), required=False, choices=[])
    second_party_employee = PickedModelChoiceField(
        label=_("Responsible leader / shift manager"),
        queryset=Employee.objects.none(),
        required=False,
    )
    evidence_files = MultipleFileField(
        label=_("Evidence (JPG, PNG, PDF; ≤ 10 MB each)"), required=False
    )

    def __init__(self, *args, employees=None, preview: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview = preview
        employees = employees if employees is not None else Employee.objects.all()
        self.fields["employee"].queryset = employees.select_related("department", "supervisor")
        self.fields["second_party_employee"].queryset = employees.exclude(
            status=EmployeeStatus.LEFT
        )
        for name in ("chosen_amount", "second_amount", "involved_amount"):
            self.fields[name].error_messages["max_decimal_places"] = AMOUNT_TO_THE_FEN
            self.fields[name].error_messages["invalid"] = AMOUNT_NOT_A_NUMBER
            self.fields[name].widget.attrs.update({"step": "0.01", "min": "0"})
        self.rulebook_object = self._picked(Rulebook.objects.all(), "rulebook")
        self.version = current_version(self.rulebook_object) if self.rulebook_object else None
        if self.version is not None:
            self.fields["category"].queryset = self.version.categories.order_by("position")
            rules = self.version.rules.select_related("category", "version__rulebook").filter(
                is_active=True
            )
            self.category_object = self._picked(self.fields["category"].queryset, "category")
            if self.category_object is not None:
                rules = rules.filter(category=self.category_object)
            self.fields["rule"].queryset = rules.order_by("position")
        else:
            self.category_object = None
        self.rule_object = self._picked(self.fields["rule"].queryset, "rule")
        self.schedule = self.rule_object.parsed_schedule if self.rule_object else None
        self.needs = schedule_needs(self.schedule) if self.schedule else {}
        self.summary = summarize(self.schedule) if self.schedule else ""
        if self.needs.get("second_label"):
            self.fields["second_amount"].label = self.needs["second_label"]
        self.fields["second_amount"].widget.attrs["data-testid"] = "second-amount"
        self.fields["level"].choices = [("", _("Not given (the lowest level)"))] + [
            (lv["code"], lv["name"]) for lv in self.needs.get("levels", [])
        ]
        names = dict(SANCTION_CHOICES)
        self.fields["sanction_choice"].choices = [("", _("Choose by severity"))] + [
            (code, names[code]) for code in self.needs.get("sanction_choices", [])
        ]
        self.selected_employee = self._picked(self.fields["employee"].queryset, "employee")
        self.selected_leader = self._picked(
            self.fields["second_party_employee"].queryset, "second_party_employee"
        )
        for name, picked in (
            ("rulebook", self.rulebook_object),
            ("category", self.category_object),
            ("rule", self.rule_object),
            ("employee", self.selected_employee),
            ("second_party_employee", self.selected_leader),
        ):
            self.fields[name].picked = picked
        if preview:
            for name in ("source", "evidence_files", "occurred_at"):
                self.fields[name].required = False
        section = {
            "hx-get": reverse_lazy("conduct:violation_rule_section"),
            "hx-target": "#rule-section",
            "hx-swap": "outerHTML",
            "hx-include": "closest form",
            "hx-trigger": "change",
        }
        for name in ("rulebook", "category", "rule"):
            self.fields[name].widget.attrs.update(section, **{"data-testid": f"pick-{name}"})
        self.fields["rulebook"].empty_label = _("Choose a rulebook")
        self.fields["category"].empty_label = _("All categories")
        self.fields["rule"].empty_label = _("Choose a rule")

    def _picked(self, queryset, name):
        """The object chosen in a picker of the bound (or initial) data, if valid."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        if value in (None, ""):
            return None
        if hasattr(value, "pk"):
            value = value.pk
        try:
            return queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def clean_employee(self):
        employee = self.cleaned_data["employee"]
        if employee is not None and employee.status == EmployeeStatus.LEFT:
            raise forms.ValidationError(EMPLOYEE_LEFT, params={"name": employee.name})
        return employee

    def clean(self):
        data = super().clean()
        rule, rulebook = data.get("rule"), data.get("rulebook")
        if rule is not None and rulebook is not None and rule.version.rulebook_id != rulebook.pk:
            self.add_error("rule", RULE_NOT_IN_RULEBOOK)
        occurred_at = data.get("occurred_at")
        employee = data.get("employee")
        if occurred_at is not None:
            if occurred_at > timezone.now():
                self.add_error("occurred_at", IN_FUTURE)
            elif employee is not None:
                on = timezone.localtime(occurred_at).date()
                if on < employee.hire_date:
                    self.add_error(
                        "occurred_at",
                        forms.ValidationError(BEFORE_HIRE, params={"date": employee.hire_date}),
                    )
        # Inputs the chosen rule does not use are dropped, never passed on.
        needs = self.needs
        if not needs.get("amount"):
            data["chosen_amount"] = None
        if not needs.get("second_amount"):
            data["second_amount"] = None
        if not needs.get("involved"):
            data["involved_amount"] = None
        if not needs.get("quantity") or not data.get("quantity"):
            data["quantity"] = 1
        if not needs.get("leader"):
            data["second_party_employee"] = None
        if not needs.get("levels"):
            data["level"] = ""
        if not needs.get("sanction_choices"):
            data["sanction_choice"] = ""
        return data

    def service_kwargs(self) -> dict:
        """The keyword arguments of ``violation_log`` from the cleaned data."""
        data = self.cleaned_data
        return {
            "employee": data["employee"],
            "rule": data["rule"],
            "occurred_at": data["occurred_at"],
            "place": data.get("place", ""),
            "source": data.get("source") or ViolationSource.OTHER,
            "description": data.get("description", ""),
            "level": data.get("level") or None,
            "chosen_amount": data.get("chosen_amount"),
            "second_amount": data.get("second_amount"),
            "involved_amount": data.get("involved_amount"),
            "quantity": data.get("quantity") or 1,
            "second_party_employee": data.get("second_party_employee"),
            "sanction_choice": data.get("sanction_choice") or "",
            "evidence_files": data.get("evidence_files") or [],
        }

    def preview_kwargs(self) -> dict:
        kwargs = self.service_kwargs()
        for name in ("place", "source", "description", "evidence_files"):
            kwargs.pop(name)
        occurred_at = kwargs.pop("occurred_at") or timezone.now()
        kwargs["occurred_at"] = occurred_at
        kwargs["occurred_on"] = timezone.localtime(occurred_at).date()
        return kwargs


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for voiding"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Give the reason for voiding.")},
    )


SORT_CHOICES = [
    ("-occurred", _("Newest first")),
    ("occurred", _("Oldest first")),
    ("employee", _("Employee number")),
    ("rule", _("Rule")),
    ("-occurrence", _("Occurrence, highest first")),
    ("-logged", _("Logged, newest first")),
]


class PlainSelect(forms.Select):
    """A ``<select>`` written out in Python. Django renders every option through a
    template: with the 249 departments of a large company that was half of the list's
    rendering time."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = set(self.format_value(value))
        rows = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            rows.append(
                f'<option value="{conditional_escape(option_value)}"{selected}>'
                f"{conditional_escape(label)}</option>"
            )
        options = mark_safe("".join(rows))  # noqa: S308 - every value and label escaped above
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class _ListedChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.objects:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.objects) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.objects)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that reads its queryset once per form: cleaning the chosen
    value and rendering the options share the rows (Django's field queries for each)."""

    iterator = _ListedChoiceIterator

    def _set_queryset(self, queryset):
        self._objects = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    @property
    def objects(self) -> list:
        if self._objects is None:
            self._objects = list(self.queryset)
        return self._objects

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.objects:
            if str(getattr(obj, key)) == str(value):
                return obj
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class DepartmentOption(NamedTuple):
    """A department as the filter offers it: a row, not a model instance (a large company
    has hundreds of departments, and each instance costs more than its option)."""

    pk: int
    name: str
    code: str
    parent_id: int | None

    def __str__(self) -> str:
        return self.name


class _DepartmentChoiceIterator(_ListedChoiceIterator):
    def choice(self, obj):
        return (obj.pk, obj.name)


class DepartmentChoiceField(ListedModelChoiceField):
    """The department filter: its options are rows; the chosen one is cleaned into a
    ``Department`` (id, name, code and parent; no further query)."""

    iterator = _DepartmentChoiceIterator

    @property
    def objects(self) -> list[DepartmentOption]:
        if self._objects is None:
            self._objects = [
                DepartmentOption(*row)
                for row in self.queryset.values_list("pk", "name", "code", "parent_id")
            ]
        return self._objects

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            value = value.pk
        for option in self.objects:
            if str(option.pk) == str(value):
                return self.queryset.model.from_db(
                    self.queryset.db, ["id", "name", "code", "parent_id"], list(option)
                )
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ViolationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Employee number or name")}),
    )
    department = DepartmentChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        widget=PlainSelect,
    )
    rulebook = ListedModelChoiceField(
        label=_("Rulebook"),
        queryset=Rulebook.objects.only("id", "code", "name").order_by("code"),
        required=False,
        widget=PlainSelect,
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[], widget=PlainSelect
    )
    rule = forms.CharField(label=_("Rule number"), required=False, max_length=16)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ViolationStatus.choices],
        widget=PlainSelect,
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("All sources")), *ViolationSource.choices],
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=SORT_CHOICES, widget=PlainSelect
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        names = Category.objects.order_by("name").values_list("name", flat=True).distinct()
        self.fields["category"].choices = [("", _("All categories"))] + [
            (name, name) for name in names
        ]
        bootstrap_filter_widgets(self)

    def department_subtree_ids(self) -> set[int] | None:
        """The chosen department and every department below it, from the departments the
        form offers (a subtree of a visible department is visible): no second read."""
        department = (self.cleaned_data if self.is_bound and self.is_valid() else {}).get(
            "department"
        )
        if department is None:
            return None
        children: dict[int | None, list[int]] = {}
        for option in self.fields["department"].objects:
            children.setdefault(option.parent_id, []).append(option.pk)
        seen: set[int] = set()
        stack = [department.pk]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(children.get(current, ()))
        return seen
