"""The approval tier a penalty or an award waits for.

A penalty and an award each keep the lowest tier (``penalties.tiers.Tier``: department
head, deputy GM, GM) that may approve or reject them; ``required_tier()`` declares that
field once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from penalties.tiers import Tier


def required_tier() -> models.CharField:
    """The ``required_tier`` field (department head by default)."""
    return models.CharField(
        _("approval needed from"),
        max_length=20,
        choices=Tier.choices,
        default=Tier.DEPARTMENT_HEAD,
    )
