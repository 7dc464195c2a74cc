"""Admin of penalties, by subject."""

from . import penalties  # noqa: F401 - registers the admin classes
