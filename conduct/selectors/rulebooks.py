"""Reads of the code of conduct.

The catalogue is public inside the company (every login may read it: 《劳动合同法》第四条
wants the rules made known), so these selectors scope by existence only: a missing
rulebook, version or rule is a 404.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from conduct.models import Category, Rule, Rulebook, RulebookVersion
from penalties.engine import (
    Basis,
    MoneyKind,
    Party,
    Schedule,
    ScheduleError,
    parse_schedule,
    sanction_name,
    summarize,
)
from penalties.engine.summary import step_text, trigger_text
from penalties.engine.windows import window_counting
from staff.models import CompanySettings

NO_ADOPTION_EVIDENCE = _(
    "Version %(label)s is in force without adoption evidence (consulted body, consultation "
    "date and publication date): under Article 4 of the Labour Contract Law only rules that "
    "went through the democratic procedure and were made known bind employees."
)
FINES_UNLAWFUL = _(
    "This rulebook imposes fines (罚款), and the company's region treats company fines on "
    "staff as unlawful: prefer bonus or performance-pay reductions under a published pay "
    "system."
)

# --- presentation of a schedule (pure) -------------------------------------------------


@dataclass(frozen=True)
class Badge:
    label: str | Promise
    kind: str  # a CSS-friendly name: sanction, points, party, ladder, trigger, money
    title: str = ""


@dataclass(frozen=True)
class RuleCard:
    """What the catalogue shows for a rule: the plain-language summary (the engine's
    ``summarize`` without the schedule's note), the note apart, and badges."""

    rule: Rule
    summary: str
    note: str
    badges: tuple[Badge, ...]
    error: str = ""


PARTY_BADGES = {
    Party.DEPARTMENT: _("Department liable"),
    Party.SUPERVISOR: _("Supervisor liable"),
    Party.LEADER: _("Leader liable"),
}
MONEY_BADGES = {
    MoneyKind.FINE: _("Fine"),
    MoneyKind.COMPENSATION: _("Compensation"),
    MoneyKind.BONUS_REDUCTION: _("Bonus reduction"),
    MoneyKind.ABSENCE_CUT: _("Absence pay cut"),
    MoneyKind.REWARD: _("Reward"),
}


def _charges(schedule: Schedule):
    for step in schedule.steps:
        yield from step.charges
    for trigger in schedule.triggers:
        yield from trigger.charges


def schedule_sanctions(schedule: Schedule) -> list[str]:
    """Every sanction code a schedule can impose, in order of appearance."""
    codes: list[str] = []
    for step in schedule.steps:
        codes.extend(step.sanctions)
        codes.extend(step.sanction_choices)
        for level in step.levels:
            codes.extend(level.sanctions)
    for trigger in schedule.triggers:
        codes.extend(trigger.sanctions)
    return list(dict.fromkeys(codes))


def schedule_has_fines(schedule: Schedule) -> bool:
    """True when any charge of the schedule is a fine (罚款), whoever pays it."""
    return any(charge.money_kind is MoneyKind.FINE for charge in _charges(schedule))


def schedule_badges(schedule: Schedule) -> tuple[Badge, ...]:
    badges: list[Badge] = []
    kinds = list(dict.fromkeys(charge.money_kind for charge in _charges(schedule)))
    badges.extend(Badge(MONEY_BADGES[kind], "money") for kind in kinds)
    if not kinds:
        badges.append(Badge(_("No money"), "money"))
    if any(charge.basis is Basis.RANGE for charge in _charges(schedule)) or any(
        step.levels for step in schedule.steps
    ):
        badges.append(Badge(_("By severity"), "severity"))
    sanctions = schedule_sanctions(schedule)
    if sanctions:
        names = "、".join(sanction_name(code) for code in sanctions)
        badges.append(Badge(_("Sanctions"), "sanction", names))
    points = max((step.points for step in schedule.steps), default=0)
    if points:
        badges.append(Badge(_("%(points)s points") % {"points": points}, "points"))
    parties = list(
        dict.fromkeys(
            charge.party for charge in _charges(schedule) if charge.party is not Party.EMPLOYEE
        )
    )
    badges.extend(Badge(PARTY_BADGES[party], "party") for party in parties)
    if schedule.is_ladder:
        badges.append(Badge(_("Escalates"), "ladder"))
    if schedule.triggers:
        badges.append(Badge(_("Accumulation"), "trigger"))
    return tuple(badges)


def schedule_summary(schedule: Schedule) -> tuple[str, str]:
    """(summary, note): the engine's summary without the note, and the note."""
    return summarize(dataclasses.replace(schedule, note="")), schedule.note


@dataclass(frozen=True)
class Section:
    category: Category
    cards: list[RuleCard]


def version_sections(*, categories: list[Category]) -> list[Section]:
    """Each category (with ``rule_list`` loaded) and the cards of its rules."""
    return [
        Section(category=category, cards=[rule_card(rule) for rule in category.rule_list])
        for category in categories
    ]


@dataclass(frozen=True)
class StepLine:
    occurrences: str
    text: str


def schedule_breakdown(rule: Rule) -> dict:
    """The schedule step by step, in words, for a rule's page."""
    try:
        schedule = rule.parsed_schedule
    except ScheduleError:
        return {"steps": [], "triggers": [], "counting": "", "note": ""}
    steps = []
    for index, step in enumerate(schedule.steps):
        last = index == len(schedule.steps) - 1
        if len(schedule.steps) == 1:
            occurrences = str(_("Every occurrence"))
        elif last:
            occurrences = str(_("Occurrence %(n)s and later") % {"n": step.occurrence_from})
        else:
            occurrences = str(_("Occurrence %(n)s") % {"n": step.occurrence_from})
        steps.append(StepLine(occurrences=occurrences, text=step_text(step)))
    return {
        "steps": steps,
        "triggers": [trigger_text(trigger) for trigger in schedule.triggers],
        "counting": window_counting(schedule.window, schedule.window_days)
        if schedule.is_ladder
        else "",
        "note": schedule.note,
    }


def rule_card(rule: Rule) -> RuleCard:
    try:
        schedule = rule.parsed_schedule
    except ScheduleError as exc:  # saved before validation existed: show, do not crash
        return RuleCard(rule=rule, summary="", note="", badges=(), error=str(exc))
    summary, note = schedule_summary(schedule)
    return RuleCard(rule=rule, summary=summary, note=note, badges=schedule_badges(schedule))


# --- versions -------------------------------------------------------------------------


def in_force_filter(on: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}effective_from__lte": on}) & (
        Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": on})
    )


