"""Writes to sessions and group activities: planning, logging, editing, attendance — each with its CaseEvent
and audit event.

A specialist is never in two places at once: a planned or attended session, or a group activity they lead,
holds their time, across all their organisations. A cancelled or no-show session frees it.
"""

from __future__ import annotations

from tirek.services.services.checks import (
    EARLIEST_YEAR,
    ON_BEHALF_ROLES,
    SERVABLE_CASE_STATUSES,
    YEARS_AHEAD,
)
from tirek.services.services.groups import (
    GROUP_FIELDS,
    group_activity_create,
    group_activity_set_attendance,
    group_activity_update,
)
from tirek.services.services.importing import visits_import_delivered
from tirek.services.services.visits import VISIT_FIELDS, visit_log, visit_plan, visit_update

__all__ = [
    "EARLIEST_YEAR",
    "GROUP_FIELDS",
    "ON_BEHALF_ROLES",
    "SERVABLE_CASE_STATUSES",
    "VISIT_FIELDS",
    "YEARS_AHEAD",
    "group_activity_create",
    "group_activity_set_attendance",
    "group_activity_update",
    "visit_log",
    "visit_plan",
    "visit_update",
    "visits_import_delivered",
]
