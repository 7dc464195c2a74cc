from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardsConfig(AppConfig):
    name = "safeguards"
    verbose_name = _("Safeguards")
