"""Sign-in, sign-out and failed sign-in are recorded in the audit trail; a sign-in begins the session's clock.

Django announces these through its auth signals only, so the audit writes hang there; no business rule does.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tirek.accounts.sessions import session_begin
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="tirek_audit_login")
def _audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_begin(request, user)
    audit_record(
        actor=user, action=AuditAction.LOGIN, obj=user, organisation=user.active_organisation_id_checked()
    )


@receiver(user_logged_out, dispatch_uid="tirek_audit_logout")
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user)


@receiver(user_login_failed, dispatch_uid="tirek_audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username,
        note=username,
    )


@receiver(user_locked_out, dispatch_uid="tirek_audit_lockout")
def _audit_lockout(sender, request, username=None, ip_address=None, **kwargs):
    name = str(username or "")[:150]
    audit_record(
        actor=None,
        action=AuditAction.LOCKOUT,
        object_type="accounts.user",
        object_repr=name,
        note=f"{name} from {ip_address}",
    )
