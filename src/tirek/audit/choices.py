from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("audit action", "Create")
    UPDATE = "update", pgettext_lazy("audit action", "Update")
    DELETE = "delete", pgettext_lazy("audit action", "Delete")
    VIEW = "view", pgettext_lazy("audit action", "View")
    EXPORT = "export", pgettext_lazy("audit action", "Export")
    LOOKUP = "lookup", pgettext_lazy("audit action", "IIN look-up")
    LOGIN = "login", pgettext_lazy("audit action", "Sign-in")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed sign-in")
    LOCKOUT = "lockout", pgettext_lazy("audit action", "Sign-in locked")
    LOGOUT = "logout", pgettext_lazy("audit action", "Sign-out")
    LOGOUT_EVERYWHERE = "logout_everywhere", pgettext_lazy("audit action", "Signed out everywhere")
    SESSION_EXPIRED = "session_expired", pgettext_lazy("audit action", "Session expired")
    TWO_FACTOR_ENABLED = "2fa_enabled", pgettext_lazy("audit action", "Two-step sign-in turned on")
    TWO_FACTOR_DISABLED = "2fa_disabled", pgettext_lazy("audit action", "Two-step sign-in turned off")
    TWO_FACTOR_FAILED = "2fa_failed", pgettext_lazy("audit action", "Wrong sign-in code")
    RECOVERY_CODES_ISSUED = "recovery_issued", pgettext_lazy("audit action", "Recovery codes issued")
    RECOVERY_CODE_USED = "recovery_used", pgettext_lazy("audit action", "Recovery code used")
    TOKEN_ISSUED = "token_issued", pgettext_lazy("audit action", "API token issued")
    TOKEN_REVOKED = "token_revoked", pgettext_lazy("audit action", "API token revoked")
    TOKEN_REFUSED = "token_refused", pgettext_lazy("audit action", "API token refused")
    BREAK_GLASS = "break_glass", pgettext_lazy("audit action", "Emergency access")
    ANONYMISE = "anonymise", pgettext_lazy("audit action", "Anonymise")
    BACKUP = "backup", pgettext_lazy("audit action", "Backup")
    RESTORE = "restore", pgettext_lazy("audit action", "Restore")
    PERMISSION_DENIED = "permission_denied", pgettext_lazy("audit action", "Permission denied")
