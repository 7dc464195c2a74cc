"""Reads for approval, notices and appeals, already scoped to the user.

Authority (domain.md §4, issue 5): a user acts at the highest approval tier their roles
give (department head < deputy GM < GM); a higher tier may always approve; a department
head only inside the departments they head and everything below them. Objects outside
what a user may see are a 404, never a 403 (no leak of what exists elsewhere).
"""

from __future__ import annotations

from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from conduct.models import Evidence, Violation
from penalties.engine.sanctions import max_rank
from penalties.models import (
    Appeal,
    AppealStatus,
    ApprovalSettings,
    Notice,
    Penalty,
    PenaltyParty,
    PenaltyStatus,
    PenaltyTransition,
)
from penalties.tiers import ApprovalPolicy, Tier, required_tier
from staff.models import Employee
from staff.roles import Role, user_roles
from staff.selectors import employee_for_user, visible_department_ids

TIER_OF_ROLE = {
    Role.DEPARTMENT_HEAD: Tier.DEPARTMENT_HEAD,
    Role.DEPUTY_GM: Tier.DEPUTY_GM,
    Role.GM: Tier.GM,
}

# Statuses in which a penalty counts towards payroll. An appealed penalty stays out until
# the appeal is decided (issue 5); payroll (issue 8) must take these and nothing else.
PAYABLE_STATUSES = (PenaltyStatus.APPROVED,)

# The departments a user heads and all below them, in SQL (one query with the caller's).
# Recursive CTEs work alike on PostgreSQL and SQLite.
HEADED_SUBTREE_SQL = """
    WITH RECURSIVE headed(id) AS (
        SELECT d.id FROM staff_department d
        JOIN staff_employee e ON e.id = d.head_id
        WHERE e.user_id = %s
        UNION
        SELECT c.id FROM staff_department c JOIN headed h ON c.parent_id = h.id
    )
    SELECT id FROM headed
"""


# ---- Policy and authority -----------------------------------------------------------


def current_approval_policy() -> ApprovalPolicy:
    """The configured policy for ``penalties.tiers.required_tier`` (settings row)."""
    return ApprovalSettings.get().as_policy()


def appeal_window_days() -> int:
    return ApprovalSettings.get().appeal_window_days


def penalty_required_tier(*, penalty: Penalty, policy: ApprovalPolicy) -> Tier:
    """The tier a penalty needs under ``policy``: its amount and its heaviest sanction."""
    return required_tier(
        amount=penalty.amount, max_sanction_rank=max_rank(penalty.sanctions or []), policy=policy
    )


