"""Writes to penalties, by subject: penalties.py (made when a violation is logged),
approvals.py, notices.py, appeals.py."""
