"""Forms of the approval, notice and appeal screens. They parse input only; the rules
(who may decide, windows, amounts) are checked by the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from penalties.models import AppealOutcome

BAD_MONTH = _("Give a month as YYYY-MM.")
NOTHING_CHOSEN = _("Choose at least one penalty.")


class IdListField(forms.Field):
    """Several ids posted under one name (checkboxes, hidden inputs)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, (str, int)):
            value = [value]
        try:
            ids = [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(NOTHING_CHOSEN, code="invalid") from None
        return list(dict.fromkeys(i for i in ids if i > 0))

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(NOTHING_CHOSEN, code="required")


class DecisionAction:
    APPROVE = "approve"
    REJECT = "reject"
    CHOICES = [(APPROVE, _("Approve")), (REJECT, _("Reject"))]


class BulkDecisionForm(forms.Form):
    """The inbox's selection, then (with ``confirm``) the decision on it."""

    ids = IdListField()
    action = forms.ChoiceField(choices=DecisionAction.CHOICES, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment (a reason is required to reject)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for voiding"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why you appeal"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what you think is wrong with the decision, and why."),
    )
    files = MultipleFileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("JPG, PNG or PDF, up to 10 MB each."),
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    new_amount = forms.DecimalField(
        label=_("New amount (when reduced)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
    )

    def clean_month(self) -> date:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            today = timezone.localdate()
            return today.replace(day=1)
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(BAD_MONTH, code="invalid") from None
