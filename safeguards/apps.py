from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardsConfig(AppConfig):
    name = "safeguards"
    verbose_name = _("Safeguards")

    def ready(self):
        # Connects the login stamp of the idle logout before the first request: the
        # middleware module is otherwise imported only when the first request builds the
        # middleware chain, and a login before that (a management command, a test's
        # force_login) would leave a session that the next request has to write again.
        from . import middleware  # noqa: F401
