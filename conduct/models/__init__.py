"""Rulebooks (the code of conduct, versioned) and the violations judged by them."""

from .rulebooks import Category, Rule, Rulebook, RulebookVersion

__all__ = ["Category", "Rule", "Rulebook", "RulebookVersion"]
