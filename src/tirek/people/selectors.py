"""Reads of the register, always among the persons the user may see."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from tirek.cases.models import Case
from tirek.core.names import skeleton
from tirek.core.phones import phone_number
from tirek.core.scoping import get_visible_or_404
from tirek.people.models import Consent, Family, FamilyMember, Person, PersonNameToken, person_visibility

MIN_QUERY = 3
_CASE_NUMBER = re.compile(r"^[A-Za-zА-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі0-9]+-\d{4}-\d+$")


def person_list(*, user) -> QuerySet[Person]:
    return Person.objects.visible_to(user).select_related("region")


def person_get(*, user, pk) -> Person:
    return get_visible_or_404(Person.objects.select_related("region", "registered_by"), user, pk=pk)


def person_search(*, user, query: str) -> QuerySet[Person]:
    """One search box: IIN, phone, case number or a name in any script; empty below three characters."""
    query = " ".join(query.split())
    persons = person_list(user=user)
    if len(query) < MIN_QUERY:
        return persons.none()
    if query.isdigit():
        return persons.filter(iin=query) if len(query) == 12 else persons.filter(iin__startswith=query)
    phone = phone_number(query)
    if phone:
        return persons.filter(Q(phone=phone) | Q(phone_other=phone))
    if _CASE_NUMBER.match(query):
        organisation_id = user.active_organisation_id_checked()
        # Numbers are stored in capitals (prefix-year-sequence): an exact match uses the unique index.
        numbers = Case.objects.filter(organisation_id=organisation_id, number=query.upper())
        return persons.filter(pk__in=numbers.values("person_id"))
    # Every word of the query must begin a word of the name: an indexed range over the name words.
    for token in skeleton(query).split():
        words = PersonNameToken.objects.filter(token__gte=token, token__lt=token + "~")
        persons = persons.filter(pk__in=words.values("person_id"))
    return persons


def person_cases(*, user, person: Person) -> QuerySet[Case]:
    return (
        Case.objects.visible_to(user)
        .filter(person=person)
        .select_related("programme", "organisation", "coordinator", "closure_reason")
    )


def person_families(*, person: Person) -> QuerySet[Family]:
    return Family.objects.filter(members__person=person).prefetch_related(
        Prefetch("members", queryset=FamilyMember.objects.select_related("person"))
    )


def person_consents(*, person: Person) -> QuerySet[Consent]:
    return person.consents.select_related("given_by", "recorded_by").prefetch_related("shared_with")


def family_list(*, user) -> QuerySet[Family]:
    return (
        Family.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(Prefetch("members", queryset=FamilyMember.objects.select_related("person")))
    )


def family_get(*, user, pk) -> Family:
    return get_visible_or_404(
        Family.objects.select_related("region").prefetch_related(
            Prefetch("members", queryset=FamilyMember.objects.select_related("person"))
        ),
        user,
        pk=pk,
    )


def visible_person_ids(user):
    """A subquery of the ids of the persons `user` may see (for joins from other apps)."""
    condition = person_visibility(user)
    persons = Person.objects.filter(merged_into__isnull=True)
    return (persons if condition is None else persons.filter(condition)).values("pk")


def consent_list(*, user) -> QuerySet[Consent]:
    """The consents of the persons `user` may see."""
    return Consent.objects.filter(person__in=person_list(user=user)).prefetch_related("shared_with")


def consent_get(*, user, pk, person: Person | None = None) -> Consent:
    """One visible consent (of `person` when given); 404 for missing, foreign and malformed ids alike."""
    consents = consent_list(user=user)
    if person is not None:
        consents = consents.filter(person=person)
    try:
        return consents.get(pk=pk)
    except (Consent.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
