"""Reads of sessions and group activities, always starting from what the user may see.

Sessions hold personal data: reading them needs a casework role in the organisation (one that may plan or
log sessions or run groups); another organisation's record is not found (404), a role without casework is
refused (403).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case as DbCase
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import Membership, User
from tirek.cases.models import Case
from tirek.catalog.models import Service
from tirek.core.errors import NotAllowed
from tirek.core.scoping import can, get_visible_or_404
from tirek.services.choices import GroupActivityStatus, VisitMode, VisitStatus
from tirek.services.models import GroupActivity, GroupParticipant, Visit
from tirek.services.services import SERVABLE_CASE_STATUSES

READ_CAPABILITIES = ("visits.plan", "visits.log", "groups.manage")
# Roles that may look at any specialist's day and week, not only their own.
SCHEDULE_VIEWERS = frozenset({"manager", "coordinator", "intake"})
# The usual service of a profession: the first session's default before the specialist has any.
DEFAULT_SERVICE_OF_PROFESSION = {
    "speech_therapist": "speech_therapy_session",
    "defectologist": "defectology_session",
    "psychologist": "psychological_correction_session",
    "rehabilitation_doctor": "rehabilitation_doctor_consultation",
    "neurologist": "neurologist_consultation",
    "paediatrician": "paediatrician_consultation",
    "physiotherapy_instructor": "physiotherapy_session",
    "occupational_therapist": "occupational_therapy_session",
    "massage_therapist": "massage",
    "audiologist": "audiological_screening",
    "social_worker": "social_worker_home_visit",
    "social_pedagogue": "psychological_consultation",
    "lawyer": "legal_consultation",
    "teacher": "defectology_session",
}
# Roles whose members appear as specialists in the schedule pickers.
PROVIDER_ROLES = ("specialist", "coordinator", "manager")


def can_read_visits(user, organisation_id=None) -> bool:
    return any(can(user, capability, organisation_id) for capability in READ_CAPABILITIES)


def require_visit_reader(user, organisation_id=None) -> None:
    if not can_read_visits(user, organisation_id):
        raise NotAllowed("visits.view")


def _organisation_id(user):
    organisation_id = user.active_organisation_id_checked()
    if organisation_id is None:
        raise NotAllowed("visits.view")
    return organisation_id


def _visits(user) -> QuerySet[Visit]:
    return Visit.objects.visible_to(user).select_related(
        "case",
        "case__person",
        "service",
        "service__service_type",
        "specialist",
        "profession",
        "group_activity",
    )


def delivered_visits(*, user=None, organisation=None) -> QuerySet[Visit]:
    """The sessions that took place (attended), every count of delivered sessions starts here.

    A cancelled or no-show session never counts. A group activity adds one delivered session per attended
    participant (format "group"), so each attended participant counts as served. Without `user` (reports
    computing aggregates) every organisation's rows; with it, only what the user may see."""
    visits = Visit.objects.visible_to(user) if user is not None else Visit.objects.all()
    if organisation is not None:
        visits = visits.filter(organisation_id=getattr(organisation, "pk", organisation))
    return visits.delivered()


def visit_list(
    *,
    user,
    case=None,
    specialist=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    status: str | None = None,
) -> QuerySet[Visit]:
    require_visit_reader(user, _organisation_id(user))
    visits = _visits(user).prefetch_related("goals__plan_goal")
    if case is not None:
        visits = visits.filter(case_id=getattr(case, "pk", case))
    if specialist is not None:
        visits = visits.filter(specialist_id=getattr(specialist, "pk", specialist))
    if date_from is not None:
        visits = visits.filter(starts_at__gte=_day_start(date_from))
    if date_to is not None:
        visits = visits.filter(starts_at__lt=_day_after(date_to))
    if status:
        visits = visits.filter(status=status)
    return visits


def visit_get(*, user, pk) -> Visit:
    visit = get_visible_or_404(
        Visit.objects.select_related(
            "case",
            "case__person",
            "case__programme",
            "service",
            "service__service_type",
            "specialist",
            "profession",
            "group_activity",
            "created_by",
        ).prefetch_related("goals__plan_goal"),
        user,
        pk=pk,
    )
    require_visit_reader(user, visit.organisation_id)
    return visit


def case_for_visits(*, user, pk) -> Case:
    """A case the user may see and whose sessions they may read (404, then 403)."""
    case = get_visible_or_404(Case.objects.select_related("person", "programme", "organisation"), user, pk=pk)
    require_visit_reader(user, case.organisation_id)
    return case


def case_visits(*, case: Case) -> QuerySet[Visit]:
    return (
        case.visits.select_related("service", "specialist", "profession", "group_activity")
        .prefetch_related("goals__plan_goal")
        .order_by("-starts_at", "id")
    )


def case_visit_summary(*, case: Case) -> dict[str, Any]:
    """How many sessions a case had, by outcome, and the minutes delivered."""
    rows = case.visits.values("status").annotate(total=Count("id"))
    by_status = {row["status"]: row["total"] for row in rows}
    delivered = case.visits.filter(status=VisitStatus.ATTENDED).values_list("minutes", flat=True)
    return {
        "by_status": {s: by_status.get(s, 0) for s in VisitStatus.values},
        "delivered_minutes": sum(delivered),
    }


