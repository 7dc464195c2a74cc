"""Writes to penalties, by subject: penalties.py (created when a violation is logged), approvals.py, notices.py, appeals.py."""
