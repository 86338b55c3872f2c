"""A child of the Almaty centre in a family, with an active case, and the consent that lets the centre share
the child's record with the Shymkent unit; a referral sent there; a third organisation that sees neither."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.cases.services import case_open
from tirek.directory.models import Organisation
from tirek.people.services import consent_record, family_create, family_member_add, person_register
from tirek.referrals.services import referral_send


def months_ago(months: int) -> dt.date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))


def _member(username: str, organisation, role: str) -> User:
    user = User.objects.create_user(username=username, password="x" * 20, active_organisation=organisation)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def member():
    """member(username, organisation, role): one more staff member."""
    return _member


@pytest.fixture
def intake_b(cast) -> User:
    return _member("berik", cast.shymkent, "intake")


@pytest.fixture
def third(cast):
    """A third organisation, in Almaty, with a coordinator and a manager: it sees none of the referrals."""
    organisation = Organisation.objects.create(
        name_kk="Үшінші орталық", name_ru="Третий центр", kind="family_support", region=cast.almaty.region
    )
    return {
        "organisation": organisation,
        "coordinator": _member("tamara", organisation, "coordinator"),
        "manager": _member("timur", organisation, "manager"),
    }


@pytest.fixture
def child(cast):
    """A 20-month-old child of the Almaty centre, whose mother is the legal representative."""
    kid = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омарова",
        given_name="Аружан",
        sex="female",
        birth_date=months_ago(20),
        iin_missing_reason="newborn",
        phone="+77011234567",
        locality="Алматы",
    )
    mother = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омарова",
        given_name="Дина",
        sex="female",
        birth_date=dt.date(1994, 3, 1),
        iin_missing_reason="unknown",
    )
    family = family_create(
        actor=cast.coordinator_a, organisation=cast.almaty, name="Омаровтар", first_member=kid
    )
    family_member_add(
        actor=cast.coordinator_a, family=family, person=mother, role="mother", is_legal_representative=True
    )
    kid.mother = mother
    return kid


@pytest.fixture
def case_a(cast, child):
    """The child's case at the Almaty centre, coordinated by Aigerim."""
    return case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
        opened_on=timezone.localdate() - dt.timedelta(days=60),
        coordinator=cast.coordinator_a,
    )


@pytest.fixture
def consent_for_b(cast, child):
    """The mother's consent to services and to sharing the record with the Shymkent unit."""
    return consent_record(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        given_by=child.mother,
        purposes=["services", "sharing"],
        given_on=timezone.localdate() - dt.timedelta(days=60),
        shared_with=[cast.shymkent],
    )


@pytest.fixture
def send(cast, case_a, consent_for_b):
    """send(**fields): a referral of the child's case to the Shymkent unit, sent by Aigerim."""

    def _send(**fields):
        values = {
            "actor": cast.coordinator_a,
            "organisation": cast.almaty,
            "to_organisation": cast.shymkent,
            "from_case": case_a,
            "reason": "Отбасы Шымкентке көшіп жатыр.",
            "shared_parts": ["contacts", "family"],
            **fields,
        }
        return referral_send(**values)

    return _send


@pytest.fixture
def referral(send):
    """A referral of the child's case to the Shymkent unit, sent and waiting for an answer."""
    return send()
