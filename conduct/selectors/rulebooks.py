"""Reads of the code of conduct."""

from datetime import date

from django.db.models import Q, QuerySet

from conduct.models import Rule, Rulebook, RulebookVersion


def rulebook_version_in_force(*, rulebook: Rulebook, on: date) -> RulebookVersion | None:
    """The version that judges what happened on ``on`` (None before the first one)."""
    return (
        RulebookVersion.objects.filter(rulebook=rulebook, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )


def rules_of_version(version: RulebookVersion) -> QuerySet[Rule]:
    return version.rules.select_related("category").order_by("position")
