"""Benchmarks at company scale (issue 11): ``python -m benchmarks``; see __main__.py."""
