"""What this app adds to the main navigation: "My exports" for whoever may export something."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

EXPORT_ROLES = frozenset({"manager", "analyst", "administrator"})


def items(user, active) -> list[tuple[str, str]]:
    if active is None or active.role not in EXPORT_ROLES:
        return []
    return [(reverse("exports:job_list"), _("My exports"))]
