"""Who may decide a record that needs approval: one rule for penalties and rewards.

domain.md §4 and issue 5: a user acts at the highest approval tier their roles give
(department head < deputy GM < GM, ``penalties.selectors.approvals.user_tier``); a higher
tier may always decide; a department head only inside the departments they head and
everything below them. Whoever logged the record may not decide it, and nobody decides a
record addressed to themselves.

``decision_authority_error`` carries these rules for any record: the penalty approvals
(``penalties.services.approvals``) and the reward approvals (``rewards.services``) ask it
the same question with their own facts. The messages default to the penalty wording
(the constants of ``penalties.services.approvals``, imported when first needed so that
that module may import this one at its top); a caller whose records are not penalties
passes its own wording by error code in ``messages``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError

from penalties.selectors.approvals import tiers_up_to, user_tier
from penalties.tiers import Tier
from staff.models import Department
from staff.selectors import department_subtree_ids, employee_for_user

# The error codes, in the order the rules are checked.
NOT_AN_APPROVER = "not_an_approver"
LOGGED_IT = "logged_it"
OWN_RECORD = "own_penalty"
TIER_TOO_LOW = "tier_too_low"
OUT_OF_SCOPE = "out_of_scope"
CODES = (NOT_AN_APPROVER, LOGGED_IT, OWN_RECORD, TIER_TOO_LOW, OUT_OF_SCOPE)


def default_messages() -> dict[str, object]:
    """The penalty wording of each rule, by error code (lazy translations)."""
    from penalties.services import approvals

    return {
        NOT_AN_APPROVER: approvals.NOT_AN_APPROVER,
        LOGGED_IT: approvals.LOGGED_IT,
        OWN_RECORD: approvals.OWN_PENALTY,
        TIER_TOO_LOW: approvals.TIER_TOO_LOW,
        OUT_OF_SCOPE: approvals.OUT_OF_SCOPE,
    }


def headed_subtree_ids(user) -> set[int]:
    """The departments ``user``'s employee file heads, and everything below them."""
    me = employee_for_user(user)
    if me is None:
        return set()
    return department_subtree_ids(Department.objects.filter(head=me).values_list("pk", flat=True))


def decision_authority_error(
    *,
    user,
    required_tier: str,
    department_id: int | None,
    logged_by_id: int | None,
    subject_employee_id: int | None,
    messages: Mapping[str, object] | None = None,
) -> ValidationError | None:
    """Why ``user`` may not approve or reject a record (None: they may).

    ``required_tier``: the lowest tier allowed to decide it (a ``Tier`` value);
    ``department_id``: the department it belongs to (a department head's scope);
    ``logged_by_id``: the login that recorded it; ``subject_employee_id``: the employee
    it is addressed to (None for a department's record). ``messages`` overrides the
    wording by code (``TIER_TOO_LOW`` takes ``%(tier)s``)."""
    text = default_messages()
    if messages:
        unknown = set(messages) - set(CODES)
        if unknown:
            raise TypeError(f"unknown message codes: {sorted(unknown)}")
        text.update(messages)
    tier = user_tier(user)
    if tier is None:
        return ValidationError(text[NOT_AN_APPROVER], code=NOT_AN_APPROVER)
    if logged_by_id is not None and logged_by_id == user.pk:
        return ValidationError(text[LOGGED_IT], code=LOGGED_IT)
    me = employee_for_user(user)
    if me is not None and subject_employee_id is not None and subject_employee_id == me.pk:
        return ValidationError(text[OWN_RECORD], code=OWN_RECORD)
    if required_tier not in tiers_up_to(tier):
        return ValidationError(
            text[TIER_TOO_LOW], code=TIER_TOO_LOW, params={"tier": Tier(required_tier).label}
        )
    if tier == Tier.DEPARTMENT_HEAD and department_id not in headed_subtree_ids(user):
        return ValidationError(text[OUT_OF_SCOPE], code=OUT_OF_SCOPE)
    return None
