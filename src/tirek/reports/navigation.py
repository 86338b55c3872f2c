"""What this app adds to the main navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The roles that read reports: a manager (their organisation), an analyst and an administrator (any).
REPORT_ROLES = frozenset({"manager", "analyst", "administrator"})


def items(user, active) -> list[tuple[str, str]]:
    """ "Reports" for managers and analysts (and administrators); a manager's menu has their organisation's
    dashboard first, then the indicators. Decided without a query. Analysts reach the dashboards from the
    reports page."""
    if active is None or active.role not in REPORT_ROLES:
        return []
    if active.role == "manager":
        return [(reverse("reports:dashboard"), _("Dashboard")), (reverse("reports:index"), _("Indicators"))]
    return [(reverse("reports:index"), _("Reports"))]
