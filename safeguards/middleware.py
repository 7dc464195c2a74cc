"""Request-level safeguards: logout after inactivity, and no NUL bytes in any input.

Inactivity: the session records when it was last seen (set at login, refreshed at most
once a minute so that ordinary requests do not write the session); a request after more
than ``SESSION_IDLE_TIMEOUT`` seconds of silence logs the user out and sends them to the
login page.

NUL bytes: PostgreSQL text columns cannot hold ``\\x00`` and Django turns the attempt into
a server error; a request carrying one in a parameter name or value is refused with 400.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

LAST_SEEN = "safeguards_last_seen"
REFRESH_EVERY = 60  # seconds
IDLE_LOGOUT = gettext_noop("You were logged out after a period of inactivity. Please log in again.")
NUL_REFUSED = gettext_noop("The request contains a NUL character, which is not allowed.")


@receiver(user_logged_in, dispatch_uid="safeguards_last_seen")
def _stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class IdleLogoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle = getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
        user = getattr(request, "user", None)
        if idle and user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > idle:
                logout(request)
                messages.info(request, _(IDLE_LOGOUT))
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen > REFRESH_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def _has_nul(querydict) -> bool:
    for key, values in querydict.lists():
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            return True
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            return HttpResponseBadRequest(_(NUL_REFUSED))
        if request.method == "POST" and _has_nul(request.POST):
            return HttpResponseBadRequest(_(NUL_REFUSED))
        return self.get_response(request)
