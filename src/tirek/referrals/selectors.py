"""Reads of referrals, always from what the user's organisation sent or received.

Referrals name a person: reading them needs a role that sends, answers or records referrals (intake,
coordinator, manager); administrators read every referral and act on none. Another organisation's referral
is not found (404). The receiver reads the sending case only through `shared_parts_view`: the parts the
sender chose, while the referral stands.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from tirek.accounts.choices import Role
from tirek.cases.models import Case
from tirek.core.errors import NotAllowed
from tirek.core.scoping import can, get_visible_or_404, require
from tirek.directory.models import Organisation, Partnership, Programme
from tirek.people.access import can_see_health
from tirek.people.models import PersonAccess
from tirek.people.selectors import person_families
from tirek.referrals.choices import SHARED_STATUSES, Direction, ReferralStatus, SharedPart
from tirek.referrals.models import Referral, ReferralEvent
from tirek.referrals.services import partners_of

READ_CAPABILITIES = ("referrals.send", "referrals.respond", "referrals.record_external")
# Who of the receiving organisation reads the health part before a case of its own gives them the right.
HEALTH_READERS = frozenset({Role.MANAGER, Role.COORDINATOR})


def can_read_referrals(user, organisation_id=None) -> bool:
    return user.is_authenticated and (
        user.is_administrator or any(can(user, c, organisation_id) for c in READ_CAPABILITIES)
    )


def require_referral_reader(user, organisation_id=None) -> None:
    if not can_read_referrals(user, organisation_id):
        raise NotAllowed("referrals.view")


def _rows(user) -> QuerySet[Referral]:
    organisation_id = user.active_organisation_id_checked()
    visible = (
        Value(True)
        if user.is_administrator
        else Exists(
            PersonAccess.objects.filter(organisation_id=organisation_id, person_id=OuterRef("person_id"))
        )
    )
    return (
        Referral.objects.visible_to(user)
        .select_related("from_organisation", "to_organisation", "person", "programme")
        .annotate(person_visible=visible)
    )


def referral_list(*, user, direction: str | None = None, status: str | None = None) -> QuerySet[Referral]:
    """The referrals the user's organisation received (incoming) or sent (outgoing), newest first; each row
    says whether the user may still open its person (`person_visible`)."""
    require_referral_reader(user)
    organisation_id = user.active_organisation_id_checked()
    referrals = _rows(user)
    if direction == Direction.INCOMING:
        referrals = referrals.filter(to_organisation_id=organisation_id)
    elif direction == Direction.OUTGOING:
        referrals = referrals.filter(from_organisation_id=organisation_id)
    if status:
        referrals = referrals.filter(status=status)
    return referrals.order_by("-sent_at", "-number")


def referral_counts(*, user, direction: str | None) -> dict[str, int]:
    """How many referrals of each status the organisation received or sent (the inbox's tabs); without a
    direction, all it sees."""
    organisation_id = user.active_organisation_id_checked()
    referrals = Referral.objects.visible_to(user)
    if direction == Direction.INCOMING:
        referrals = referrals.filter(to_organisation_id=organisation_id)
    elif direction == Direction.OUTGOING:
        referrals = referrals.filter(from_organisation_id=organisation_id)
    rows = referrals.values("status").annotate(total=Count("id")).order_by()
    found = {row["status"]: row["total"] for row in rows}
    return {status: found.get(status, 0) for status in ReferralStatus.values}


def referral_get(*, user, pk) -> Referral:
    referral = get_visible_or_404(
        Referral.objects.select_related(
            "from_organisation",
            "to_organisation",
            "person",
            "from_case",
            "from_case__coordinator",
            "to_case",
            "programme",
            "consent",
            "sent_by",
            "responded_by",
            "completed_by",
            "revoked_by",
        ).prefetch_related("services"),
        user,
        pk=pk,
    )
    require_referral_reader(user)
    return referral


def referral_history(*, referral: Referral) -> QuerySet[ReferralEvent]:
    return referral.events.select_related("actor", "organisation")


def referral_side(*, user, referral: Referral) -> str | None:
    """ "sender" or "receiver" for the user's organisation; None for a reader of neither (administrators)."""
    organisation_id = user.active_organisation_id_checked()
    if referral.from_organisation_id and organisation_id == referral.from_organisation_id:
        return "sender"
    if organisation_id == referral.to_organisation_id:
        return "receiver"
    return None


def person_visible(*, user, referral: Referral) -> bool:
    if user.is_administrator:
        return True
    organisation_id = user.active_organisation_id_checked()
    return PersonAccess.objects.filter(organisation_id=organisation_id, person_id=referral.person_id).exists()


def delivered_sessions(*, referral: Referral) -> int | None:
    """How many sessions the receiver's case opened from the referral has delivered: what the sender learns
    of the service (a number, nothing of the case itself). None while no case was opened."""
    if referral.to_case_id is None:
        return None
    from tirek.services.selectors import delivered_visits

    return delivered_visits().filter(case_id=referral.to_case_id).count()


def can_see_shared_health(*, user, referral: Referral) -> bool:
    organisation_id = user.active_organisation_id_checked()
    if organisation_id != referral.to_organisation_id:
        return False
    return bool(user.roles(organisation_id) & HEALTH_READERS) or can_see_health(user, referral.person)


def shared_parts_view(*, user, referral: Referral) -> dict[str, Any] | None:
    """What the receiving organisation reads of the sender's record: only the parts the sender shared, only
    while the referral stands, and health only for its managers and coordinators (or its own case team).
    None for anyone else (the sender has its own case)."""
    if referral_side(user=user, referral=referral) != "receiver" or referral.status not in SHARED_STATUSES:
        return None
    parts = set(referral.shared_parts)
    person, case = referral.person, referral.from_case
    view: dict[str, Any] = {"parts": parts}
    if SharedPart.CONTACTS in parts:
        view["contacts"] = {
            "phone": person.phone,
            "phone_other": person.phone_other,
            "region": str(person.region) if person.region_id else "",
            "locality": person.locality,
            "street": person.street,
            "home_languages": person.home_languages,
        }
    if SharedPart.FAMILY in parts:
        view["families"] = list(person_families(person=person))
    if SharedPart.HEALTH in parts and can_see_shared_health(user=user, referral=referral):
        view["health"] = {
            "disability_status": person.get_disability_status_display(),
            "diagnoses": list(person.diagnoses.select_related("diagnosis")),
        }
    if case is None:
        return view
    if SharedPart.ASSESSMENTS in parts:
        assessments = list(case.assessments.select_related("instrument").order_by("-assessed_on"))
        for assessment in assessments:
            # The page lists the plain scores (a total, a count); the API gives the instrument's full scores.
            assessment.plain_scores = [
                (name, value)
                for name, value in (assessment.scores or {}).items()
                if isinstance(value, int | float | str) and not isinstance(value, bool)
            ]
        view["assessments"] = assessments
    if SharedPart.PLAN in parts:
        from tirek.plans.choices import PlanStatus

        plan = (
            case.plans.exclude(status__in=[PlanStatus.DRAFT, PlanStatus.SUPERSEDED])
            .order_by("-approved_on", "-created_at")
            .first()
        )
        view["plan_goals"] = list(plan.goals.order_by("order", "target_date")) if plan else []
    if SharedPart.SESSIONS in parts:
        from tirek.services.selectors import delivered_visits

        rows = (
            delivered_visits()
            .filter(case_id=case.pk)
            .values("service__name_kk", "service__name_ru", "service__name_en")
            .annotate(total=Count("id"))
            .order_by("-total")
        )
        view["sessions"] = [{"service": _name(row, "service__name"), "total": row["total"]} for row in rows]
    return view


def _name(row: dict, prefix: str) -> str:
    from django.utils.translation import get_language

    language = (get_language() or "kk")[:2]
    return row.get(f"{prefix}_{language}") or row.get(f"{prefix}_kk") or ""


def case_referrals(*, user, case: Case) -> QuerySet[Referral]:
    """The referrals that left `case` or opened it, as far as the user's organisation sees them."""
    return (
        Referral.objects.visible_to(user)
        .filter(Q(from_case=case) | Q(to_case=case))
        .select_related("from_organisation", "to_organisation")
        .order_by("-sent_at")
    )


# --- choosing the receiver ----------------------------------------------------------------------------------


def referral_targets(
    *, user, region=None, kind: str | None = None, programme_kind: str | None = None, service=None
) -> QuerySet[Organisation]:
    """The organisations the user's organisation may refer to: active, not itself, its partners only when it
    refers only to partners; narrowed by region, type, the kind of programme they run, or a service they
    provide (delivered sessions of it, or a memorandum in force naming it)."""
    organisation_id = user.active_organisation_id_checked()
    require(user, "referrals.send", organisation_id)
    sender = Organisation.objects.get(pk=organisation_id)
    targets = (
        Organisation.objects.visible_to(user)
        .filter(is_active=True)
        .exclude(pk=organisation_id)
        .select_related("region")
    )
    if sender.referrals_partners_only:
        targets = targets.filter(pk__in=partners_of(sender).values("pk"))
    if region is not None:
        targets = targets.filter(region=region)
    if kind:
        targets = targets.filter(kind=kind)
    if programme_kind:
        targets = targets.filter(
            Exists(Programme.objects.filter(organisation=OuterRef("pk"), kind=programme_kind, is_active=True))
        )
    if service is not None:
        from tirek.services.models import Visit

        memoranda = Partnership.objects.in_force_on(timezone.localdate()).filter(
            services=service, parties=OuterRef("pk")
        )
        targets = targets.filter(
            Exists(Visit.objects.filter(organisation=OuterRef("pk"), service=service)) | Exists(memoranda)
        )
    return targets.order_by("name_kk")


def target_programmes(*, organisations) -> QuerySet[Programme]:
    """The active programmes of the organisations a referral may go to, to say which one is wanted.
    Programmes hold no personal data (analysts read them all), so they are read across organisations."""
    return (
        Programme.objects.filter(organisation__in=organisations, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name_kk", "name_kk")
    )


def accept_programmes_of(*, organisation) -> QuerySet[Programme]:
    """An organisation's active programmes (the one a referral wants, the one a case opens in)."""
    return Programme.objects.filter(
        organisation_id=getattr(organisation, "pk", organisation), is_active=True
    ).order_by("name_kk")


def accept_programmes(*, referral: Referral) -> QuerySet[Programme]:
    """The receiver's active programmes, one of which a case opened from the referral enrols the person in."""
    return accept_programmes_of(organisation=referral.to_organisation_id)
