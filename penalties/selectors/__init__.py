"""Reads of penalties, scoped to the user."""
