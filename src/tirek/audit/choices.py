from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("audit action", "Create")
    UPDATE = "update", pgettext_lazy("audit action", "Update")
    DELETE = "delete", pgettext_lazy("audit action", "Delete")
    VIEW = "view", pgettext_lazy("audit action", "View")
    EXPORT = "export", pgettext_lazy("audit action", "Export")
    LOGIN = "login", pgettext_lazy("audit action", "Sign-in")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed sign-in")
    LOCKOUT = "lockout", pgettext_lazy("audit action", "Sign-in locked")
    LOGOUT = "logout", pgettext_lazy("audit action", "Sign-out")
    PERMISSION_DENIED = "permission_denied", pgettext_lazy("audit action", "Permission denied")
