"""Admin of the code of conduct, by subject."""

from . import rulebooks, violations  # noqa: F401 - registers the admin classes