def rulebook_version_in_force(*, rulebook: Rulebook, on: date) -> RulebookVersion | None:
    """The version that judges what happened on ``on`` (None before the first one)."""
    return (
        RulebookVersion.objects.filter(rulebook=rulebook)
        .filter(in_force_filter(on))
        .order_by("-effective_from")
        .first()
    )


def rules_of_version(version: RulebookVersion) -> QuerySet[Rule]:
    return version.rules.select_related("category").order_by("position")


def versions_with_fines(version_ids: Iterable[int]) -> set[int]:
    """The versions (of those given) with at least one rule whose schedule fines, in one
    query."""
    found: set[int] = set()
    rows = Rule.objects.filter(version_id__in=list(version_ids)).values_list(
        "version_id", "schedule"
    )
    for version_id, data in rows:
        if version_id in found:
            continue
        try:
            if schedule_has_fines(parse_schedule(data)):
                found.add(version_id)
        except ScheduleError:
            continue
    return found


def version_warnings(
    *, version: RulebookVersion, has_fines: bool, company: CompanySettings, on: date
) -> list[str]:
    """What HR must see about a version: in force without adoption evidence; fines where
    the region treats them as unlawful."""
    warnings: list[str] = []
    if version.status_on(on) == "in_force" and not version.has_adoption_evidence:
        warnings.append(str(NO_ADOPTION_EVIDENCE % {"label": version.label}))
    if has_fines and company.fines_unlawful_in_region:
        warnings.append(str(FINES_UNLAWFUL))
    return warnings


# --- the catalogue ----------------------------------------------------------------------


@dataclass
class CatalogueEntry:
    rulebook: Rulebook
    version: RulebookVersion | None  # in force today
    upcoming: RulebookVersion | None  # the next one, if already made
    versions: list[RulebookVersion]
    warnings: list[str]

    @property
    def shown(self) -> RulebookVersion | None:
        return self.version or self.upcoming or (self.versions[0] if self.versions else None)


