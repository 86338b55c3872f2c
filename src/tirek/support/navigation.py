"""What this app adds to the main navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The casework roles that register and handle appeals and hand out aid.
SUPPORT_ROLES = frozenset({"intake", "specialist", "coordinator", "manager"})


def items(user, active) -> list[tuple[str, str]]:
    """(url, label) pairs for `user` whose active membership is `active` (None when there is none)."""
    if active is None or active.role not in SUPPORT_ROLES:
        return []
    return [
        (reverse("support:appeal_list"), _("Appeals")),
        (reverse("support:aid_list"), _("Aid")),
    ]
