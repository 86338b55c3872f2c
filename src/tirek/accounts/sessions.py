"""How long a signed-in session lasts, and the second step of signing in.

A session ends after TIREK_SESSION_IDLE_MINUTES without a request, TIREK_SESSION_SECONDS after signing in
whatever the activity, or when its user signs out everywhere. Until the second step is passed (or set up, for
a role that requires it) a session reaches only the pages of that step.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from tirek.accounts.two_factor import two_factor_enabled, two_factor_required
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.core.errors import error_body

STARTED = "tirek_started"
SEEN = "tirek_seen"
SECOND_STEP = "tirek_second_step"
# Values of SECOND_STEP: the code is still to be entered, the authenticator still to be set up, or passed.
VERIFY, SETUP, PASSED = "verify", "setup", "passed"
# A session's last-seen time is written at most this often (seconds): not a database write per request.
_SEEN_RESOLUTION = 60
_OPEN_DURING_SECOND_STEP = frozenset(
    {
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:logout",
        "accounts:login",
        "set_language",
    }
)


def session_begin(request, user) -> None:
    """Mark a new signed-in session: when it began, and which second step it still owes."""
    now = time.time()
    request.session[STARTED] = now
    request.session[SEEN] = now
    if two_factor_enabled(user):
        request.session[SECOND_STEP] = VERIFY
    elif two_factor_required(user):
        request.session[SECOND_STEP] = SETUP
    else:
        request.session.pop(SECOND_STEP, None)


def second_step_passed(request) -> None:
    request.session[SECOND_STEP] = PASSED
    request.session.cycle_key()


def _ended(request, now: float) -> str | None:
    """Why the session has ended, or None while it lasts."""
    session = request.session
    started = session.get(STARTED)
    if started is None:  # a session from before these limits: it starts counting now
        session[STARTED] = session[SEEN] = now
        return None
    if now - started > settings.SESSION_COOKIE_AGE:
        return "absolute"
    if now - session.get(SEEN, started) > settings.TIREK_SESSION_IDLE_MINUTES * 60:
        return "idle"
    ended_at = request.user.sessions_ended_at
    if ended_at is not None and started <= ended_at.timestamp():
        return "everywhere"
    return None


def _to(request, url: str, message: str, *, code: str):
    """Send the browser to `url` (htmx: a client-side redirect), or answer an API call in the error shape."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=403)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        # From a page of the second step itself (nothing there asks, but never loop): nothing to do.
        current = urlsplit(request.headers.get("HX-Current-URL", "")).path
        if current != urlsplit(url).path:
            response["HX-Redirect"] = url
        return response
    return redirect(url)


def _login_url(request) -> str:
    next_url = request.get_full_path() if request.method == "GET" else ""
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return f"{reverse(settings.LOGIN_URL)}{query}"


class SessionLimitsMiddleware:
    """Ends sessions that idled, outlived their absolute limit or were signed out everywhere; then holds a
    session that owes its second step to the pages of that step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session and not request.path.startswith(f"/{settings.STATIC_URL}"):
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        now = time.time()
        reason = _ended(request, now)
        if reason is not None:
            user = request.user
            audit_record(
                actor=user,
                action=AuditAction.SESSION_EXPIRED,
                obj=user,
                organisation=user.active_organisation_id_checked(),
                note=reason,
            )
            request.session.flush()
            request.user = AnonymousUser()
            if request.path.startswith("/api/"):
                return None  # the API answers an anonymous call itself
            messages.info(request, self._ended_message(reason))
            return _to(request, _login_url(request), "", code="session_ended")
        if now - request.session.get(SEEN, 0) > _SEEN_RESOLUTION:
            request.session[SEEN] = now
        return self._second_step(request)

    @staticmethod
    def _ended_message(reason: str) -> str:
        if reason == "idle":
            return _("You were signed out after %(minutes)d minutes without activity. Sign in again.") % {
                "minutes": settings.TIREK_SESSION_IDLE_MINUTES
            }
        if reason == "everywhere":
            return _("You were signed out everywhere. Sign in again.")
        return _("Your session has ended. Sign in again.")

    @staticmethod
    def _second_step(request):
        state = request.session.get(SECOND_STEP)
        if state == PASSED:
            return None
        if state is None:
            if not two_factor_required(request.user):
                return None
            state = request.session[SECOND_STEP] = SETUP  # a required role granted during the session
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = ""
        if view_name in _OPEN_DURING_SECOND_STEP:
            return None
        if state == VERIFY:
            url = reverse("accounts:two_factor_verify")
            message = _("Enter the code from your authenticator app to continue.")
        else:
            url = reverse("accounts:two_factor_setup")
            message = _("Your role requires two-step sign-in. Set it up to continue.")
        if request.method == "GET" and not request.path.startswith("/api/"):
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return _to(request, url, message, code="two_factor_required")
