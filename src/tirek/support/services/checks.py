"""Checks the support services share: whom an organisation may serve, and who may handle its appeals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from tirek.accounts.models import Membership
from tirek.core.scoping import CAPABILITIES
from tirek.people.models import Family, Person, PersonAccess


def org_id(organisation):
    return getattr(organisation, "pk", organisation)


def acting_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def person_seen_by(organisation, person: Person) -> bool:
    """Whether `organisation` may see `person` (it registered them, holds a case or received a referral)."""
    return PersonAccess.objects.filter(organisation_id=org_id(organisation), person=person).exists()


def families_seen_by(organisation, ids) -> set:
    """Which of the families `ids` `organisation` may see: it registered them, or serves a member."""
    organisation_id = org_id(organisation)
    members = PersonAccess.objects.filter(organisation_id=organisation_id).values("person_id")
    return set(
        Family.objects.filter(pk__in=list(ids))
        .filter(Q(registered_by_id=organisation_id) | Q(members__person_id__in=members))
        .values_list("pk", flat=True)
    )


def family_seen_by(organisation, family: Family) -> bool:
    return family.pk in families_seen_by(organisation, [family.pk])


def check_person(organisation, person: Person | None, field: str = "person") -> None:
    if person is not None and (person.merged_into_id is not None or not person_seen_by(organisation, person)):
        raise ValidationError({field: _("Choose a person your organisation serves.")})


def check_family(organisation, family: Family | None, field: str = "family") -> None:
    if family is not None and not family_seen_by(organisation, family):
        raise ValidationError({field: _("Choose a family your organisation serves.")})


def check_member(organisation, user, field: str, capability: str = "appeals.handle") -> None:
    """`user` must be an active member of `organisation` whose role holds `capability` (an appeal's
    assignee must be able to open and answer it)."""
    if user is None:
        return
    if not Membership.objects.filter(
        organisation_id=org_id(organisation),
        user=user,
        is_active=True,
        user__is_active=True,
        role__in=CAPABILITIES[capability],
    ).exists():
        raise ValidationError({field: _("Choose an active member of the organisation.")})


def check_case(organisation, case, person: Person | None, field: str = "case") -> None:
    if case is None:
        return
    if person is None:
        raise ValidationError({field: _("Only an appeal of a registered person can be linked to a case.")})
    if case.organisation_id != org_id(organisation) or case.person_id != person.pk:
        raise ValidationError({field: _("Choose a case of this person in this organisation.")})