# --- the specialist's day and week ------------------------------------------------------------------------


# Dates outside these are clamped in filters (no session is that old or that far ahead).
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9000, 12, 31)


def _day_start(day: dt.date) -> dt.datetime:
    day = min(max(day, FIRST_DAY), LAST_DAY)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _day_after(day: dt.date) -> dt.datetime:
    return _day_start(min(day, LAST_DAY) + dt.timedelta(days=1))


def schedule_specialist(*, user, specialist_id=None) -> User:
    """Whose day the user looks at: their own, or (managers, coordinators, intake) any member's."""
    organisation_id = _organisation_id(user)
    require_visit_reader(user, organisation_id)
    if not specialist_id or str(specialist_id) == str(user.pk):
        return user
    if not user.roles(organisation_id) & SCHEDULE_VIEWERS:
        raise NotAllowed("visits.view_others")
    member = (
        Membership.objects.filter(organisation_id=organisation_id, user_id=specialist_id, is_active=True)
        .select_related("user")
        .first()
    )
    if member is None:
        raise Http404
    return member.user


def schedule_specialists(*, user) -> QuerySet[User] | None:
    """The members whose schedule the user may open (None: only their own)."""
    organisation_id = _organisation_id(user)
    if not user.roles(organisation_id) & SCHEDULE_VIEWERS:
        return None
    return (
        User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=PROVIDER_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _schedule(*, user, specialist: User, first: dt.date, days: int) -> dict[dt.date, list[dict]]:
    """The specialist's individual sessions and the group activities they lead, by day, in time order."""
    start, end = _day_start(first), _day_start(first + dt.timedelta(days=days))
    visits = (
        _visits(user)
        .filter(specialist=specialist, group_activity__isnull=True, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at")
    )
    groups = (
        GroupActivity.objects.visible_to(user)
        .filter(facilitators=specialist, starts_at__gte=start, starts_at__lt=end)
        .select_related("service")
        .annotate(
            participant_count=Count("participants", distinct=True),
            attended_count=Count("participants", filter=Q(participants__attended=True), distinct=True),
        )
        .order_by("starts_at")
    )
    entries: dict[dt.date, list[dict]] = defaultdict(list)
    for visit in visits:
        entries[timezone.localtime(visit.starts_at).date()].append({"visit": visit, "at": visit.starts_at})
    for activity in groups:
        entries[timezone.localtime(activity.starts_at).date()].append(
            {"group": activity, "at": activity.starts_at}
        )
    for items in entries.values():
        items.sort(key=lambda item: item["at"])
    return entries


def specialist_day(*, user, specialist: User, day: dt.date) -> list[dict]:
    """One day of `specialist`: entries {"visit": Visit} or {"group": GroupActivity}, in time order."""
    return _schedule(user=user, specialist=specialist, first=day, days=1).get(day, [])


def specialist_week(*, user, specialist: User, start: dt.date) -> list[tuple[dt.date, list[dict]]]:
    """Seven days of `specialist` from `start`: (day, entries) for each day."""
    entries = _schedule(user=user, specialist=specialist, first=start, days=7)
    return [(day, entries.get(day, [])) for day in (start + dt.timedelta(days=n) for n in range(7))]


def specialist_open_cases(*, user, specialist: User) -> QuerySet[Case]:
    """The organisation's open cases, the specialist's own first (coordinator, team, or a session in the
    last quarter), to choose a session's case in a few clicks."""
    organisation_id = _organisation_id(user)
    since = timezone.now() - dt.timedelta(days=92)
    own = (
        Q(coordinator=specialist)
        | Exists(Case.team.through.objects.filter(case_id=OuterRef("pk"), user_id=specialist.pk))
        | Exists(Visit.objects.filter(case_id=OuterRef("pk"), specialist=specialist, starts_at__gte=since))
    )
    return (
        Case.objects.visible_to(user)
        .filter(organisation_id=organisation_id, status__in=SERVABLE_CASE_STATUSES)
        .select_related("person")
        .annotate(theirs=DbCase(When(own, then=Value(0)), default=Value(1)))
        .order_by("theirs", "number")
    )


def open_cases(*, user) -> QuerySet[Case]:
    """Every case of the user's organisation that may get sessions or join a group."""
    organisation_id = _organisation_id(user)
    return (
        Case.objects.visible_to(user)
        .filter(organisation_id=organisation_id, status__in=SERVABLE_CASE_STATUSES)
        .select_related("person")
        .order_by("number")
    )


def organisation_providers(*, user) -> QuerySet[User]:
    """Members who may run sessions (specialists, coordinators, managers) of the user's organisation."""
    organisation_id = _organisation_id(user)
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=PROVIDER_ROLES,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def last_visit_of(*, specialist: User) -> Visit | None:
    """The specialist's latest individual session: its service, minutes and mode are the next defaults."""
    return (
        Visit.objects.filter(specialist=specialist, group_activity__isnull=True)
        .select_related("service")
        .order_by("-starts_at")
        .first()
    )


def session_defaults(*, specialist: User, organisation_id) -> dict[str, Any]:
    """What the specialist's next session most likely is: like their last one, or their profession's usual."""
    last = last_visit_of(specialist=specialist)
    if last is not None:
        return {"service": last.service_id, "minutes": last.minutes, "mode": last.mode}
    profession = (
        Membership.objects.filter(user=specialist, organisation_id=organisation_id)
        .values_list("profession__code", flat=True)
        .first()
    )
    code = DEFAULT_SERVICE_OF_PROFESSION.get(profession or "", "")
    service = (
        Service.objects.filter(code=code, is_active=True).values_list("pk", flat=True).first()
        if code
        else None
    )
    return {"service": service, "minutes": 45, "mode": VisitMode.CENTRE}


# --- group activities -------------------------------------------------------------------------------------


def group_activity_list(
    *,
    user,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> QuerySet[GroupActivity]:
    require_visit_reader(user, _organisation_id(user))
    activities = (
        GroupActivity.objects.visible_to(user)
        .select_related("service", "service__service_type")
        .prefetch_related(
            "facilitators", Prefetch("participants", queryset=GroupParticipant.objects.select_related("case"))
        )
        .annotate(
            participant_count=Count("participants", distinct=True),
            attended_count=Count("participants", filter=Q(participants__attended=True), distinct=True),
        )
    )
    if date_from is not None:
        activities = activities.filter(starts_at__gte=_day_start(date_from))
    if date_to is not None:
        activities = activities.filter(starts_at__lt=_day_after(date_to))
    if kind:
        activities = activities.filter(kind=kind)
    if status:
        activities = activities.filter(status=status)
    return activities


def group_activity_get(*, user, pk) -> GroupActivity:
    activity = get_visible_or_404(
        GroupActivity.objects.select_related(
            "service", "service__service_type", "created_by", "partnership"
        ).prefetch_related("facilitators"),
        user,
        pk=pk,
    )
    require_visit_reader(user, activity.organisation_id)
    return activity


def group_case_choices(*, user, activity: GroupActivity | None = None) -> QuerySet[Case]:
    """The cases that may join a group: the open ones, and those already in `activity`."""
    organisation_id = _organisation_id(user)
    wanted = Q(status__in=SERVABLE_CASE_STATUSES)
    if activity is not None:
        wanted |= Q(pk__in=activity.participants.values("case_id"))
    return (
        Case.objects.visible_to(user)
        .filter(wanted, organisation_id=organisation_id)
        .select_related("person")
        .order_by("number")
    )


def cases_by_ids(*, user, ids, field: str = "cases") -> list[Case]:
    """The cases of the user's organisation with these ids; a field error when any is not found (missing and
    another organisation's alike)."""
    organisation_id = _organisation_id(user)
    wanted = list(dict.fromkeys(ids))
    found = Case.objects.visible_to(user).filter(organisation_id=organisation_id, pk__in=wanted).in_bulk()
    if len(found) != len(wanted):
        raise ValidationError({field: _("Some of the chosen cases were not found.")})
    return [found[pk] for pk in wanted]


def group_participants(*, activity: GroupActivity) -> QuerySet[GroupParticipant]:
    return activity.participants.select_related("case", "case__person").order_by("case__number")


def group_served_count(*, activity: GroupActivity) -> int:
    """Everyone served by a held activity: each attended participant once, plus the others without a case."""
    if activity.status != GroupActivityStatus.HELD:
        return 0
    return activity.participants.filter(attended=True).count() + activity.others_count


def held_group_activities(*, user=None, organisation=None) -> QuerySet[GroupActivity]:
    """Group activities that took place (for counting activities rather than participants)."""
    activities = GroupActivity.objects.visible_to(user) if user is not None else GroupActivity.objects.all()
    if organisation is not None:
        activities = activities.filter(organisation_id=getattr(organisation, "pk", organisation))
    return activities.filter(status=GroupActivityStatus.HELD)


def case_plan_goals(*, case) -> list:
    """The goals a session of `case` may work on: those of its newest plan past the draft stage."""
    from tirek.plans.choices import PlanStatus
    from tirek.plans.models import PlanGoal

    plan_id = (
        case.plans.exclude(status__in=[PlanStatus.DRAFT, PlanStatus.SUPERSEDED])
        .order_by("-approved_on", "-created_at")
        .values_list("pk", flat=True)
        .first()
    )
    if plan_id is None:
        return []
    return list(PlanGoal.objects.filter(plan_id=plan_id).order_by("order", "target_date"))


def visit_goal_notes(visit) -> dict:
    """{goal id: progress note} of the goals `visit` worked on."""
    return {goal.plan_goal_id: goal.note for goal in visit.goals.all()}


def own_partnerships(*, user):
    """The memoranda the user's active organisation signed (a joint event is held under one of them)."""
    from tirek.directory.models import Partnership

    organisation_id = user.active_organisation_id_checked()
    return Partnership.objects.filter(parties=organisation_id).order_by("-signed_on", "title")
