"""What the home page shows each role: the user's own organisations, programmes and staff, never a stub."""

from __future__ import annotations

from tirek.accounts.selectors import membership_list, own_memberships
from tirek.cases.selectors import deadline_summary
from tirek.core.scoping import can
from tirek.directory.selectors import directory_summary, organisation_get, programme_list


def home_for(user) -> dict:
    memberships = list(own_memberships(user=user))
    active_id = user.active_organisation_id_checked()
    context: dict = {"memberships": memberships, "active_organisation": None}
    if active_id is not None:
        organisation = organisation_get(user=user, pk=active_id)
        active_membership = next(m for m in memberships if m.organisation_id == active_id)
        context.update(
            active_organisation=organisation,
            active_membership=active_membership,
            programmes=list(programme_list(user=user, organisation=organisation, active_only=True)),
            staff=list(membership_list(user=user, organisation=organisation, include_inactive=False)),
            can_manage_staff=can(user, "accounts.manage_staff", organisation),
            can_manage_programmes=can(user, "directory.manage_programmes", organisation),
        )
        if can(user, "cases.change", organisation):
            # A coordinator watches their own caseload; a manager the whole organisation's.
            mine = active_membership.role == "coordinator"
            context["deadlines"] = deadline_summary(user=user, coordinator=user if mine else None)
            context["deadlines_mine"] = mine
    if user.roles() & {"analyst", "administrator"}:
        context["summary"] = directory_summary(user=user)
    context["is_administrator"] = user.is_administrator
    return context
