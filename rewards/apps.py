from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rewards"
    verbose_name = _("Rewards")

    def ready(self) -> None:
        # Reward types belong to a rulebook version: a new version gets a copy of them, as
        # it gets a copy of the rules. conduct does not import rewards (rewards builds on
        # conduct), so rewards hands it the copier.
        from conduct.services.rulebooks import version_copier_register

        from .services.catalogue import reward_types_copy

        version_copier_register(reward_types_copy)
