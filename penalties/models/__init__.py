"""Penalties and what happens to them: approval, notices, appeals."""

from .penalties import Penalty, PenaltyMoneyKind, PenaltyParty, PenaltyStatus

__all__ = ["Penalty", "PenaltyMoneyKind", "PenaltyParty", "PenaltyStatus"]
