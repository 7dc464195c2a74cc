"""Reads of the code of conduct, by subject: rulebooks.py, violations.py."""
