"""What this app adds to the main navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tirek.referrals.selectors import can_read_referrals


def items(user, active) -> list[tuple[str, str]]:
    """(url, label) pairs for `user` whose active membership is `active` (None when there is none)."""
    if active is None or not can_read_referrals(user, active.organisation_id):
        return []
    return [(reverse("referrals:inbox"), _("Referrals"))]
