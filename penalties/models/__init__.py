"""Penalties and what happens to them: approval, notices, appeals."""
