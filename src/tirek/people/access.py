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
        return cases.exists() or person.registered_by_id == organisation_id
    return cases.filter(Q(coordinator=user) | Q(team=user)).exists()


def referral_only_parts(user, person) -> frozenset[str] | None:
    """The parts of the person's record (contacts, family) the user's organisation may read when it sees the
    person only through referrals addressed to it; None when it has a basis of its own (it registered them
    or holds a case), so everything it may see is shown."""
    organisation_id = user.active_organisation_id_checked() if user.is_authenticated else None
    if organisation_id is None or person.registered_by_id == organisation_id or user.is_administrator:
        return None
    from tirek.cases.models import Case
    from tirek.referrals.choices import LIVE_STATUSES
    from tirek.referrals.models import Referral

    if Case.objects.filter(person=person, organisation_id=organisation_id).exists():
        return None
    shared = Referral.objects.filter(
        person=person, to_organisation_id=organisation_id, status__in=LIVE_STATUSES
    ).values_list("shared_parts", flat=True)
    return frozenset(part for parts in shared for part in parts or [])


CONTACT_FIELDS = ("locality", "street", "phone", "phone_other")


def contacts_hidden_for(user, persons) -> set:
    """Of `persons`, the ids whose contacts the user's organisation may not read: seen only through
    referrals that do not share them. Three queries whatever the number of persons."""
    organisation_id = user.active_organisation_id_checked() if user.is_authenticated else None
    persons = [p for p in persons if organisation_id is not None and p.registered_by_id != organisation_id]
    if not persons or user.is_administrator:
        return set()
    from tirek.cases.models import Case
    from tirek.referrals.choices import LIVE_STATUSES, SharedPart
    from tirek.referrals.models import Referral

    ids = {p.pk for p in persons}
    own = set(
        Case.objects.filter(person_id__in=ids, organisation_id=organisation_id).values_list(
            "person_id", flat=True
        )
    )
    shared = set()
    for person_id, parts in Referral.objects.filter(
        person_id__in=ids - own, to_organisation_id=organisation_id, status__in=LIVE_STATUSES
    ).values_list("person_id", "shared_parts"):
        if SharedPart.CONTACTS in (parts or []):
            shared.add(person_id)
    return ids - own - shared
