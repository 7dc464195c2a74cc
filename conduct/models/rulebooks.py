"""A rulebook (规章制度) in versions; each version holds its own categories and rules,
so a change never rewrites what judged yesterday's violations (domain.md §4)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from penalties.engine import Schedule, ScheduleError, Window, parse_schedule

VERSION_OVERLAP = _("Version %(label)s overlaps version %(other)s of the same rulebook.")
RULE_CATEGORY_ELSEWHERE = _("The category belongs to another version of the rulebook.")


class VersionStatus(models.TextChoices):
    """Where a version stands on a given day."""

    UPCOMING = "upcoming", _("Upcoming")
    IN_FORCE = "in_force", _("In force")
    ENDED = "ended", _("Ended")


class Rulebook(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    scope = models.CharField(_("scope"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    points_budget = models.PositiveSmallIntegerField(
        _("points budget"),
        null=True,
        blank=True,
        help_text=_("Points each employee holds per period (e.g. 12 a year); empty: no points."),
    )
    points_window = models.CharField(
        _("points period"),
        max_length=20,
        choices=[(w.value, w.value) for w in Window],
        default=Window.CALENDAR_YEAR.value,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rulebook")
        verbose_name_plural = _("rulebooks")
        ordering = ["code"]
        permissions = [
            ("manage_rulebooks", _("Can manage rulebooks: versions, rules, import and export")),
        ]

    def __str__(self) -> str:
        return self.name


class RulebookVersion(models.Model):
    """One version of a rulebook, in force from ``effective_from`` to ``effective_to``
    (inclusive; open-ended when empty). Versions of one rulebook never overlap."""

    rulebook = models.ForeignKey(
        Rulebook, verbose_name=_("rulebook"), on_delete=models.PROTECT, related_name="versions"
    )
    label = models.CharField(_("version"), max_length=64)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    # Adoption evidence (《劳动合同法》第四条: consulted with the workers' congress or all
    # staff, settled with the union, made known to employees).
    consultation_body = models.CharField(_("consulted body"), max_length=200, blank=True)
    consultation_date = models.DateField(_("consultation date"), null=True, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    adoption_attachment = models.FileField(
        _("adoption evidence"), upload_to="rulebooks/adoption/%Y/", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rulebook version")
        verbose_name_plural = _("rulebook versions")
        ordering = ["rulebook__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["rulebook", "label"], name="rulebook_version_label_unique"
            ),
            models.UniqueConstraint(
                fields=["rulebook", "effective_from"], name="rulebook_version_start_unique"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="rulebook_version_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["rulebook", "effective_from"], name="rbv_rulebook_from_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rulebook.name} {self.label}"

    @property
    def has_adoption_evidence(self) -> bool:
        return bool(self.consultation_body and self.consultation_date and self.publication_date)

    def has_started(self, on: date) -> bool:
        """True once the version took effect: from then on its rules are history."""
        return self.effective_from <= on

    def status_on(self, on: date) -> VersionStatus:
        if self.effective_from > on:
            return VersionStatus.UPCOMING
        if self.effective_to is not None and self.effective_to < on:
            return VersionStatus.ENDED
        return VersionStatus.IN_FORCE

    def clean(self) -> None:
        """Versions of one rulebook never overlap (the dates are inclusive)."""
        if self.rulebook_id is None or self.effective_from is None:
            return
        if self.effective_to is not None and self.effective_to < self.effective_from:
            return  # the check constraint reports it
        others = RulebookVersion.objects.filter(rulebook_id=self.rulebook_id).exclude(pk=self.pk)
        if self.effective_to is not None:
            others = others.filter(effective_from__lte=self.effective_to)
        others = others.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
        )
        other = others.order_by("effective_from").first()
        if other is not None:
            raise ValidationError(
                VERSION_OVERLAP,
                code="overlap",
                params={"label": self.label, "other": other.label},
            )


class Category(models.Model):
    version = models.ForeignKey(
        RulebookVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="category_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    version = models.ForeignKey(
        RulebookVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="rules"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="rules"
    )
    number = models.CharField(_("number"), max_length=16)
    position = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("short title"), max_length=200, blank=True)
    text = models.TextField(_("rule text"))
    schedule = models.JSONField(_("penalty schedule"), default=dict)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="rule_number_unique"),
        ]
        indexes = [models.Index(fields=["category", "position"], name="rule_category_pos_idx")]

    def __str__(self) -> str:
        return f"第{self.number}条 {self.title}".strip()

    def clean(self) -> None:
        """The schedule follows the format (the engine's messages, one per bad field) and
        the category is one of the rule's own version."""
        errors: dict[str, list] = {}
        try:
            parse_schedule(self.schedule)
        except ScheduleError as exc:
            errors["schedule"] = [
                ValidationError(f"{path}: {message}" if path else message, code="schedule")
                for path, message in exc.errors
            ]
        if (
            self.category_id is not None
            and self.version_id is not None
            and self.category.version_id != self.version_id
        ):
            errors["category"] = [ValidationError(RULE_CATEGORY_ELSEWHERE, code="category")]
        if errors:
            raise ValidationError(errors)

    @property
    def parsed_schedule(self) -> Schedule:
        """The schedule as the engine's value (validated when the rule was saved)."""
        cached = self.__dict__.get("_parsed_schedule")
        if cached is None:
            cached = parse_schedule(self.schedule)
            self.__dict__["_parsed_schedule"] = cached
        return cached
