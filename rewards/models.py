"""Rewards (奖励): the catalogue of reward types per rulebook version, awards and their
approval, the numbered reward notice, the monthly service-star nominations, and the
settings row.

An award is priced by the penalty engine from its type's schedule (``money_kind:
reward``) and keeps the priced lines as a snapshot, so a later rulebook version never
rewrites it. Its status moves only in ``rewards.services``:

    pending ──approve──▶ approved ──void (HR, month open)──▶ voided
       │ └──void──▶ voided
       └──reject──▶ rejected

Approved awards of a person are payroll additions of the month of ``awarded_on``
(``rewards.selectors.payroll_awards``); a department's or team's award goes to its fund,
not to anyone's pay.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conduct.models.evidence import EvidenceFile, evidence_file
from conduct.models.voided import Voided, void_recorded
from penalties.engine import Schedule, ScheduleError, parse_schedule
from penalties.models.decided import Decided, decider, decision_recorded
from penalties.models.tiered import required_tier
from penalties.tiers import Tier
from staff.singleton import SingletonSettings, singleton

MONEY = {"max_digits": 12, "decimal_places": 2}
NOTICE_PREFIX = "JL"
DEFAULT_SERVICE_STAR_WINNERS = 3

REWARD_ONLY = _("A reward type pays rewards only: every charge needs money_kind: reward.")
REWARD_PARTIES = _("A reward goes to the employee or to their department, not to %(party)s.")
REWARD_ONE_STEP = _("A reward type has one step: rewards are not counted by occurrence.")
REWARD_NO_TRIGGERS = _("A reward type has no accumulation triggers.")
REWARD_NO_SANCTIONS = _("A reward type carries no sanctions or points.")


def reward_schedule_errors(schedule: Schedule) -> list[str]:
    """What makes a valid schedule unfit for a reward (beyond the format itself)."""
    errors: list[str] = []
    if len(schedule.steps) != 1:
        errors.append(str(REWARD_ONE_STEP))
    if schedule.triggers:
        errors.append(str(REWARD_NO_TRIGGERS))
    for step in schedule.steps:
        if (
            step.sanctions
            or step.sanction_choices
            or step.points
            or any(level.sanctions for level in step.levels)
        ):
            errors.append(str(REWARD_NO_SANCTIONS))
        for charge in step.charges:
            if charge.money_kind.value != "reward":
                errors.append(str(REWARD_ONLY))
            if charge.party.value not in ("employee", "department"):
                errors.append(str(REWARD_PARTIES % {"party": charge.party.label}))
    return list(dict.fromkeys(errors))


class RewardType(models.Model):
    """One reward of a rulebook version (its ``reward_types:`` in the fixture)."""

    version = models.ForeignKey(
        "conduct.RulebookVersion",
        verbose_name=_("rulebook version"),
        on_delete=models.PROTECT,
        related_name="reward_types",
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    text = models.TextField(_("text of the regulation"))
    schedule = models.JSONField(_("reward schedule"), default=dict)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reward type")
        verbose_name_plural = _("reward types")
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="reward_type_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The schedule follows the format (the engine's messages) and only rewards."""
        try:
            parsed = parse_schedule(self.schedule)
        except ScheduleError as exc:
            raise ValidationError(
                {
                    "schedule": [
                        ValidationError(f"{path}: {message}" if path else message, code="schedule")
                        for path, message in exc.errors
                    ]
                }
            ) from None
        errors = reward_schedule_errors(parsed)
        if errors:
            raise ValidationError({"schedule": errors})

    @property
    def parsed_schedule(self) -> Schedule:
        cached = self.__dict__.get("_parsed_schedule")
        if cached is None:
            cached = parse_schedule(self.schedule)
            self.__dict__["_parsed_schedule"] = cached
        return cached

    @property
    def charges(self):
        return self.parsed_schedule.steps[0].charges

    @property
    def pays_employee(self) -> bool:
        return any(c.party.value == "employee" for c in self.charges)

    @property
    def pays_department(self) -> bool:
        return any(c.party.value == "department" for c in self.charges)

    @property
    def is_department_only(self) -> bool:
        """A team or department fund award (团队协作): nobody's pay."""
        return self.pays_department and not self.pays_employee

    @property
    def consequences(self) -> tuple[str, ...]:
        return self.parsed_schedule.steps[0].consequences


