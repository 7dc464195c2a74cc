from django import forms
from django.utils.translation import gettext_lazy as _

from .models import JobKind


class JobForm(forms.Form):
    """What a "run in background" button posts: the kind and the month (and the format)."""

    kind = forms.ChoiceField(choices=JobKind.choices)
    month = forms.CharField(max_length=7)
    fmt = forms.ChoiceField(choices=[("xlsx", "xlsx"), ("csv", "csv")], required=False)

    def args(self) -> dict:
        data = {"month": self.cleaned_data["month"]}
        if self.cleaned_data.get("fmt"):
            data["fmt"] = self.cleaned_data["fmt"]
        return data


RUN_IN_BACKGROUND = _("Run in background")
