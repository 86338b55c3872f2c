"""Two-step sign-in: a time-based code from an authenticator app (TOTP, django-otp) after the password, with
single-use recovery codes for a lost phone.

Required for the roles in TIREK_TWO_FACTOR_ROLES (managers, analysts and administrators by default), optional
for everyone else. Turning it on or off, issuing recovery codes, using one and every wrong code are audited.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirek.accounts.models import ApiToken, User
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record

RECOVERY_CODE_COUNT = 10
_DEVICE_NAME = "authenticator"
_RECOVERY_NAME = "recovery"


def two_factor_required(user: User) -> bool:
    """Whether `user` may not work without a second step: a required role in any organisation, or every user
    when TIREK_TWO_FACTOR_ROLES holds "all"."""
    required = set(settings.TIREK_TWO_FACTOR_ROLES)
    return "all" in required or bool(user.roles() & required)


def second_step_owed(user: User) -> bool:
    """Whether signing in as `user` takes a second step: they turned it on, or their role requires it."""
    return two_factor_required(user) or two_factor_enabled(user)


def authenticator(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if two-step sign-in is on."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=_RECOVERY_NAME).count()


@dataclass(frozen=True)
class Enrolment:
    """What the user copies into their authenticator app: the secret as text and as a QR code."""

    device: TOTPDevice
    secret: str
    uri: str

    @property
    def qr_data_uri(self) -> str:
        svg = segno.make(self.uri, error="m").svg_data_uri(scale=5, border=2)
        return svg

    @property
    def secret_groups(self) -> str:
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def _enrolment(device: TOTPDevice) -> Enrolment:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return Enrolment(device=device, secret=secret, uri=device.config_url)


def two_factor_start(*, actor: User) -> Enrolment:
    """A new, unconfirmed authenticator for `actor` (replacing an earlier unconfirmed one)."""
    if two_factor_enabled(actor):
        raise ValidationError(
            {"code": _("Two-step sign-in is already on. Turn it off first to change phones.")}
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=actor, name=_DEVICE_NAME, confirmed=False)
    return _enrolment(device)


def two_factor_pending(*, actor: User) -> Enrolment | None:
    """The enrolment `actor` started and has not confirmed yet."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    return _enrolment(device) if device else None


def _clean_code(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()


def two_factor_confirm(*, actor: User, code: str) -> list[str]:
    """Turn two-step sign-in on once the app shows the right code; returns the new recovery codes."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        raise ValidationError({"code": _("Start again: scan the new QR code first.")})
    if not device.verify_token(_clean_code(code)):
        raise ValidationError(
            {"code": _("The code is wrong or has expired. Enter the code the app shows now.")}
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=actor, action=AuditAction.TWO_FACTOR_ENABLED, obj=actor)
        codes = _recovery_codes_replace(actor)
        _api_tokens_revoke(actor)
    return codes


def _api_tokens_revoke(user: User) -> None:
    """Every API token of `user` was issued without this authenticator (the first one, or a new phone after
    a reset): none of them keeps working."""
    revoked = ApiToken.objects.filter(user=user).unrevoked().update(revoked_at=timezone.now())
    if revoked:
        audit_record(
            actor=user,
            action=AuditAction.TOKEN_REVOKED,
            obj=user,
            organisation=user.active_organisation_id_checked(),
            note=f"{revoked} API tokens: two-step sign-in turned on",
        )


def _recovery_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=_RECOVERY_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(actor=user, action=AuditAction.RECOVERY_CODES_ISSUED, obj=user, note=f"{len(codes)} codes")
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def recovery_codes_issue(*, actor: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working); needs a current code from the app."""
    device = authenticator(actor)
    if device is None:
        raise ValidationError({"code": _("Two-step sign-in is off.")})
    if not device.verify_token(_clean_code(code)):
        _audit_failure(actor)
        raise ValidationError(
            {"code": _("The code is wrong or has expired. Enter the code the app shows now.")}
        )
    with transaction.atomic():
        return _recovery_codes_replace(actor)


def two_factor_disable(*, actor: User, code: str) -> None:
    """Turn two-step sign-in off, proven with a current code; not for roles that require it."""
    if two_factor_required(actor):
        raise ValidationError({"code": _("Your role requires two-step sign-in; it cannot be turned off.")})
    device = authenticator(actor)
    if device is None:
        raise ValidationError({"code": _("Two-step sign-in is off.")})
    if two_factor_verify(user=actor, code=code) is None:
        raise ValidationError(
            {"code": _("The code is wrong or has expired. Enter the code the app shows now.")}
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()
        audit_record(actor=actor, action=AuditAction.TWO_FACTOR_DISABLED, obj=actor)


def _audit_failure(user: User) -> None:
    audit_record(actor=user, action=AuditAction.TWO_FACTOR_FAILED, obj=user)


def two_factor_verify(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code` (the app's code or a recovery code, used up), or None (audited)."""
    token = _clean_code(code)
    device = authenticator(user)
    if device is not None and token.isdigit() and device.verify_token(token):
        return device
    recovery = StaticDevice.objects.filter(user=user, name=_RECOVERY_NAME).first()
    if recovery is not None and not token.isdigit() and recovery.verify_token(token):
        audit_record(
            actor=user,
            action=AuditAction.RECOVERY_CODE_USED,
            obj=user,
            note=f"{recovery_codes_left(user)} left",
        )
        return recovery
    _audit_failure(user)
    return None


def second_step_refusal(*, user: User, code: str) -> tuple[int, str, str] | None:
    """Why a password-only sign-in (the API token) is refused the second step, as (HTTP status, error code,
    message); None when `code` passes it or the user needs none."""
    if two_factor_enabled(user):
        if not code:
            return (
                401,
                "two_factor_code_required",
                _("Two-step sign-in is on: send the code from the authenticator app as 'code'."),
            )
        if two_factor_verify(user=user, code=code) is None:
            return (
                401,
                "two_factor_code_wrong",
                _("The code is wrong or has expired. Enter the code the app shows now."),
            )
    elif two_factor_required(user):
        return (
            403,
            "two_factor_setup_required",
            _("Your role requires two-step sign-in. Set it up in your profile in Tirek first."),
        )
    return None
