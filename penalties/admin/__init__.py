"""Admin of penalties, by subject."""
