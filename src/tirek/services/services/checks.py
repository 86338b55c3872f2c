"""The checks every write of a session or group activity shares: dates, people, services, double bookings."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import Membership, User
from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case
from tirek.catalog.models import Service
from tirek.core.errors import NotAllowed
from tirek.services.choices import (
    BUSY_STATUSES,
    GroupActivityStatus,
    Participant,
    VisitStatus,
)
from tirek.services.models import GroupActivity, Visit, VisitGoal

# Cases that may get new sessions or join a group.
SERVABLE_CASE_STATUSES = (CaseStatus.INTAKE, CaseStatus.ACTIVE)
# Roles that may plan and log for other specialists; a specialist records their own sessions only.
ON_BEHALF_ROLES = frozenset({"manager", "coordinator", "intake"})
# The years a session may fall in: from EARLIEST_YEAR to YEARS_AHEAD after this one.
EARLIEST_YEAR = 2000
YEARS_AHEAD = 3


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def span(starts_at: dt.datetime, minutes: int) -> dt.datetime:
    """The end of a session; a clear message (not an overflow) for times outside the service's years."""
    if not isinstance(starts_at, dt.datetime):
        raise ValidationError({"starts_at": _("Enter the date and time.")})
    today = timezone.localdate()
    # The year as given: converting a time at the edge of the calendar to another zone would overflow.
    if not EARLIEST_YEAR <= starts_at.year <= today.year + YEARS_AHEAD:
        raise ValidationError(
            {
                "starts_at": _("Enter a date between %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": today.year + YEARS_AHEAD}
            }
        )
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 5 <= minutes <= 600:
        raise ValidationError({"minutes": _("A session lasts from 5 to 600 minutes.")})
    return aware(starts_at) + dt.timedelta(minutes=minutes)


def aware(starts_at: dt.datetime) -> dt.datetime:
    return timezone.make_aware(starts_at) if timezone.is_naive(starts_at) else starts_at


def when(starts_at: dt.datetime, ends_at: dt.datetime) -> dict[str, str]:
    start, end = local(starts_at), local(ends_at)
    return {"start": start.strftime("%d.%m.%Y %H:%M"), "end": end.strftime("%H:%M")}


def active_membership(user: User, organisation_id) -> Membership | None:
    return (
        Membership.objects.filter(user=user, organisation_id=organisation_id, is_active=True)
        .select_related("profession")
        .first()
    )


def check_on_behalf(actor: User, specialist: User, organisation_id) -> None:
    """A specialist records their own sessions; managers, coordinators and intake anyone's."""
    if specialist.pk != actor.pk and not actor.roles(organisation_id) & ON_BEHALF_ROLES:
        raise NotAllowed("visits for another specialist")


def check_servable(case: Case) -> None:
    if case.status not in SERVABLE_CASE_STATUSES:
        raise ValidationError(
            {
                "case": _(
                    "Sessions can be added only to a case in intake or active (this one is %(status)s)."
                )
                % {"status": CaseStatus(case.status).label}
            }
        )


def check_date(case: Case, status: str, starts_at: dt.datetime) -> None:
    day = local(starts_at).date()
    today = timezone.localdate()
    if day < case.opened_on:
        raise ValidationError(
            {
                "starts_at": _("The case was opened on %(date)s; a session cannot be earlier.")
                % {"date": case.opened_on.strftime("%d.%m.%Y")}
            }
        )
    if status == VisitStatus.PLANNED and day < today:
        raise ValidationError(
            {"starts_at": _("A planned session cannot be in the past; log it with how it went instead.")}
        )
    if status in (VisitStatus.ATTENDED, VisitStatus.NO_SHOW) and day > today:
        raise ValidationError(
            {"status": _("A session in the future can only be planned or cancelled, not logged as held.")}
        )
    if case.closed_on and day > case.closed_on and status != VisitStatus.CANCELLED:
        raise ValidationError(
            {
                "starts_at": _("The case was closed on %(date)s; a session cannot be later.")
                % {"date": case.closed_on.strftime("%d.%m.%Y")}
            }
        )


def check_service(service: Service) -> None:
    if not isinstance(service, Service) or not service.is_active:
        raise ValidationError({"service": _("Choose an active service from the catalogue.")})


def clash(
    specialist: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    organisation_id,
    visit: Visit | None = None,
    activity: GroupActivity | None = None,
) -> str | None:
    """Why `specialist` is not free from `starts_at` to `ends_at`, or None when they are.

    Looks at every organisation, since a person is in one place at a time; another organisation's case is
    not named."""
    visits = Visit.objects.filter(
        specialist=specialist,
        group_activity__isnull=True,
        status__in=BUSY_STATUSES,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).select_related("case")
    if visit is not None and visit.pk:
        visits = visits.exclude(pk=visit.pk)
    other = visits.order_by("starts_at").first()
    if other is not None:
        values = {"name": str(specialist), **when(other.starts_at, other.ends_at)}
        if other.organisation_id != organisation_id:
            return _("%(name)s is busy from %(start)s to %(end)s in another organisation.") % values
        return _("%(name)s already has a session from %(start)s to %(end)s (case %(number)s).") % {
            **values,
            "number": other.case.number,
        }
    activities = GroupActivity.objects.filter(
        facilitators=specialist, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(status=GroupActivityStatus.CANCELLED)
    if activity is not None and activity.pk:
        activities = activities.exclude(pk=activity.pk)
    group = activities.order_by("starts_at").first()
    if group is not None:
        values = {"name": str(specialist), **when(group.starts_at, group.ends_at)}
        if group.organisation_id != organisation_id:
            return _("%(name)s is busy from %(start)s to %(end)s in another organisation.") % values
        return _("%(name)s already leads «%(topic)s» from %(start)s to %(end)s.") % {
            **values,
            "topic": group.topic,
        }
    return None


def lock(users: Iterable[User]) -> None:
    """Serialise bookings of the same specialists (PostgreSQL row locks; SQLite locks the database)."""
    list(User.objects.select_for_update().filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))


def clean_goals(goals: Iterable[Mapping[str, Any]] | None, case) -> list[VisitGoal] | None:
    """The goals a session worked on, each a goal of one of the case's plans past the draft stage."""
    if goals is None:
        return None
    from tirek.plans.choices import PlanStatus
    from tirek.plans.models import PlanGoal

    wanted: dict[uuid.UUID, str] = {}
    for item in goals:
        try:
            goal_id = uuid.UUID(str(item["plan_goal_id"]))
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"goals": _("Choose the goals from the case's plan.")}) from None
        if goal_id in wanted:
            raise ValidationError({"goals": _("Name each goal once.")})
        wanted[goal_id] = str(item.get("note") or "")
    known = set(
        PlanGoal.objects.filter(pk__in=wanted, plan__case=case)
        .exclude(plan__status=PlanStatus.DRAFT)
        .values_list("pk", flat=True)
    )
    if known != set(wanted):
        raise ValidationError({"goals": _("Choose the goals from the case's plan.")})
    return [VisitGoal(plan_goal_id=goal_id, note=note) for goal_id, note in wanted.items()]


def participants_in_order(participants: Iterable[str] | None) -> list[str]:
    """The participants in the order of the list of choices."""
    chosen = list(participants or [])
    if any(p not in Participant.values for p in chosen):
        raise ValidationError({"participants": _("Choose the participants from the list.")})
    return [p for p in Participant.values if p in chosen]
