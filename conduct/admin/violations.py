"""Admin of violations and evidence."""
