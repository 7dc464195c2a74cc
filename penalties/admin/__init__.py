"""Admin of penalties, by subject."""

from . import (
    approvals,  # noqa: F401 - approvals, notices, appeals (issue 5)
    penalties,  # noqa: F401 - registers the admin classes
)
