"""Admin of rulebooks, versions, categories and rules; every save goes through
``conduct.services.rulebooks``. A version that has taken effect is history: its categories
and rules are shown read-only (only a rule's short title can be corrected), and the page
says how to change a penalty (a new version)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import construct_instance
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conduct.forms.rulebooks import RuleForm, ScheduleJSONField
from conduct.models import Category, Rule, Rulebook, RulebookVersion
from conduct.services import rulebooks as services
from staff.admin import ServiceSavedAdmin

IN_FORCE_NOTICE = _(
    "Version %(label)s has been in force since %(date)s: its rules are history. To change a "
    "penalty, create a new version from a later date."
)


def _started(version: RulebookVersion | None) -> bool:
    return (
        version is not None and version.pk is not None and version.has_started(timezone.localdate())
    )


class VersionInline(admin.TabularInline):
    model = RulebookVersion
    fields = ("label", "effective_from", "effective_to", "consultation_body", "publication_date")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rulebook)
class RulebookAdmin(ServiceSavedAdmin):
    service_fields = services.RULEBOOK_FIELDS
    list_display = ("code", "name", "issuing_body", "points_budget")
    search_fields = ("code", "name", "name_en")
    inlines = (VersionInline,)

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def create(self, *, by, **fields):
        return services.rulebook_create(by=by, **fields)

    def update(self, obj, *, by, **fields):
        return services.rulebook_update(rulebook=obj, by=by, **fields)


class CategoryInline(admin.TabularInline):
    model = Category
    fields = ("position", "name", "name_en")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return not _started(obj) and super().has_add_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ("position",) if _started(obj) else ()


class RuleInlineForm(RuleForm):
    class Meta(RuleForm.Meta):
        fields = ("category", "number", "title", "text", "schedule", "is_active")
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3, "cols": 40}),
        }


class RuleInline(admin.StackedInline):
    model = Rule
    fk_name = "version"
    form = RuleInlineForm
    fields = ("category", "number", "title", "text", "schedule", "is_active")
    extra = 0
    can_delete = False
    classes = ("collapse",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        version = obj

        def __init__(form, *args, **kw):
            kw.setdefault("version", version)
            super(form_class, form).__init__(*args, **kw)

        # Declared fields that are read-only here go (the admin does it for its main
        # form, not for inlines).
        hidden = {
            name: None
            for name in self.get_readonly_fields(request, obj)
            if name in formset.form.declared_fields
        }
        form_class = type("VersionRuleForm", (formset.form,), {"__init__": __init__, **hidden})
        formset.form = form_class
        return formset

    def has_add_permission(self, request, obj=None):
        return obj is not None and not _started(obj) and super().has_add_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if _started(obj):
            return ("category", "number", "text", "schedule", "is_active")
        return ()


class RulebookVersionAddForm(forms.ModelForm):
    """A new (empty) version. The service checks it, by a dry run, instead of the model:
    a version after the latest one closes that one, which the model alone would see as
    an overlap."""

    class Meta:
        model = RulebookVersion
        fields = ("rulebook", *services.VERSION_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("rulebook"):
            return cleaned
        fields = {n: cleaned.get(n) for n in services.VERSION_FIELDS if n != "adoption_attachment"}
        try:
            with transaction.atomic():
                services.rulebook_version_create(rulebook=cleaned["rulebook"], **fields)
                transaction.set_rollback(True)
        except ValidationError as exc:
            self._update_errors(exc)
        return cleaned

    def _post_clean(self):
        self.instance = construct_instance(self, self.instance, self._meta.fields)


@admin.register(RulebookVersion)
class RulebookVersionAdmin(admin.ModelAdmin):
    list_display = (
        "rulebook",
        "label",
        "effective_from",
        "effective_to",
        "adopted",
        "catalogue_link",
    )
    list_filter = ("rulebook",)
    list_select_related = ("rulebook",)
    search_fields = ("label", "rulebook__name", "rulebook__code")
    inlines = (CategoryInline, RuleInline)
    fieldsets = (
        (None, {"fields": ("rulebook", "label", "effective_from", "effective_to")}),
        (
            _("Adoption evidence"),
            {
                "fields": (
                    "consultation_body",
                    "consultation_date",
                    "publication_date",
                    "adoption_attachment",
                )
            },
        ),
        (None, {"fields": ("notes",)}),
    )

    @admin.display(boolean=True, description=_("adoption evidence"))
    def adopted(self, obj):
        return obj.has_adoption_evidence

    @admin.display(description=_("catalogue"))
    def catalogue_link(self, obj):
        url = reverse("conduct:version_detail", args=[obj.rulebook.code, obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("View"))

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if _started(obj):
            return ("rulebook", "effective_from")
        return ("rulebook",)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = RulebookVersionAddForm
        return super().get_form(request, obj, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and _started(obj):
            messages.warning(
                request,
                IN_FORCE_NOTICE % {"label": obj.label, "date": obj.effective_from.isoformat()},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.rulebook_version_update(
                version=RulebookVersion.objects.get(pk=obj.pk), by=request.user, **data
            )
            obj.refresh_from_db()
        else:
            fields = {
                name: form.cleaned_data.get(name)
                for name in services.VERSION_FIELDS
                if name in form.cleaned_data
            }
            created = services.rulebook_version_create(
                rulebook=form.cleaned_data["rulebook"], by=request.user, **fields
            )
            obj.pk = created.pk
            obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        version = form.instance
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not hasattr(inline_form, "cleaned_data"):
                continue
            data = inline_form.cleaned_data
            instance = inline_form.instance
            if formset.model is Category:
                fields = {n: data[n] for n in ("position", "name", "name_en") if n in data}
                if instance.pk is None:
                    services.category_create(version=version, by=request.user, **fields)
                else:
                    changed = {n: fields[n] for n in inline_form.changed_data if n in fields}
                    services.category_update(
                        category=Category.objects.get(pk=instance.pk), by=request.user, **changed
                    )
            elif formset.model is Rule:
                names = ("category", "number", "title", "text", "schedule", "is_active")
                fields = {n: data[n] for n in names if n in data}
                if instance.pk is None:
                    services.rule_create(version=version, by=request.user, **fields)
                else:
                    changed = {n: fields[n] for n in inline_form.changed_data if n in fields}
                    services.rule_update(
                        rule=Rule.objects.get(pk=instance.pk), by=request.user, **changed
                    )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class RuleAdminForm(RuleForm):
    schedule = ScheduleJSONField(label=_("Penalty schedule"))

    class Meta(RuleForm.Meta):
        fields = ("category", "number", "title", "text", "schedule", "is_active")


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    form = RuleAdminForm
    list_display = ("number", "title", "category", "version", "is_active")
    list_filter = ("version__rulebook", "is_active")
    list_select_related = ("category", "version__rulebook")
    search_fields = ("number", "title", "text")
    ordering = ("version__rulebook__code", "-version__effective_from", "position")

    def has_add_permission(self, request):
        return False  # rules are added from their version (inline), or by import

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and _started(obj.version):
            return ("category", "number", "text", "schedule", "is_active")
        return ()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and obj is not None and _started(obj.version):
            messages.warning(
                request,
                IN_FORCE_NOTICE
                % {"label": obj.version.label, "date": obj.version.effective_from.isoformat()},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        fields = {n: form.cleaned_data[n] for n in form.changed_data if n in form.cleaned_data}
        services.rule_update(rule=Rule.objects.get(pk=obj.pk), by=request.user, **fields)
        obj.refresh_from_db()
