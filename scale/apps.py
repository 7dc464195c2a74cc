from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Company-scale tooling: deterministic load data for the benchmarks and load tests.

    No models, no screens: ``manage.py generate_load_data`` and ``scale.loaddata``."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "scale"
    verbose_name = "Scale"
