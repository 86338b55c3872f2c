"""`tirek generate`: fictional national data that keeps the application's invariants, the same for one seed,
never mixed into a database holding real work, and countable by every indicator of the catalogue."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import F, Max
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.cases.models import Case, CaseCounter
from tirek.operations.generate import USER_PREFIX, ForeignData, Scale, generate
from tirek.people.models import Consent, Person, PersonAccess, PersonNameToken
from tirek.plans.models import Plan
from tirek.referrals.models import Referral
from tirek.reports.catalogue import INDICATORS_LIST, Filters
from tirek.reports.selectors import indicator_compute
from tirek.services.models import GroupParticipant, Visit
from tirek.support.models import AidDistribution, Appeal, Outcome

pytestmark = pytest.mark.django_db

SMALL = {"persons": 60, "organisations": 3, "visits_per_case": 20, "years": 2}


def quiet(_line: str) -> None:
    pass


def make(seed: int = 7, *, replace: bool = False):
    return generate(Scale(seed=seed, **SMALL), log=quiet, replace=replace)


def snapshot() -> dict:
    return {
        "persons": sorted(Person.objects.values_list("surname", "given_name", "birth_date", "iin")),
        "cases": sorted(Case.objects.values_list("number", "status", "opened_on", "closed_on")),
        "visits": sorted(
            Visit.objects.values_list("case__number", "starts_at", "status", "service__code", "mode")
        ),
        "appeals": sorted(Appeal.objects.values_list("number", "category", "status")),
        "referrals": sorted(Referral.objects.values_list("number", "status")),
    }


def test_generated_data_holds_the_invariants():
    generator = make()
    today = timezone.localdate()
    first_day = generator.scale.first_day

    assert Person.objects.count() == 60
    cases = Case.objects.select_related("person")
    assert 0.25 <= cases.count() / 60 <= 0.7  # about 40 % of persons have a case
    # Whoever registered a person, and every organisation holding a case, sees the person.
    for person in Person.objects.all():
        assert PersonAccess.objects.filter(person=person, organisation_id=person.registered_by_id).exists()
        tokens = set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True))
        assert tokens == set(person.name_skeleton.split())
        assert person.name_folded
    for case in cases:
        assert PersonAccess.objects.filter(
            person_id=case.person_id, organisation_id=case.organisation_id
        ).exists()
        assert first_day - dt.timedelta(days=60) <= case.opened_on <= today
        assert case.closed_on is None or case.opened_on <= case.closed_on <= today
        assert (case.status == "closed") == (case.closed_on is not None)
        if case.status == "closed":
            assert case.closure_reason_id is not None and case.closure_destination
        if case.status == "active":
            purposes = Consent.objects.filter(person_id=case.person_id).values_list("purposes", flat=True)
            assert any("services" in p for p in purposes)
    # Case numbers run prefix-year-sequence and the counters know the last one given.
    for counter in CaseCounter.objects.all():
        numbers = Case.objects.filter(organisation_id=counter.organisation_id, opened_on__year=counter.year)
        assert numbers.count() == counter.last
    assert Case.objects.values("organisation", "number").distinct().count() == cases.count()

    visits = Visit.objects.all()
    assert visits.count() > 200
    assert not visits.exclude(organisation_id=F("case__organisation_id")).exists()
    assert not visits.exclude(ends_at__gt=F("starts_at")).exists()
    members = set(Membership.objects.values_list("user_id", "organisation_id"))
    assert all(pair in members for pair in visits.values_list("specialist_id", "organisation_id").distinct())
    statuses = Counter(visits.values_list("status", flat=True))
    assert statuses["attended"] > statuses["cancelled"] + statuses["no_show"] > 0
    assert not visits.filter(status__in=["cancelled", "no_show"], cancellation_reason="").exists()
    assert not visits.filter(status="planned", starts_at__lte=timezone.now()).exists()
    edges = visits.aggregate(first=Max("starts_at"))
    assert timezone.localtime(edges["first"]).date() <= today + dt.timedelta(days=15)
    assert (
        not visits.filter(starts_at__lt=timezone.make_aware(dt.datetime.combine(first_day, dt.time.min)))
        .exclude(case__opened_on__lt=first_day)
        .exists()
    )
    assert set(visits.values_list("format", flat=True)) == {"individual", "group"}
    # A group session is a participant's attendance at an activity of the same organisation.
    for visit in visits.filter(group_activity__isnull=False).select_related("group_activity")[:50]:
        assert visit.group_activity.organisation_id == visit.organisation_id
        assert GroupParticipant.objects.filter(activity=visit.group_activity, case=visit.case).exists()

    # Every kind of record passes the model's own validation.
    for model in (Person, Case, Visit, Plan, Appeal, AidDistribution, Outcome, Referral, Consent):
        for record in model.objects.all()[:40]:
            try:
                record.full_clean()
            except ValidationError as error:  # pragma: no cover - the message says which record failed
                pytest.fail(f"{model.__name__} {record.pk}: {error.message_dict}")
    assert Appeal.objects.exists() and Outcome.objects.exists() and Plan.objects.exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    make(seed=11)
    first = snapshot()
    make(seed=11, replace=True)
    assert snapshot() == first
    make(seed=12, replace=True)
    assert snapshot()["persons"] != first["persons"]


def test_a_database_holding_other_data_is_refused_unless_forced(cast):
    with pytest.raises(ForeignData):
        generate(Scale(seed=3, **SMALL), log=quiet)
    with pytest.raises(CommandError, match="--force"):
        call_command("generate", "--persons", "20", stdout=None)
    assert not Person.objects.exists()

    generate(Scale(seed=3, **SMALL), log=quiet, force=True)
    assert Person.objects.count() == 60
    assert User.objects.filter(pk=cast.manager_a.pk).exists()  # the existing work is left alone
    with pytest.raises(ForeignData, match="--replace"):
        generate(Scale(seed=3, **SMALL), log=quiet, force=True)


def test_the_command_generates_and_reports(capsys):
    call_command("generate", "--persons", "30", "--organisations", "2", "--visits-per-case", "5")
    out = capsys.readouterr().out
    assert "Generating 30 persons" in out and "Done in" in out
    assert Person.objects.count() == 30


def test_every_indicator_computes_on_generated_data():
    generator = make()
    analyst = User.objects.get(username=f"{USER_PREFIX}analyst1")
    filters = Filters(date_from=generator.scale.first_day, date_to=timezone.localdate())
    figures = {}
    for indicator in INDICATORS_LIST:
        for by in (None, *indicator.dimensions):
            analyst.forget_roles()
            answer = indicator_compute(user=analyst, code=indicator.code, filters=filters, by=by)
            assert isinstance(answer["rows"], list)
            if by is None:
                figures[indicator.code] = answer["rows"][0]["value"]
    assert figures["visits_delivered"] > 100
    assert figures["new_cases"] > 5
