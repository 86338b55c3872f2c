"""The navigation a user sees: what their role in the active organisation lets them reach."""

from __future__ import annotations

from importlib import import_module

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tirek.core.scoping import can

# Apps that add their own entries after the casework ones, in this order.
APP_NAVIGATION = ("referrals", "support", "courses", "residence")


def navigation_for(user) -> dict:
    from tirek.accounts.selectors import own_memberships

    memberships = list(own_memberships(user=user))
    active_id = user.active_organisation_id_checked()
    active = next((m for m in memberships if m.organisation_id == active_id), None)
    # The brand is the way home: the bar keeps its room for the work (it must fit 1366–1440 px in Kazakh).
    items = []
    # Analysts work with aggregates only: no lists of persons or cases.
    if active is not None and active.role != "analyst":
        items.append((reverse("people:person_list"), _("Persons")))
        items.append((reverse("cases:case_list"), _("Cases")))
        if user.roles(active.organisation_id) & {"specialist", "coordinator", "manager", "intake"}:
            items.append((reverse("services:day"), _("Sessions")))
    for module in APP_NAVIGATION:
        items.extend(import_module(f"tirek.{module}.navigation").items(user, active))
    # The directory and the administration under one menu, so the daily work keeps the bar to itself.
    directory = [(reverse("directory:organisation_list"), _("Organisations"))]
    directory.append((reverse("directory:partnership_list"), _("Memoranda")))
    if active is not None or user.roles() & {"administrator", "analyst"}:
        directory.append((reverse("directory:programme_list"), _("Programmes")))
    if active is not None:
        directory.append((reverse("accounts:staff_list"), _("Staff")))
    directory.append((reverse("catalog:index"), _("Reference data")))
    if can(user, "people.retention"):
        directory.append((reverse("operations:retention"), _("Retention")))
    if user.is_administrator or (
        active is not None and (active.role == "manager" or active.is_data_protection_officer)
    ):
        directory.append((reverse("emergency:access_list"), _("Emergency access")))
    if can(user, "audit.view"):
        directory.append((reverse("audit:event_list"), _("Audit trail")))
    if user.is_administrator:
        directory.append((reverse("admin:index"), _("Administration")))
    # The reports: one link, or a menu when the role has several (a manager's dashboard and indicators).
    reports = import_module("tirek.reports.navigation").items(user, active)
    # Things of the user's own (their exports) sit in the user menu, beside the profile.
    own = import_module("tirek.exports.navigation").items(user, active)
    return {
        "nav_items": items,
        "nav_reports": reports,
        "nav_user_items": own,
        "nav_directory": directory,
        "nav_memberships": memberships,
        "nav_active_membership": active,
    }
