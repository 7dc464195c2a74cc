"""Admin of rulebooks, versions, categories and rules."""
