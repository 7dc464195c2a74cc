"""Violation screens."""
