"""Sign-in throttling (django-axes): after TIREK_LOGIN_FAILURES failed sign-ins for one login from one
address, that login is refused from that address for TIREK_LOGIN_COOLOFF_MINUTES; the page and the API say
so, translated, and the lockout is in the audit trail."""

from __future__ import annotations

from math import ceil

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from tirek.core.errors import error_body
from tirek.core.middleware import current_client_address


def client_ip(request) -> str | None:
    """The address a failed sign-in is counted against: the one the audit trail records."""
    return current_client_address() or request.META.get("REMOTE_ADDR")


def lockout_message() -> str:
    minutes = max(1, ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return ngettext(
        "Too many failed sign-ins. Try again in %(minutes)d minute, or ask your administrator.",
        "Too many failed sign-ins. Try again in %(minutes)d minutes, or ask your administrator.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in while locked out: the login page with the message and the login kept (429),
    or the API's error shape."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("locked_out", lockout_message()), status=429)
    from tirek.accounts.forms import LoginForm

    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    return render(request, "accounts/login.html", {"form": form, "locked_out": lockout_message()}, status=429)
