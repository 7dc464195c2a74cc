from django import forms
from django.utils.translation import gettext_lazy as _

from staff.forms import bootstrap_filter_widgets


class LineFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Employee number or name")}),
    )
    capped = forms.BooleanField(label=_("Capped only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_filter_widgets(self)
        self.fields["capped"].widget.attrs["class"] = "form-check-input"


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen this month"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
