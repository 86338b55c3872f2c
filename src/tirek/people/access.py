"""Who may see what of a person: health data only the case team and the organisation's managers; an
organisation that sees the person only through a referral, only the parts the referral shares."""

from __future__ import annotations

from django.db.models import Q

from tirek.accounts.choices import Role


def can_see_health(user, person) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    organisation_id = user.active_organisation_id_checked()
    if organisation_id is None:
        return False
    from tirek.cases.models import Case

    cases = Case.objects.filter(person=person, organisation_id=organisation_id)
    if Role.MANAGER in user.roles(organisation_id):
        from tirek.emergency.selectors import emergency_person_ids

        if person.pk in emergency_person_ids(user):  # opened in an emergency: the whole record
            return True
        return cases.exists() or person.registered_by_id == organisation_id
    return cases.filter(Q(coordinator=user) | Q(team=user)).exists()


def referral_only_parts(user, persons) -> dict:
    """{person id: the parts shared} for those of `persons` the user's organisation sees only through
    referrals addressed to it (its access reason is "referral": it neither registered them nor serves them
    in a case — a case makes the access the case's). Persons left out are seen on a ground of the
    organisation's own, so everything it may see is shown. Two queries whatever the number of persons."""
    organisation_id = user.active_organisation_id_checked() if user.is_authenticated else None
    if organisation_id is None or user.is_administrator:
        return {}
    from tirek.people.choices import AccessReason
    from tirek.people.models import PersonAccess
    from tirek.referrals.choices import LIVE_STATUSES
    from tirek.referrals.models import Referral

    only = PersonAccess.objects.filter(
        organisation_id=organisation_id, person_id__in=[p.pk for p in persons], reason=AccessReason.REFERRAL
    ).values_list("person_id", flat=True)
    parts: dict = {person_id: set() for person_id in only}
    if parts:
        for person_id, shared in Referral.objects.filter(
            person_id__in=list(parts), to_organisation_id=organisation_id, status__in=LIVE_STATUSES
        ).values_list("person_id", "shared_parts"):
            parts[person_id] |= set(shared or [])
    return {person_id: frozenset(shared) for person_id, shared in parts.items()}


CONTACT_FIELDS = ("locality", "street", "phone", "phone_other")


def contacts_hidden_for(user, persons) -> set:
    """Of `persons`, the ids whose contacts the user's organisation may not read: seen only through
    referrals that do not share them."""
    from tirek.referrals.choices import SharedPart

    return {
        person_id
        for person_id, shared in referral_only_parts(user, persons).items()
        if SharedPart.CONTACTS not in shared
    }
