"""Rulebooks (the code of conduct, versioned) and the violations judged by them."""

from .rulebooks import Category, Rule, Rulebook, RulebookVersion
from .violations import Evidence, Violation, ViolationSource, ViolationStatus

__all__ = [
    "Category",
    "Evidence",
    "Rule",
    "Rulebook",
    "RulebookVersion",
    "Violation",
    "ViolationSource",
    "ViolationStatus",
]
