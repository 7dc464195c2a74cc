"""Penalty screens, by subject."""
