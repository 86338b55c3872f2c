"""Duplicates: candidate pairs for managers, merging as a manager's decision, dismissals that stick."""

from __future__ import annotations

import datetime as dt
import types
from importlib import import_module

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLResolver, path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tirek.audit.models import AuditEvent
from tirek.cases.models import Case
from tirek.cases.services import case_open
from tirek.catalog.models import Diagnosis
from tirek.core.names import folded, skeleton
from tirek.people import duplicate_views
from tirek.people.duplicate_api import PersonDuplicateViewSet
from tirek.people.duplicates import (
    DuplicateReason,
    duplicate_candidates,
    duplicate_dismiss,
    person_merge,
)
from tirek.people.models import (
    Consent,
    DuplicateDismissal,
    ExternalReference,
    Family,
    FamilyMember,
    Person,
    PersonDiagnosis,
)
from tirek.people.services import grant_access

# The routes as they are to be wired in people/urls.py and api_urls.py (the API ones before the router's).
PAGES = [
    path("duplicates/", duplicate_views.duplicate_list, name="duplicate_list"),
    path(
        "duplicates/<uuid:first>/<uuid:second>/merge/",
        duplicate_views.duplicate_merge,
        name="duplicate_merge",
    ),
    path(
        "duplicates/<uuid:first>/<uuid:second>/dismiss/",
        duplicate_views.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
]
API = [
    path("persons/duplicates/", PersonDuplicateViewSet.as_view({"get": "list"}), name="person-duplicates"),
    path(
        "persons/duplicates/dismiss/",
        PersonDuplicateViewSet.as_view({"post": "dismiss"}),
        name="person-duplicates-dismiss",
    ),
    path("persons/merge/", PersonDuplicateViewSet.as_view({"post": "merge"}), name="person-merge"),
]


@pytest.fixture(autouse=True)
def duplicate_routes(settings):
    """Until the routes are wired: the project's URLs with the duplicate routes put in front. Once they are
    wired this does nothing, and the tests run against the project's own URL conf."""
    try:
        reverse("people:duplicate_list")
        reverse("api:person-duplicates")
        return
    except NoReverseMatch:
        pass
    root = import_module(settings.ROOT_URLCONF)
    extra = {"people": PAGES, "api": API}
    urlconf = types.ModuleType("duplicate_routes")
    urlconf.__dict__.update({k: v for k, v in vars(root).items() if k.startswith("handler")})
    urlconf.urlpatterns = [
        URLResolver(
            entry.pattern,
            [*extra[entry.namespace], *entry.url_patterns],
            entry.default_kwargs,
            entry.app_name,
            entry.namespace,
        )
        if isinstance(entry, URLResolver) and entry.namespace in extra
        else entry
        for entry in root.urlpatterns
    ]
    settings.ROOT_URLCONF = urlconf


CHILD_BIRTH = timezone.localdate() - dt.timedelta(days=400)  # 13 months: inside the early-intervention window


def make_person(surname, given_name, *, organisation, birth_date=CHILD_BIRTH, sex="female", **fields):
    full = " ".join(part for part in (surname, given_name, fields.get("patronymic", "")) if part)
    if not fields.get("iin"):
        fields["iin_missing_reason"] = "unknown"
    person = Person.objects.create(
        surname=surname,
        given_name=given_name,
        birth_date=birth_date,
        sex=sex,
        registered_by=organisation,
        name_skeleton=skeleton(full),
        name_folded=folded(full),
        **fields,
    )
    grant_access(person=person, organisation=organisation, reason="registered")
    return person


@pytest.fixture
def almaty_person(cast):
    def make(surname, given_name, **fields):
        return make_person(surname, given_name, organisation=cast.almaty, **fields)

    return make


def pairs(candidates) -> dict[frozenset, object]:
    return {frozenset((c.first.pk, c.second.pk)): c for c in candidates}


# Finding candidates


def test_it_finds_one_child_written_in_two_scripts_on_the_same_birth_date(cast, almaty_person):
    cyrillic = almaty_person("Қасымова", "Айгерім")
    latin = almaty_person("Kasymova", "Aigerim")
    candidates = duplicate_candidates(user=cast.manager_a)
    assert len(candidates) == 1
    candidate = candidates[0]
    assert (candidate.first, candidate.second) == (cyrillic, latin)  # the older record first
    assert candidate.reasons == (DuplicateReason.SAME_BIRTH_DATE_SIMILAR_NAME,)
    assert candidate.reasons[0] == "same_birth_date_similar_name"
    with translation.override("en"):
        assert str(candidate.reasons[0].label) == "Same date of birth and a similar name"
    with translation.override("kk"):
        assert str(candidate.reasons[0].label) == "Туған күні бірдей, аты-жөні ұқсас"
    assert candidate.score == 70


def test_it_finds_a_near_spelling_and_a_name_typed_in_the_wrong_fields(cast, almaty_person):
    original = almaty_person("Омарова", "Дильназ", patronymic="Ерланқызы")
    typo = almaty_person("Омарова", "Дилнас")
    swapped = almaty_person("Дильназ", "Омарова")
    found = pairs(duplicate_candidates(user=cast.manager_a))
    assert frozenset((original.pk, typo.pk)) in found
    assert frozenset((original.pk, swapped.pk)) in found
    assert found[frozenset((original.pk, typo.pk))].score == 60


def test_twins_with_different_names_and_a_brother_are_not_proposed(cast, almaty_person):
    almaty_person("Қасымова", "Айгерім")
    almaty_person("Қасымова", "Айжан")
    almaty_person("Қасымов", "Айгерім", sex="male")  # a name one letter away, but the other sex
    almaty_person("Қасымова", "Айгерім", birth_date=CHILD_BIRTH - dt.timedelta(days=40))
    assert duplicate_candidates(user=cast.manager_a) == []


def test_it_finds_a_shared_phone_either_way_round(cast, almaty_person):
    first = almaty_person("Сейтқали", "Әлихан", sex="male", phone="+77011112233", birth_date=None)
    second = almaty_person("Seitkali", "Alikhan", sex="male", phone_other="+77011112233")
    [candidate] = duplicate_candidates(user=cast.manager_a)
    assert {candidate.first, candidate.second} == {first, second}
    assert candidate.reasons == (DuplicateReason.SAME_PHONE,)


def test_a_phone_and_a_similar_name_on_one_birth_date_add_up(cast, almaty_person):
    almaty_person("Қасымова", "Айгерім", phone="+77011112233")
    almaty_person("Kasymova", "Aigerim", phone="+77011112233")
    [candidate] = duplicate_candidates(user=cast.manager_a)
    assert set(candidate.reasons) == {
        DuplicateReason.SAME_BIRTH_DATE_SIMILAR_NAME,
        DuplicateReason.SAME_PHONE,
    }
    assert candidate.score == 100


def test_a_mother_and_her_child_sharing_a_phone_are_not_proposed(cast, almaty_person):
    almaty_person("Қасымова", "Гүлнар", birth_date=dt.date(1990, 6, 1), phone="+77011112233")
    almaty_person("Қасымова", "Айгерім", phone_other="+77011112233")
    assert duplicate_candidates(user=cast.manager_a) == []


def test_an_institutions_phone_shared_by_many_is_no_reason(cast, almaty_person):
    for number in range(12):
        almaty_person(f"Бала{number}", "Тест", birth_date=None, phone="+77272000000")
    assert duplicate_candidates(user=cast.manager_a) == []


def test_it_finds_day_and_month_swapped_and_one_day_apart(cast, almaty_person):
    original = almaty_person("Нұрланов", "Ерасыл", sex="male", birth_date=dt.date(2023, 3, 4))
    swapped = almaty_person("Нұрланов", "Ерасыл", sex="male", birth_date=dt.date(2023, 4, 3))
    next_day = almaty_person("Нұрланов", "Ерасыл", sex="male", birth_date=dt.date(2023, 3, 5))
    found = pairs(duplicate_candidates(user=cast.manager_a))
    for pair in ((original, swapped), (original, next_day)):
        assert found[frozenset(p.pk for p in pair)].reasons == (DuplicateReason.SAME_NAME_CLOSE_BIRTH_DATE,)


def test_two_different_iins_are_never_proposed(cast, almaty_person, iin):
    almaty_person("Қасымова", "Айгерім", iin=iin(CHILD_BIRTH, "female", 1))
    almaty_person("Kasymova", "Aigerim", iin=iin(CHILD_BIRTH, "female", 2))
    assert duplicate_candidates(user=cast.manager_a) == []


def test_it_proposes_only_persons_the_organisation_sees(cast, almaty_person):
    almaty_person("Қасымова", "Айгерім")
    make_person("Kasymova", "Aigerim", organisation=cast.shymkent)
    make_person("Омаров", "Нұрлан", organisation=cast.shymkent, sex="male")
    make_person("Omarov", "Nurlan", organisation=cast.shymkent, sex="male")
    assert duplicate_candidates(user=cast.manager_a) == []
    [candidate] = duplicate_candidates(user=cast.manager_b)
    assert candidate.first.surname == "Омаров"


def test_merged_persons_are_not_proposed_again(cast, almaty_person):
    survivor = almaty_person("Қасымова", "Айгерім")
    duplicate = almaty_person("Kasymova", "Aigerim")
    person_merge(actor=cast.manager_a, survivor=survivor, duplicate=duplicate)
    assert duplicate_candidates(user=cast.manager_a) == []


def test_the_limit_keeps_the_likeliest_pairs(cast, almaty_person):
    almaty_person("Ахметов", "Ерлан", sex="male", phone="+77011110000", birth_date=None)
    almaty_person("Akhmetov", "Erlan", sex="male", phone="+77011110000", birth_date=None)
    almaty_person("Қасымова", "Айгерім")
    almaty_person("Kasymova", "Aigerim")
    [best] = duplicate_candidates(user=cast.manager_a, limit=1)
    assert best.reasons == (DuplicateReason.SAME_BIRTH_DATE_SIMILAR_NAME,)


# Dismissing


def test_a_dismissed_pair_does_not_come_back(cast, almaty_person):
    first = almaty_person("Қасымова", "Айгерім")
    second = almaty_person("Kasymova", "Aigerim")
    client = cast.client(cast.manager_a)
    response = client.post(reverse("people:duplicate_dismiss", args=[second.pk, first.pk]))
    assert response.status_code == 302
    assert duplicate_candidates(user=cast.manager_a) == []
    dismissal = DuplicateDismissal.objects.get()
    assert str(dismissal.person_a_id) < str(dismissal.person_b_id)
    assert dismissal.dismissed_by == cast.manager_a
    assert client.get(reverse("people:duplicate_list")).context["rows"] == []
    events = AuditEvent.objects.filter(object_type="people.duplicatedismissal")
    assert {e.subject_person_id for e in events} == {first.pk, second.pk}


def test_dismissing_twice_records_it_once(cast, almaty_person):
    first = almaty_person("Қасымова", "Айгерім")
    second = almaty_person("Kasymova", "Aigerim")
    duplicate_dismiss(actor=cast.manager_a, person_a=first, person_b=second)
    duplicate_dismiss(actor=cast.manager_a, person_a=second, person_b=first)
    assert DuplicateDismissal.objects.count() == 1


def test_a_dismissal_is_the_organisations_own(cast, almaty_person):
    first = almaty_person("Қасымова", "Айгерім")
    second = almaty_person("Kasymova", "Aigerim")
    duplicate_dismiss(actor=cast.manager_a, person_a=first, person_b=second)
    programme = cast.programme_b
    for person in (first, second):
        Case.objects.create(
            organisation=cast.shymkent,
            programme=programme,
            person=person,
            number=f"S-{person.surname}",
            opened_on=timezone.localdate(),
            referral_source="self",
            referral_received_on=timezone.localdate(),
        )
        grant_access(person=person, organisation=cast.shymkent, reason="case")
    assert len(duplicate_candidates(user=cast.manager_b)) == 1


def test_the_api_dismisses_with_no_content(cast, almaty_person):
    first = almaty_person("Қасымова", "Айгерім")
    second = almaty_person("Kasymova", "Aigerim")
    client = cast.client(cast.manager_a)
    response = client.post(
        reverse("api:person-duplicates-dismiss"),
        {"person_a": str(first.pk), "person_b": str(second.pk)},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert client.get(reverse("api:person-duplicates")).json() == []


# Merging


@pytest.fixture
def linked_duplicate(cast, almaty_person, iin):
    """A child registered twice, with a case, a family, a consent, a diagnosis and a journal number on the
    second record."""
    survivor = almaty_person("Қасымова", "Айгерім", phone="+77011112233")
    duplicate = almaty_person(
        "Kasymova",
        "Aigerim",
        patronymic="Нұрланқызы",
        iin=iin(CHILD_BIRTH, "female", 7),
        phone="+77019998877",
        locality="Алматы",
    )
    mother = almaty_person("Қасымова", "Гүлнар", birth_date=dt.date(1990, 6, 1))
    case = case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=duplicate,
        programme=cast.programme_a,
        referral_source="polyclinic",
    )
    own_family = Family.objects.create(name="Қасымовтар", registered_by=cast.almaty)
    FamilyMember.objects.create(family=own_family, person=mother, role="mother", is_legal_representative=True)
    FamilyMember.objects.create(family=own_family, person=survivor, role="child")
    FamilyMember.objects.create(family=own_family, person=duplicate, role="child")
    grandparents = Family.objects.create(name="Нұрлановтар", registered_by=cast.almaty)
    FamilyMember.objects.create(family=grandparents, person=duplicate, role="child")
    consent = Consent.objects.create(
        person=duplicate,
        given_by=mother,
        purposes=["services"],
        given_on=timezone.localdate(),
        recorded_by=cast.almaty,
    )
    diagnosis = PersonDiagnosis.objects.create(person=duplicate, diagnosis=Diagnosis.objects.get(code="Q90"))
    reference = ExternalReference.objects.create(organisation=cast.almaty, external_id="17", person=duplicate)
    return types.SimpleNamespace(
        survivor=survivor,
        duplicate=duplicate,
        mother=mother,
        case=case,
        own_family=own_family,
        grandparents=grandparents,
        consent=consent,
        diagnosis=diagnosis,
        reference=reference,
    )


def test_merge_keeps_every_linked_record_and_hides_the_duplicate(cast, linked_duplicate):
    records = linked_duplicate
    survivor = person_merge(actor=cast.manager_a, survivor=records.survivor, duplicate=records.duplicate)

    records.case.refresh_from_db()
    records.consent.refresh_from_db()
    records.diagnosis.refresh_from_db()
    records.reference.refresh_from_db()
    assert records.case.person == survivor
    assert records.consent.person == survivor
    assert records.diagnosis.person == survivor
    assert records.reference.person == survivor
    assert set(FamilyMember.objects.filter(person=survivor).values_list("family", flat=True)) == {
        records.own_family.pk,
        records.grandparents.pk,
    }
    assert records.own_family.members.count() == 2  # the mother and one link for the child
    assert not FamilyMember.objects.filter(person=records.duplicate).exists()

    duplicate = Person.objects.get(pk=records.duplicate.pk)
    assert duplicate.merged_into == survivor
    assert duplicate not in Person.objects.visible_to(cast.manager_a)
    client = cast.client(cast.manager_a)
    assert client.get(reverse("people:person_detail", args=[survivor.pk])).status_code == 200
    assert client.get(reverse("people:person_detail", args=[duplicate.pk])).status_code == 404
    assert client.get(f"/api/v1/persons/{survivor.pk}/").status_code == 200
    assert client.get(f"/api/v1/persons/{duplicate.pk}/").status_code == 404


def test_the_survivor_keeps_its_fields_and_fills_the_empty_ones(cast, linked_duplicate, iin):
    records = linked_duplicate
    survivor = person_merge(actor=cast.manager_a, survivor=records.survivor, duplicate=records.duplicate)
    survivor.refresh_from_db()
    assert (survivor.surname, survivor.given_name) == ("Қасымова", "Айгерім")
    assert survivor.patronymic == "Нұрланқызы"
    assert survivor.name_skeleton == "kasymova aigerim nurlankyzy"
    assert survivor.iin == iin(CHILD_BIRTH, "female", 7)
    assert survivor.iin_missing_reason == ""
    assert (survivor.phone, survivor.phone_other) == ("+77011112233", "+77019998877")
    assert survivor.locality == "Алматы"
    assert Person.objects.get(pk=records.duplicate.pk).iin is None


def test_a_parent_registered_twice_keeps_the_consents_they_gave(cast, almaty_person):
    child = almaty_person("Қасымова", "Айгерім")
    mother = almaty_person("Қасымова", "Гүлнар", birth_date=dt.date(1990, 6, 1))
    mother_again = almaty_person("Kasymova", "Gulnar", birth_date=dt.date(1990, 6, 1))
    consent = Consent.objects.create(
        person=child, given_by=mother_again, purposes=["services"], given_on=timezone.localdate()
    )
    person_merge(actor=cast.manager_a, survivor=mother, duplicate=mother_again)
    consent.refresh_from_db()
    assert consent.given_by == mother
    assert consent.person == child


def test_a_person_merged_before_follows_the_merge(cast, almaty_person):
    first = almaty_person("Қасымова", "Айгерім")
    second = almaty_person("Kasymova", "Aigerim")
    third = almaty_person("Qasymova", "Aigerım")
    person_merge(actor=cast.manager_a, survivor=second, duplicate=third)
    person_merge(actor=cast.manager_a, survivor=first, duplicate=second)
    assert Person.objects.get(pk=third.pk).merged_into == first


def test_merge_is_audited(cast, linked_duplicate):
    records = linked_duplicate
    person_merge(
        actor=cast.manager_a, survivor=records.survivor, duplicate=records.duplicate, note="birth certificate"
    )
    kept = AuditEvent.objects.get(object_id=str(records.survivor.pk), action="update")
    assert kept.actor == cast.manager_a
    assert kept.organisation == cast.almaty
    assert kept.subject_person_id == records.survivor.pk
    assert kept.note == f"merged {records.duplicate.pk}: birth certificate"
    assert kept.changes["cases.case.person"] == [None, [str(records.case.pk)]]
    assert kept.changes["people.consent.person"] == [None, [str(records.consent.pk)]]
    assert kept.changes["people.persondiagnosis.person"] == [None, [str(records.diagnosis.pk)]]
    assert kept.changes["patronymic"] == ["", "Нұрланқызы"]
    assert "name_skeleton" not in kept.changes
    hidden = AuditEvent.objects.get(object_id=str(records.duplicate.pk), action="update")
    assert hidden.subject_person_id == records.duplicate.pk
    assert hidden.changes["merged_into"] == [None, str(records.survivor.pk)]


def test_merge_of_two_different_iins_is_refused(cast, almaty_person, iin):
    survivor = almaty_person("Қасымова", "Айгерім", iin=iin(CHILD_BIRTH, "female", 1))
    duplicate = almaty_person("Kasymova", "Aigerim", iin=iin(CHILD_BIRTH, "female", 2))
    with pytest.raises(ValidationError) as error:
        person_merge(actor=cast.manager_a, survivor=survivor, duplicate=duplicate)
    assert error.value.error_dict["duplicate"][0].code == "different_iin"
    assert Person.objects.get(pk=duplicate.pk).merged_into is None
    assert not AuditEvent.objects.filter(action="update").exists()


def test_an_iin_that_contradicts_the_kept_birth_date_is_refused(cast, almaty_person, iin):
    survivor = almaty_person("Қасымова", "Айгерім", birth_date=CHILD_BIRTH - dt.timedelta(days=1))
    duplicate = almaty_person("Kasymova", "Aigerim", iin=iin(CHILD_BIRTH, "female", 3))
    with pytest.raises(ValidationError) as error:
        person_merge(actor=cast.manager_a, survivor=survivor, duplicate=duplicate)
    assert error.value.error_dict["survivor"][0].code == "iin_mismatch"
    assert Person.objects.get(pk=duplicate.pk).iin == iin(CHILD_BIRTH, "female", 3)


def test_a_record_is_not_merged_with_itself(cast, almaty_person):
    person = almaty_person("Қасымова", "Айгерім")
    with pytest.raises(ValidationError):
        person_merge(actor=cast.manager_a, survivor=person, duplicate=person)


def test_the_merge_page_compares_and_merges(cast, almaty_person, iin):
    without_iin = almaty_person("Қасымова", "Айгерім")
    with_iin = almaty_person("Kasymova", "Aigerim", iin=iin(CHILD_BIRTH, "female", 5))
    client = cast.client(cast.manager_a)
    url = reverse("people:duplicate_merge", args=[without_iin.pk, with_iin.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Қасымова" in html and "Kasymova" in html
    assert with_iin.iin not in html  # masked
    assert with_iin.iin[-4:] in html
    assert page.context["form"]["survivor"].value() == str(with_iin.pk)  # the IIN outranks the age
    response = client.post(url, {"survivor": str(with_iin.pk), "note": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:duplicate_list")
    with translation.override("kk"):
        expected = gettext("The records have been merged into %(name)s.") % {"name": with_iin.full_name}
    assert expected in response.content.decode()
    assert Person.objects.get(pk=without_iin.pk).merged_into == with_iin


def test_the_merge_page_shows_why_a_merge_is_refused(cast, almaty_person, iin):
    first = almaty_person("Қасымова", "Айгерім", iin=iin(CHILD_BIRTH, "female", 1))
    second = almaty_person("Kasymova", "Aigerim", iin=iin(CHILD_BIRTH, "female", 2))
    client = cast.client(cast.manager_a)
    url = reverse("people:duplicate_merge", args=[first.pk, second.pk])
    response = client.post(url, {"survivor": str(first.pk)})
    assert response.status_code == 200
    with translation.override("kk"):
        expected = gettext("The two records have different IINs: they are two different people.")
    assert expected in response.content.decode()
    assert Person.objects.get(pk=second.pk).merged_into is None


def test_the_api_merges_and_answers_with_the_survivor(cast, almaty_person):
    survivor = almaty_person("Қасымова", "Айгерім")
    duplicate = almaty_person("Kasymova", "Aigerim", phone="+77019998877")
    client = cast.client(cast.manager_a)
    listed = client.get(reverse("api:person-duplicates")).json()
    assert listed == [
        {
            "person_a": str(survivor.pk),
            "person_b": str(duplicate.pk),
            "reasons": [
                {"code": "same_birth_date_similar_name", "label": "Туған күні бірдей, аты-жөні ұқсас"}
            ],
            "score": 70,
        }
    ]
    response = client.post(
        reverse("api:person-merge"),
        {"survivor": str(survivor.pk), "duplicate": str(duplicate.pk), "note": "checked"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["id"] == str(survivor.pk)
    assert response.json()["phone"] == "+77019998877"


def test_the_api_refuses_two_iins_in_the_one_error_shape(cast, almaty_person, iin):
    survivor = almaty_person("Қасымова", "Айгерім", iin=iin(CHILD_BIRTH, "female", 1))
    duplicate = almaty_person("Kasymova", "Aigerim", iin=iin(CHILD_BIRTH, "female", 2))
    response = cast.client(cast.manager_a).post(
        reverse("api:person-merge"),
        {"survivor": str(survivor.pk), "duplicate": str(duplicate.pk)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "duplicate" in response.json()["error"]["fields"]


# Who may do it


def test_a_specialist_gets_403_everywhere(cast, almaty_person):
    first = almaty_person("Қасымова", "Айгерім")
    second = almaty_person("Kasymova", "Aigerim")
    client = cast.client(cast.specialist_a)
    ids = {"person_a": str(first.pk), "person_b": str(second.pk)}
    assert client.get(reverse("people:duplicate_list")).status_code == 403
    assert client.get(reverse("people:duplicate_merge", args=[first.pk, second.pk])).status_code == 403
    merge_page = reverse("people:duplicate_merge", args=[first.pk, second.pk])
    assert client.post(merge_page, {"survivor": str(first.pk)}).status_code == 403
    assert client.post(reverse("people:duplicate_dismiss", args=[first.pk, second.pk])).status_code == 403
    assert client.get(reverse("api:person-duplicates")).status_code == 403
    merge = {"survivor": str(first.pk), "duplicate": str(second.pk)}
    response = client.post(reverse("api:person-merge"), merge, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    dismiss = client.post(reverse("api:person-duplicates-dismiss"), ids, content_type="application/json")
    assert dismiss.status_code == 403
    assert Person.objects.filter(merged_into__isnull=False).count() == 0
    assert DuplicateDismissal.objects.count() == 0


def test_another_organisations_manager_gets_404(cast, almaty_person):
    first = almaty_person("Қасымова", "Айгерім")
    second = almaty_person("Kasymova", "Aigerim")
    client = cast.client(cast.manager_b)
    merge_page = reverse("people:duplicate_merge", args=[first.pk, second.pk])
    assert client.get(merge_page).status_code == 404
    assert client.post(merge_page, {"survivor": str(first.pk)}).status_code == 404
    assert client.post(reverse("people:duplicate_dismiss", args=[first.pk, second.pk])).status_code == 404
    merge = {"survivor": str(first.pk), "duplicate": str(second.pk)}
    response = client.post(reverse("api:person-merge"), merge, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    ids = {"person_a": str(first.pk), "person_b": str(second.pk)}
    assert (
        client.post(
            reverse("api:person-duplicates-dismiss"), ids, content_type="application/json"
        ).status_code
        == 404
    )
    with pytest.raises(Exception) as error:
        person_merge(actor=cast.manager_b, survivor=first, duplicate=second)
    assert error.type.__name__ == "Http404"
    assert Person.objects.filter(merged_into__isnull=False).count() == 0


# Queries


def add_pairs(cast, numbers: range) -> None:
    """Pairs of one child in two scripts, each pair with its own birth date and patronymic."""
    for number in numbers:
        birth = dt.date(2022, 1, 1) + dt.timedelta(days=number)
        cyrillic, latin = (
            "".join(letters[int(d)] for d in f"{number:02d}") for letters in ("бвгдклмнпр", "bvgdklmnpr")
        )
        make_person("Қасымова", "Айгерім", patronymic=cyrillic, organisation=cast.almaty, birth_date=birth)
        make_person("Kasymova", "Aigerim", patronymic=latin, organisation=cast.almaty, birth_date=birth)


def test_the_candidate_list_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    client = cast.client(cast.manager_a)
    url = reverse("people:duplicate_list")
    add_pairs(cast, range(2))
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_pairs(cast, range(2, 25))  # 50 persons in all
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 25
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("api:person-duplicates")).json()) == 25