def rulebook_catalogue(*, on: date) -> list[CatalogueEntry]:
    """Every rulebook with its versions (newest first, each with ``rule_count``), the one
    in force on ``on``, the next one and the warnings; four queries whatever the size."""
    versions = RulebookVersion.objects.annotate(rule_count=Count("rules")).order_by(
        "-effective_from"
    )
    rulebooks = list(
        Rulebook.objects.prefetch_related(
            Prefetch("versions", queryset=versions, to_attr="version_list")
        ).order_by("code")
    )
    entries = []
    for rulebook in rulebooks:
        in_force = next((v for v in rulebook.version_list if v.status_on(on) == "in_force"), None)
        upcoming = [v for v in rulebook.version_list if v.effective_from > on]
        entries.append(
            CatalogueEntry(
                rulebook=rulebook,
                version=in_force,
                upcoming=upcoming[-1] if upcoming else None,
                versions=rulebook.version_list,
                warnings=[],
            )
        )
    shown = [entry.shown for entry in entries if entry.shown is not None]
    fines = versions_with_fines(v.pk for v in shown)
    company = CompanySettings.get()
    for entry in entries:
        if entry.shown is not None:
            entry.warnings = version_warnings(
                version=entry.shown, has_fines=entry.shown.pk in fines, company=company, on=on
            )
    return entries


def rulebook_get(*, code: str) -> Rulebook:
    rulebook = Rulebook.objects.filter(code=code).first()
    if rulebook is None:
        raise Http404
    return rulebook


def rulebook_versions(*, rulebook: Rulebook) -> list[RulebookVersion]:
    """The rulebook's versions, newest first, each with ``rule_count``."""
    return list(rulebook.versions.annotate(rule_count=Count("rules")).order_by("-effective_from"))


def rulebook_version_get(*, rulebook: Rulebook, version_id: int) -> RulebookVersion:
    version = (
        RulebookVersion.objects.select_related("rulebook")
        .filter(rulebook=rulebook, pk=version_id)
        .first()
    )
    if version is None:
        raise Http404
    return version


def rulebook_version_shown(*, rulebook: Rulebook, on: date) -> RulebookVersion:
    """The version a rulebook's page opens on: in force, else the next, else the last."""
    versions = rulebook.versions.select_related("rulebook")
    version = (
        versions.filter(in_force_filter(on)).order_by("-effective_from").first()
        or versions.filter(effective_from__gt=on).order_by("effective_from").first()
        or versions.order_by("-effective_from").first()
    )
    if version is None:
        raise Http404
    return version


def rulebook_version_by_label(*, code: str, label: str | None, on: date) -> RulebookVersion:
    """For the commands: a version by label, or the one a rulebook's page opens on."""
    rulebook = rulebook_get(code=code)
    if not label:
        return rulebook_version_shown(rulebook=rulebook, on=on)
    version = RulebookVersion.objects.select_related("rulebook").filter(
        rulebook=rulebook, label=label
    )
    found = version.first()
    if found is None:
        raise Http404
    return found


def version_categories(*, version: RulebookVersion) -> list[Category]:
    """The version's categories in order, each with ``rule_list`` (rules in order, with
    their category and version already attached): two queries."""
    rules = Rule.objects.order_by("position")
    categories = list(
        version.categories.order_by("position").prefetch_related(
            Prefetch("rules", queryset=rules, to_attr="rule_list")
        )
    )
    for category in categories:
        category.version = version
        for rule in category.rule_list:
            rule.version = version
            rule.category = category
    return categories


def version_has_fines(*, version: RulebookVersion, categories: list[Category]) -> bool:
    """From rules already loaded (no query)."""
    for category in categories:
        for rule in category.rule_list:
            try:
                if schedule_has_fines(rule.parsed_schedule):
                    return True
            except ScheduleError:
                continue
    return False


def rule_get(*, rule_id: int) -> Rule:
    rule = Rule.objects.select_related("version__rulebook", "category").filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    return rule


# --- search ---------------------------------------------------------------------------


def rule_search(
    *, q: str, on: date, rulebook_code: str = "", all_versions: bool = False
) -> QuerySet[Rule]:
    """Rules whose text, short title, number or category name contains ``q`` (case
    insensitive), in the versions in force on ``on`` unless ``all_versions``."""
    q = q.strip()
    if not q:
        return Rule.objects.none()
    qs = Rule.objects.select_related("version__rulebook", "category").filter(
        Q(text__icontains=q)
        | Q(title__icontains=q)
        | Q(number__iexact=q)
        | Q(category__name__icontains=q)
    )
    if rulebook_code:
        qs = qs.filter(version__rulebook__code=rulebook_code)
    if not all_versions:
        qs = qs.filter(in_force_filter(on, "version__"))
    return qs.order_by("version__rulebook__code", "-version__effective_from", "position")


def rulebook_choices() -> list[tuple[str, str]]:
    return list(Rulebook.objects.order_by("code").values_list("code", "name"))