def user_tier(user) -> Tier | None:
    """The highest approval tier ``user`` holds, or None (HR, payroll, employees…)."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        "penalties.decide_penalty"
    ):
        return None
    tiers = [tier for role, tier in TIER_OF_ROLE.items() if role in user_roles(user)]
    return Tier.highest(*tiers) if tiers else None


def tiers_up_to(tier: Tier) -> list[str]:
    return [t.value for t in Tier if Tier(t).rank <= Tier(tier).rank]


def is_hr(user) -> bool:
    return Role.HR_OFFICER in user_roles(user)


def _headed_departments(user) -> Q:
    return Q(department_id__in=RawSQL(HEADED_SUBTREE_SQL, [user.pk]))  # noqa: S611 - constant SQL, bound parameter


def _scope_for_tier(user, tier: Tier) -> Q:
    """Where a user may act at their tier: department heads inside their subtree; deputy
    GMs and GMs everywhere."""
    if tier == Tier.DEPARTMENT_HEAD:
        return _headed_departments(user)
    return Q()


# ---- Approval inbox -----------------------------------------------------------------


def _with_details(qs: QuerySet[Penalty]) -> QuerySet[Penalty]:
    return qs.select_related(
        "employee",
        "department",
        "violation__employee",
        "violation__rulebook",
        "violation__rulebook_version",
        "violation__rule__category",
        "violation__logged_by",
    )


def _inbox_scope(user, tier: Tier) -> Q:
    """As ``_scope_for_tier``, but a department head's subtree as an array the query
    computes first (an InitPlan): PostgreSQL then reads the pending penalties of those
    departments from ``penalty_dept_status_idx`` instead of walking every pending one
    in the company (at 5,600 waiting of 64,000: the count 65 → 30 ms, a deep page
    190 → 50 ms)."""
    if tier != Tier.DEPARTMENT_HEAD:
        return Q()
    in_subtree = RawSQL(  # noqa: S611 - constant SQL, bound parameter
        f'"penalties_penalty"."department_id" = ANY(ARRAY({HEADED_SUBTREE_SQL}))',
        [user.pk],
        output_field=BooleanField(),
    )
    return Q(in_subtree)


def _inbox_queryset(user) -> QuerySet[Penalty]:
    tier = user_tier(user)
    if tier is None:
        return Penalty.objects.none()
    return (
        Penalty.objects.filter(status=PenaltyStatus.PENDING, required_tier__in=tiers_up_to(tier))
        .filter(_inbox_scope(user, tier))
        # Not what they logged themselves, nor their own: as an anti-join and a one-row
        # list rather than joins to the violations and the employees of every row.
        .exclude(Exists(Violation.objects.filter(pk=OuterRef("violation_id"), logged_by=user)))
        .exclude(employee__in=Employee.objects.filter(user=user).values("pk"))
    )


def approval_inbox(*, user) -> QuerySet[Penalty]:
    """What waits for ``user`` to decide, oldest first, with the rule and evidence."""
    return (
        _with_details(_inbox_queryset(user))
        .prefetch_related(Prefetch("violation__evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


INBOX_UNSHOWN = (
    "lines",
    "explanation",
    "review_note",
    "decision_comment",
    "violation__quote",
    "violation__explanation",
    "violation__description",
    "violation__review_note",
    "violation__void_reason",
    "violation__rule__schedule",
)


def approval_inbox_page(*, user, number, per_page: int) -> Page:
    """One page of the inbox, oldest first, in two steps: the page's ids (from the
    partial index of pending penalties), then those penalties with what the inbox shows
    (few joins, so cheap to plan) and their evidence. The count is kept on ``user`` for
    the navigation badge of the same request."""
    ids = _inbox_queryset(user).order_by("created_at", "pk").values_list("pk", flat=True)
    page = Paginator(ids, per_page).get_page(number)
    setattr(user, INBOX_COUNT_ATTR, page.paginator.count)
    wanted = list(page.object_list)
    found = {}
    if wanted:
        found = {
            p.pk: p
            for p in Penalty.objects.filter(pk__in=wanted)
            .select_related(
                "employee",
                "department",
                "violation__employee",
                "violation__rulebook",
                "violation__rule",
            )
            # What the inbox does not show: the violation's quote and the rule's schedule
            # (JSON, decoded per row), the long texts, the money lines.
            .defer(*INBOX_UNSHOWN)
            .prefetch_related(
                Prefetch("violation__evidence", queryset=Evidence.objects.order_by("pk"))
            )
        }
    page.object_list = [found[pk] for pk in wanted if pk in found]
    return page


# Where ``approval_inbox_page`` leaves the count it made, on the request's user object.
INBOX_COUNT_ATTR = "_jc_approval_inbox_count"


def approval_inbox_count(user) -> int | None:
    """The navigation badge: how many penalties wait for ``user`` (one query, none when
    the inbox page has just counted them in this request)."""
    count = getattr(user, INBOX_COUNT_ATTR, None)
    if count is None:
        count = _inbox_queryset(user).count() if user_tier(user) else 0
    return count or None


def inbox_penalties_for_ids(*, user, ids: list[int]) -> list[Penalty]:
    """The penalties among ``ids`` the user can see in their inbox, in inbox order.

    Ids not in the inbox (decided meanwhile, another department, no authority) are left
    out; the bulk services report them as failed by id."""
    return list(approval_inbox(user=user).filter(pk__in=ids))


def penalties_for_ids(*, user, ids: list[int]) -> list[Penalty]:
    """The penalties among ``ids`` the user may see (the services say whether they may
    decide each one), in the order of ``ids``."""
    found = {p.pk: p for p in _with_details(_penalties_visible_to(user)).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


# ---- One penalty --------------------------------------------------------------------


def _penalties_visible_to(user) -> QuerySet[Penalty]:
    if not user.has_perm("penalties.view_penalty"):
        return Penalty.objects.none()
    departments = visible_department_ids(user)
    if departments is None:
        return Penalty.objects.all()
    return Penalty.objects.filter(department_id__in=departments)


def penalty_get_for_decision(*, user, penalty_id: int) -> Penalty:
    """A penalty with its violation, evidence, history, notices and appeal; 404 when
    missing or outside what the user may see."""
    penalty = (
        _with_details(_penalties_visible_to(user))
        .select_related("decided_by")
        .prefetch_related(
            Prefetch("violation__evidence", queryset=Evidence.objects.order_by("pk")),
            Prefetch(
                "transitions",
                queryset=PenaltyTransition.objects.select_related("actor__employee").order_by(
                    "at", "pk"
                ),
            ),
            Prefetch("notices", queryset=Notice.objects.order_by("issued_at", "pk")),
        )
        .filter(pk=penalty_id)
        .first()
    )
    if penalty is None:
        raise Http404
    return penalty


def penalty_appeal_or_none(penalty: Penalty) -> Appeal | None:
    try:
        return penalty.appeal
    except Appeal.DoesNotExist:
        return None


# ---- Notices ------------------------------------------------------------------------


def notice_recipient_user(penalty: Penalty):
    """The login a notice is addressed to: the person who pays, or for a department's
    penalty its head. None when they have no login."""
    if penalty.party == PenaltyParty.DEPARTMENT:
        head = penalty.department.head
        return head.user if head is not None else None
    return penalty.employee.user if penalty.employee_id else None


def _recipient_condition(user) -> Q:
    return Q(penalty__employee__user=user) | Q(
        penalty__party=PenaltyParty.DEPARTMENT, penalty__department__head__user=user
    )


def _notices_visible_to(user) -> QuerySet[Notice]:
    own = _recipient_condition(user)
    if not user.has_perm("penalties.view_notice"):
        return Notice.objects.filter(own)
    departments = visible_department_ids(user)
    if departments is None:
        return Notice.objects.all()
    return Notice.objects.filter(own | Q(penalty__department_id__in=departments))


def notice_get_for_user(*, user, notice_id: int) -> Notice:
    notice = (
        _notices_visible_to(user)
        .select_related(
            "penalty__employee__user",
            "penalty__department__head",
            "acknowledged_by",
            "superseded_by",
        )
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def notices_for_print(*, user, year: int, month: int) -> QuerySet[Notice]:
    """Current notices issued in a month, for HR to print as one PDF (penalties in effect
    or under appeal; revoked and voided ones are not handed out)."""
    if not user.has_perm("penalties.print_notice"):
        return Notice.objects.none()
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return (
        _notices_visible_to(user)
        .filter(
            is_current=True,
            issued_at__date__gte=start,
            issued_at__date__lt=end,
            penalty__status__in=[PenaltyStatus.APPROVED, PenaltyStatus.UNDER_APPEAL],
        )
        .select_related("penalty__employee", "penalty__department", "acknowledged_by")
        .order_by("issued_at", "pk")
    )


# ---- My record ----------------------------------------------------------------------

# A pending penalty is not yet the employee's business; a rejected one never was.
RECORD_STATUSES = (
    PenaltyStatus.APPROVED,
    PenaltyStatus.UNDER_APPEAL,
    PenaltyStatus.REVOKED,
    PenaltyStatus.VOIDED,
)


def my_record(*, user) -> QuerySet[Penalty]:
    """The penalties addressed to ``user`` that took effect, with their notices and
    appeal, newest first."""
    if employee_for_user(user) is None:
        return Penalty.objects.none()
    return (
        Penalty.objects.filter(
            Q(employee__user=user) | Q(party=PenaltyParty.DEPARTMENT, department__head__user=user),
            status__in=RECORD_STATUSES,
            notices__isnull=False,
        )
        .distinct()
        .select_related(
            "department",
            "violation__rulebook",
            "violation__rule",
            "appeal",
        )
        .prefetch_related(Prefetch("notices", queryset=Notice.objects.order_by("-issued_at")))
        .order_by("-decided_at", "-pk")
    )


def my_penalty_get(*, user, penalty_id: int) -> Penalty:
    """One penalty addressed to ``user`` (for appealing it); 404 otherwise."""
    penalty = my_record(user=user).filter(pk=penalty_id).first()
    if penalty is None:
        raise Http404
    return penalty


# ---- Appeals ------------------------------------------------------------------------


def appeal_queue(*, user) -> QuerySet[Appeal]:
    """Open appeals ``user`` may decide: HR every one, a deputy GM or GM those whose
    review tier they reach; never one about themselves or that they approved."""
    if not user.has_perm("penalties.review_appeal"):
        return Appeal.objects.none()
    qs = Appeal.objects.filter(status=AppealStatus.FILED)
    if not is_hr(user):
        tier = user_tier(user)
        if tier is None:
            return Appeal.objects.none()
        qs = qs.filter(review_tier__in=tiers_up_to(tier))
    return (
        qs.exclude(filed_by=user)
        .exclude(penalty__decided_by=user)
        .exclude(penalty__violation__logged_by=user)
    )


def appeal_queue_count(user) -> int | None:
    count = appeal_queue(user=user).count() if user.has_perm("penalties.review_appeal") else 0
    return count or None


def _appeal_details(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return qs.select_related(
        "employee",
        "notice",
        "decided_by__employee",
        "penalty__department",
        "penalty__decided_by__employee",
        "penalty__violation__rule",
        "penalty__violation__rulebook",
    ).prefetch_related("evidence")


def _appeals_visible_to(user) -> Q | None:
    """Reviewers (HR, deputy GM, GM) and auditors read every appeal, department heads
    their departments'; anyone reads their own. None: every appeal."""
    own = Q(filed_by=user)
    if not user.has_perm("penalties.view_appeal"):
        return own
    departments = visible_department_ids(user)
    if departments is None:
        return None
    return own | Q(penalty__department_id__in=departments)


def appeal_list(*, user) -> QuerySet[Appeal]:
    condition = _appeals_visible_to(user)
    qs = Appeal.objects.all() if condition is None else Appeal.objects.filter(condition)
    return _appeal_details(qs).order_by("-filed_at", "-pk")


def appeal_get_for_user(*, user, appeal_id: int) -> Appeal:
    """An appeal the user may read; 404 when missing or not theirs to see."""
    appeal = appeal_list(user=user).filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404
    return appeal
