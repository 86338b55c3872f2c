from __future__ import annotations

from django.db.models import QuerySet

from tirek.emergency.models import EmergencyAccess


def emergency_person_ids(user) -> frozenset:
    """Persons `user` may open now under emergency access (read once per request)."""
    cached = getattr(user, "_tirek_emergency", None)
    if cached is None:
        if not user.is_authenticated or "manager" not in user.roles():
            cached = frozenset()
        else:
            cached = frozenset(
                EmergencyAccess.objects.active()
                .filter(user=user, organisation_id=user.active_organisation_id_checked())
                .values_list("person_id", flat=True)
            )
        user._tirek_emergency = cached
    return cached


def emergency_access_current(*, user, person) -> EmergencyAccess | None:
    """The user's running emergency access to `person`, if that is how they see them."""
    if person.pk not in emergency_person_ids(user):
        return None
    return EmergencyAccess.objects.active().filter(user=user, person=person).order_by("-expires_at").first()


def seen_only_in_emergency(user, person) -> bool:
    """Whether `user` reaches `person` only through emergency access: to read the record, not change it."""
    if person.pk not in emergency_person_ids(user):
        return False
    from tirek.people.models import PersonAccess

    return not PersonAccess.objects.filter(
        person=person, organisation_id=user.active_organisation_id_checked()
    ).exists()


def refuse_emergency_change(user, person) -> None:
    """403 when `user` reaches `person` only through emergency access: read, never changed."""
    if seen_only_in_emergency(user, person):
        from tirek.core.errors import NotAllowed

        raise NotAllowed("emergency access is read-only")


def emergency_access_list(*, user) -> QuerySet[EmergencyAccess]:
    return EmergencyAccess.objects.visible_to(user).select_related("user", "organisation", "person")
