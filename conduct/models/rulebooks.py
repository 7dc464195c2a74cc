"""A rulebook (规章制度) in versions; each version holds its own categories and rules,
so a change never rewrites what judged yesterday's violations (domain.md §4)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from penalties.engine import Schedule, Window, parse_schedule


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

    @property
    def parsed_schedule(self) -> Schedule:
        """The schedule as the engine's value (validated when the rule was saved)."""
        cached = self.__dict__.get("_parsed_schedule")
        if cached is None:
            cached = parse_schedule(self.schedule)
            self.__dict__["_parsed_schedule"] = cached
        return cached
