"""API tokens: the key and its hash, and the one rule deciding whether a token still opens the API (applied to
every request by accounts.authentication).

A token stops working TIREK_TOKEN_DAYS after it was issued, after TIREK_TOKEN_IDLE_DAYS without a request,
when it is revoked (by its user, by "sign out everywhere", or by turning two-step sign-in on), and once its
user owes a second step of signing in (their role requires it, or they turned it on) unless it was issued
after one. Clients send it as `Authorization: Token <key>`, the header DRF's own token used before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import ApiToken, User
from tirek.accounts.two_factor import second_step_owed
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record

# A recognisable prefix lets secret scanners (and people) tell a leaked Tirek key from any other string.
KEY_PREFIX = "tirek_"
KEY_START_LENGTH = 12
# At most this many live tokens per user: a script asking for a new token on every run retires its oldest
# instead of piling up keys that work for a month.
MAX_LIVE_TOKENS = 20
# last_used_at is written at most this often: not a database write per request.
_LAST_USED_RESOLUTION = dt.timedelta(minutes=5)
# A refusal of the same token is audited at most this often.
_REFUSAL_AUDIT_RESOLUTION = dt.timedelta(minutes=5)

# Why a token no longer opens the API: (error code, message).
REVOKED, EXPIRED, IDLE, TWO_STEP = "revoked", "expired", "idle", "two_step"
_REFUSALS = {
    REVOKED: ("token_revoked", _("This API token has been revoked. Issue a new one.")),
    EXPIRED: ("token_expired", _("This API token has expired. Issue a new one.")),
    IDLE: ("token_expired", _("This API token expired after going unused. Issue a new one.")),
    TWO_STEP: (
        "token_two_factor_required",
        _(
            "This API token was issued without the second step of signing in, which your account now "
            "requires. Issue a new one with the code from your authenticator app."
        ),
    ),
}
_UNKNOWN = ("token_invalid", _("This API token is not valid."))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A token as it is issued: the key is shown this once and kept nowhere."""

    token: ApiToken
    key: str


def api_token_build(*, user: User, name: str = "", two_factor_passed: bool) -> IssuedToken:
    """A new, unsaved token of `user`, with its key."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name,
        key_hash=hash_key(key),
        key_start=key[:KEY_START_LENGTH],
        two_factor_passed=two_factor_passed,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.TIREK_TOKEN_DAYS),
    )
    return IssuedToken(token=token, key=key)


def idle_expires_at(token: ApiToken) -> dt.datetime:
    return token.last_active_at + dt.timedelta(days=settings.TIREK_TOKEN_IDLE_DAYS)


def token_refusal(token: ApiToken, *, now: dt.datetime, owed: bool | None = None) -> str | None:
    """Why `token` no longer opens the API (REVOKED, EXPIRED, IDLE, TWO_STEP), or None while it does.

    `owed`: whether its user owes a second step of signing in, when the caller knows it already."""
    if token.revoked_at is not None:
        return REVOKED
    if now >= token.expires_at:
        return EXPIRED
    if now >= idle_expires_at(token):
        return IDLE
    if not token.two_factor_passed and (second_step_owed(token.user) if owed is None else owed):
        return TWO_STEP
    return None


@dataclass(frozen=True)
class Refusal:
    """Why a request's token does not open the API: an error code and a message for the client."""

    code: str
    message: str


def _refuse(token: ApiToken, reason: str, now: dt.datetime) -> Refusal:
    last = token.refused_at
    if last is None or now - last >= _REFUSAL_AUDIT_RESOLUTION:
        with transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(refused_at=now)
            audit_record(
                actor=token.user,
                action=AuditAction.TOKEN_REFUSED,
                obj=token,
                organisation=token.user.active_organisation_id_checked(),
                note=reason,
            )
    return Refusal(*_REFUSALS[reason])


def token_authenticate(credentials: list[bytes]) -> tuple[User, ApiToken] | Refusal:
    """The user and token an `Authorization: Token <key>` header names (`credentials`: the words after
    "Token"), or why not; a use of a good token is remembered as its last use."""
    if len(credentials) != 1:
        return Refusal(*_UNKNOWN)
    try:
        key = credentials[0].decode()
    except UnicodeError:
        return Refusal(*_UNKNOWN)
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    # An unknown key is not audited: it names nobody, and guessing a 256-bit key is hopeless anyway.
    if token is None or not token.user.is_active:
        return Refusal(*_UNKNOWN)
    now = timezone.now()
    reason = token_refusal(token, now=now)
    if reason is not None:
        return _refuse(token, reason, now)
    if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token
