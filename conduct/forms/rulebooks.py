"""Forms of the rulebook catalogue: search, new version, adoption evidence, rule editing,
Excel import. Rule forms show the engine's schedule errors at the schedule field and
refuse changes to a version that has taken effect, with the way forward."""

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conduct.models import Category, Rule, RulebookVersion
from conduct.services.rulebooks import (
    RULE_FIELDS_EDITABLE_IN_FORCE,
    ensure_version_editable,
)

NOT_XLSX = _("Upload an Excel workbook (.xlsx).")
FILE_TOO_BIG = _("The file is larger than %(size)s MB.")
MAX_UPLOAD_MB = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ScheduleJSONField(forms.JSONField):
    """The schedule as indented JSON (Chinese kept readable); the model's ``clean()``
    validates it with the engine."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}))
        kwargs.setdefault(
            "help_text",
            _("The penalty schedule in the format of docs/schedule-format.md (JSON)."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class RuleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Words in the rule, its title or number")}),
    )
    rulebook = forms.ChoiceField(label=_("Rulebook"), required=False)
    all_versions = forms.BooleanField(label=_("Include versions not in force"), required=False)

    def __init__(self, *args: Any, rulebooks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rulebook"].choices = [("", _("All rulebooks")), *rulebooks]


class VersionNextForm(forms.Form):
    label = forms.CharField(label=_("New version label"), max_length=64)
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=DateInput,
        help_text=_("Tomorrow at the earliest; the current version ends the day before."),
    )
    consultation_body = forms.CharField(
        label=_("Consulted body"),
        max_length=200,
        required=False,
        help_text=_("Workers' congress or all staff, and the union or staff representatives."),
    )
    consultation_date = forms.DateField(
        label=_("Consultation date"), required=False, widget=DateInput
    )
    publication_date = forms.DateField(
        label=_("Publication date"), required=False, widget=DateInput
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VersionEvidenceForm(forms.ModelForm):
    """Label, adoption evidence and notes: what may be completed at any time."""

    class Meta:
        model = RulebookVersion
        fields = (
            "label",
            "consultation_body",
            "consultation_date",
            "publication_date",
            "adoption_attachment",
            "notes",
        )
        widgets = {
            "consultation_date": DateInput,
            "publication_date": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class RuleForm(forms.ModelForm):
    """A rule of one version. In a version that has taken effect only the short title can
    change; a change to any other field (the schedule above all) is refused at the field
    with the message pointing to a new version."""

    schedule = ScheduleJSONField(label=_("Penalty schedule"))

    class Meta:
        model = Rule
        fields = ("category", "number", "title", "text", "schedule", "is_active")
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, version: RulebookVersion | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if version is None and self.instance.version_id is not None:
            version = self.instance.version
        self.version = version
        if version is not None:
            self.instance.version = version
        if "category" in self.fields:
            self.fields["category"].queryset = (
                Category.objects.filter(version=version).order_by("position")
                if version is not None
                else Category.objects.none()
            )
        self.started = version is not None and version.has_started(timezone.localdate())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        frozen = [name for name in self.changed_data if name not in RULE_FIELDS_EDITABLE_IN_FORCE]
        if frozen and self.version is not None:
            try:
                ensure_version_editable(self.version)
            except ValidationError as exc:
                self.add_error(frozen[0] if frozen[0] in self.fields else None, exc)
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("An .xlsx file exported from a rulebook version (sheets 版本, 分类, 规则)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    label = forms.CharField(
        label=_("Import as version"),
        max_length=64,
        required=False,
        help_text=_("Leave empty to keep the label in the file."),
    )
    effective_from = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty to keep the date in the file."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(NOT_XLSX, code="not_xlsx")
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(FILE_TOO_BIG, code="too_big", params={"size": MAX_UPLOAD_MB})
        return upload
