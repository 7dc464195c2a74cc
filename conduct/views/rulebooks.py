"""Rulebook catalogue screens."""