def _reward_rulebook(verbose_name) -> models.ForeignKey:
    """Where an automatic award (service star, long service) finds its reward type: the
    rulebook, or, left empty, the first with a reward of the configured code."""
    return models.ForeignKey(
        "conduct.Rulebook",
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the first rulebook (by code) with a reward of that code in force."),
    )


class RewardSettings(SingletonSettings):
    """The one row of reward settings (pk=1), read with ``RewardSettings.get()``."""

    service_star_winners = models.PositiveSmallIntegerField(
        _("service stars a month"),
        default=DEFAULT_SERVICE_STAR_WINNERS,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many nominees HR or the GM may select company-wide each month."),
    )
    service_star_rulebook = _reward_rulebook(_("rulebook of the service star"))
    service_star_code = models.SlugField(
        _("reward code of the service star"), max_length=64, default="service-star"
    )
    long_service_rulebook = _reward_rulebook(_("rulebook of the long-service award"))
    long_service_code = models.SlugField(
        _("reward code of the long-service award"), max_length=64, default="long-service"
    )
    long_service_years = models.PositiveSmallIntegerField(
        _("years of service for the long-service award"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    # updated_at, updated_by: from SingletonSettings

    class Meta:
        verbose_name = _("reward settings")
        verbose_name_plural = _("reward settings")
        constraints = [
            singleton(name="reward_settings_singleton"),
            models.CheckConstraint(
                condition=Q(service_star_winners__gte=1), name="reward_settings_winners_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(long_service_years__gte=1), name="reward_settings_years_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Reward settings"))


class AwardStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    VOIDED = "voided", _("Voided")


class AwardSource(models.TextChoices):
    MANUAL = "manual", _("Logged by HR")
    SERVICE_STAR = "service_star", _("Service star selection")
    LONG_SERVICE = "long_service", _("Long service")


class Award(Decided, Voided):
    """One reward to an employee (with their department's share alongside, if the type
    gives one) or to a department's or team's fund."""

    # Null: a department's or team's award (团队协作), paid to its fund.
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    # The employee's department when awarded, or the department receiving the award.
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    reward_type = models.ForeignKey(
        RewardType,
        verbose_name=_("reward type"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    source = models.CharField(
        _("source"), max_length=16, choices=AwardSource.choices, default=AwardSource.MANUAL
    )
    # What the recipient gets: the employee's reward, or (no employee) the department's.
    amount = models.DecimalField(_("amount"), **MONEY, default=Decimal("0.00"))
    # The department's reward alongside a person's (水务: ¥20 to the person, ¥200 to the
    # department); always 0 when the award is the department's own.
    department_amount = models.DecimalField(
        _("department's share"), **MONEY, default=Decimal("0.00")
    )
    chosen_amount = models.DecimalField(_("chosen amount"), **MONEY, null=True, blank=True)
    involved_amount = models.DecimalField(_("amount involved"), **MONEY, null=True, blank=True)
    monthly_wage = models.DecimalField(
        _("monthly wage used"), **MONEY, null=True, blank=True
    )  # the wage a wage-based reward was computed from
    lines = models.JSONField(_("money lines"), default=list, blank=True)
    explanation = models.TextField(_("how it was worked out"), blank=True)
    certificate = models.CharField(_("certificate or title"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    awarded_on = models.DateField(_("awarded on"))
    required_tier = required_tier()
    status = models.CharField(
        _("status"), max_length=16, choices=AwardStatus.choices, default=AwardStatus.PENDING
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="awards_logged",
    )
    logged_at = models.DateTimeField(_("logged at"))
    decided_by = decider(related_name="awards_decided")  # decided_at, decision_comment
    # voided_by, voided_at, void_reason: from Voided
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-awarded_on", "-pk"]
        permissions = [
            ("decide_award", _("Can approve or reject awards within their authority")),
            ("void_award", _("Can void awards until the payroll month is closed")),
            ("view_own_awards", _("Can see their own awards")),
        ]
        indexes = [
            models.Index(fields=["status", "required_tier"], name="award_status_tier_idx"),
            models.Index(fields=["status", "awarded_on"], name="award_status_month_idx"),
            models.Index(fields=["employee", "status"], name="award_employee_status_idx"),
            models.Index(fields=["department", "status"], name="award_dept_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="award_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(department_amount__gte=0), name="award_department_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(employee__isnull=False) | Q(department_amount=0),
                name="award_department_share_only_with_employee",
            ),
            decision_recorded(
                name="award_decided_has_who_when", unless=Q(status__in=["pending", "voided"])
            ),
            void_recorded(
                name="award_voided_has_who_when_why",
                unless=~Q(status="voided"),
                reason="void_reason",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="award_has_reason"),
        ]

    def __str__(self) -> str:
        who = self.employee.name if self.employee_id else self.department.name
        return f"{who} · {self.reward_type.name} · ¥{self.amount}"

    @property
    def total(self) -> Decimal:
        return self.amount + self.department_amount

    @property
    def is_department_award(self) -> bool:
        return self.employee_id is None

    @property
    def recipient_name(self) -> str:
        return self.employee.name if self.employee_id else self.department.name


class AwardEvidence(EvidenceFile):
    """A file backing an award: jpg, png or pdf (checked by content), up to 10 MB,
    served only through the permission-checked ``rewards:evidence_download`` view."""

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = evidence_file("award-evidence/%Y/%m/")

    class Meta:
        verbose_name = _("award evidence")
        verbose_name_plural = _("award evidence")
        ordering = ["award", "pk"]


class AwardAction(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    VOID = "void", _("Voided")


class AwardTransition(models.Model):
    """The history of an award: one row per status change, written by the service."""

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=16, choices=AwardAction.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=AwardStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=AwardStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="award_transitions",
    )
    actor_tier = models.CharField(_("acting as"), max_length=20, choices=Tier.choices, blank=True)
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("award transition")
        verbose_name_plural = _("award transitions")
        ordering = ["award", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")),
                name="award_transition_changes_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id}: {self.from_status} → {self.to_status}"


class RewardNoticeCounter(models.Model):
    """The last reward-notice number drawn in a year; locked while a number is drawn."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_sequence = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reward notice counter")
        verbose_name_plural = _("reward notice counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_sequence}"


class RewardNotice(models.Model):
    """The 奖励通知书 of an approved award: ``JL-<year>-<six digits>``, frozen text."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    award = models.OneToOneField(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="notice"
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    snapshot = models.JSONField(_("printed text"), default=dict)

    class Meta:
        verbose_name = _("reward notice")
        verbose_name_plural = _("reward notices")
        ordering = ["-issued_at", "-pk"]
        permissions = [("print_reward_notice", _("Can print reward notices"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="reward_notice_year_seq"),
        ]

    def __str__(self) -> str:
        return self.number


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    SELECTED = "selected", _("Selected")


class ServiceStarNomination(models.Model):
    """A department head's nominee for the month's service star (服务之星): one per
    department and month, with a reason. Selection turns it into an award."""

    month = models.DateField(_("month"))  # the first day of the month
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="service_star_nominations",
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("nominee"),
        on_delete=models.PROTECT,
        related_name="service_star_nominations",
    )
    reason = models.TextField(_("reason"))
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    nominated_at = models.DateTimeField(_("nominated at"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.NOMINATED,
    )
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("selected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    selected_at = models.DateTimeField(_("selected at"), null=True, blank=True)
    award = models.OneToOneField(
        Award,
        verbose_name=_("award"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nomination",
    )

    class Meta:
        verbose_name = _("service-star nomination")
        verbose_name_plural = _("service-star nominations")
        ordering = ["-month", "department__code"]
        permissions = [
            ("nominate_service_star", _("Can nominate the service star of their department")),
            ("select_service_star", _("Can select the month's service stars")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "month"], name="service_star_one_per_department_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="service_star_month_is_first_day"
            ),
            models.CheckConstraint(
                condition=Q(status="nominated", award__isnull=True, selected_by__isnull=True)
                | Q(status="selected", award__isnull=False, selected_by__isnull=False),
                name="service_star_selected_has_award",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="service_star_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department} · {self.employee}"
