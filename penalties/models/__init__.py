"""Penalties and what happens to them: approval, notices, appeals."""

from .appeals import Appeal, AppealEvidence, AppealOutcome, AppealStatus
from .approvals import PenaltyTransition, TransitionAction
from .notices import Notice, NoticeCounter
from .penalties import Penalty, PenaltyMoneyKind, PenaltyParty, PenaltyStatus
from .policy import ApprovalSettings

__all__ = [
    "Appeal",
    "AppealEvidence",
    "AppealOutcome",
    "AppealStatus",
    "ApprovalSettings",
    "Notice",
    "NoticeCounter",
    "Penalty",
    "PenaltyMoneyKind",
    "PenaltyParty",
    "PenaltyStatus",
    "PenaltyTransition",
    "TransitionAction",
]
