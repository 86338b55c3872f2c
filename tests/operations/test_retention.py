"""Retention: who is due for anonymisation, what anonymising removes and keeps, and who may run it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.documents import case_document_add
from tirek.cases.models import Case, CaseDocument
from tirek.cases.services import case_close, case_open
from tirek.catalog.models import ClosureReason, Service
from tirek.core.errors import NotAllowed
from tirek.courses.models import Course, CourseEnrolment
from tirek.operations.retention import services as retention
from tirek.people.models import Family, Person, PersonNameToken
from tirek.people.selectors import person_search
from tirek.people.services import family_create, family_member_add, person_register
from tirek.reports.catalogue import INDICATORS, Filters
from tirek.residence.models import Facility, Residence
from tirek.services.models import Visit
from tirek.services.services.visits import visit_log
from tirek.support.models import Appeal

PDF = b"%PDF-1.4\n% a PMPK conclusion\n"
IDENTIFYING = ("Қасымова", "Айгерім", "Нұрланқызы", "+77011234567", "Абай даңғылы")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def rules(settings):
    settings.TIREK_RETENTION = {"case": 10, "appeal": 3}


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def years_after(day: dt.date, years: int, days: int = 0) -> dt.datetime:
    return at_noon(retention.years_before(day, -years) + dt.timedelta(days=days))


def due_ids(now=None) -> set:
    return set(retention.retention_due(now=now).values_list("pk", flat=True))


def open_case(cast, person, organisation=None):
    organisation = organisation or cast.almaty
    almaty = organisation == cast.almaty
    return case_open(
        actor=cast.coordinator_a if almaty else cast.coordinator_b,
        organisation=organisation,
        person=person,
        programme=cast.programme_a if almaty else cast.programme_b,
        referral_source="polyclinic",
        opened_on=timezone.localdate() - dt.timedelta(days=60),
    )


def close(cast, case, closed_on: dt.date | None = None, note: str = "") -> Case:
    actor = cast.coordinator_a if case.organisation_id == cast.almaty.pk else cast.coordinator_b
    case_close(
        actor=actor,
        case=case,
        reason=ClosureReason.objects.get(code="moved"),
        destination="none",
        note=note,
    )
    if closed_on is not None:
        Case.objects.filter(pk=case.pk).update(closed_on=closed_on)
    case.refresh_from_db()
    return case


def register(cast, iin, *, surname="Қасымова", given_name="Айгерім", serial=11, organisation=None, **extra):
    organisation = organisation or cast.almaty
    actor = cast.coordinator_a if organisation == cast.almaty else cast.coordinator_b
    birth = timezone.localdate().replace(day=1) - dt.timedelta(days=730)
    return person_register(
        actor=actor,
        organisation=organisation,
        iin=iin(birth, "female", serial),
        surname=surname,
        given_name=given_name,
        patronymic="Нұрланқызы",
        phone="+77011234567",
        street="Абай даңғылы 10, 5",
        locality="Алматы",
        notes="Анасы Айгүл, жұмыс телефоны бар",
        **extra,
    )


@pytest.fixture
def served(cast, iin):
    """A child of the Almaty centre with a session, a scanned document and a case closed 11 years ago."""
    child = register(cast, iin)
    case = open_case(cast, child)
    visit_log(
        actor=cast.specialist_a,
        case=case,
        status="attended",
        starts_at=timezone.now() - dt.timedelta(days=20),
        minutes=30,
        service=Service.objects.get(code="speech_therapy_session"),
        specialist=cast.specialist_a,
        note="Айгерім анасымен келді",
    )
    case_document_add(
        actor=cast.coordinator_a,
        case=case,
        kind="pmpk_conclusion",
        dated=timezone.localdate(),
        title="ПМПК қорытындысы, Қасымова Айгерім",
        issued_by="ПМПК №3",
        file=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
    )
    close(cast, case, retention.years_before(timezone.localdate(), 11), note="Отбасы Шымкентке көшті")
    return Person.objects.get(pk=child.pk)


# -- who is due --------------------------------------------------------------------------------------------


def test_a_person_is_due_only_more_than_n_years_after_the_last_case_closed(cast, iin):
    child = register(cast, iin)
    case = close(cast, open_case(cast, child))
    closed = case.closed_on
    assert child.pk not in due_ids()
    assert child.pk not in due_ids(years_after(closed, 10))  # exactly ten years: not yet
    assert child.pk in due_ids(years_after(closed, 10, days=1))


def test_an_open_case_keeps_the_person_even_when_another_closed_long_ago(cast, iin):
    child = register(cast, iin)
    close(cast, open_case(cast, child), retention.years_before(timezone.localdate(), 20))
    still_open = open_case(cast, child, organisation=cast.shymkent)
    assert child.pk not in due_ids()
    close(cast, still_open, retention.years_before(timezone.localdate(), 12))
    assert child.pk in due_ids()


def test_the_latest_of_two_closed_cases_starts_the_clock(cast, iin):
    child = register(cast, iin)
    close(cast, open_case(cast, child), retention.years_before(timezone.localdate(), 20))
    close(cast, open_case(cast, child, cast.shymkent), retention.years_before(timezone.localdate(), 4))
    assert child.pk not in due_ids()
    assert child.pk in due_ids(at_noon(retention.years_before(timezone.localdate(), -7)))


def test_a_person_without_cases_is_never_due_by_the_case_rule(cast, iin):
    child = register(cast, iin)
    assert child.pk not in due_ids(years_after(timezone.localdate(), 50))


def test_an_active_course_enrolment_keeps_the_person(cast, served):
    course = Course.objects.create(
        organisation=cast.almaty,
        title="Ата-аналар мектебі",
        kind="parenting",
        starts_on=timezone.localdate(),
        status="running",
    )
    enrolment = CourseEnrolment.objects.create(course=course, person=served, enrolled_on=timezone.localdate())
    assert served.pk not in due_ids()
    # A course long finished holds the clock only until its end.
    Course.objects.filter(pk=course.pk).update(
        status="finished",
        starts_on=retention.years_before(timezone.localdate(), 12),
        ends_on=retention.years_before(timezone.localdate(), 11),
    )
    CourseEnrolment.objects.filter(pk=enrolment.pk).update(status="completed")
    assert served.pk in due_ids()


def test_a_residence_not_moved_out_of_keeps_the_person(cast, served):
    facility = Facility.objects.create(
        organisation=cast.almaty, name="Жастар үйі", kind="youth_house", places=10
    )
    residence = Residence.objects.create(
        facility=facility, person=served, moved_in_on=retention.years_before(timezone.localdate(), 12)
    )
    assert served.pk not in due_ids()
    Residence.objects.filter(pk=residence.pk).update(
        moved_out_on=timezone.localdate() - dt.timedelta(days=30)
    )
    assert served.pk not in due_ids()  # moved out a month ago: the clock starts again
    Residence.objects.filter(pk=residence.pk).update(
        moved_out_on=retention.years_before(timezone.localdate(), 11)
    )
    assert served.pk in due_ids()


def _appeal(cast, person, *, status="resolved", closed_on=None) -> Appeal:
    return Appeal.objects.create(
        organisation=cast.almaty,
        number=f"A-{Appeal.objects.count() + 1}",
        person=person,
        caller="Айгерім, 19 жаста",
        caller_phone="+77019876543",
        category="housing",
        channel="hotline",
        received_at=timezone.now() - dt.timedelta(days=5 * 365),
        text="Тұрғын үй кезегі туралы",
        due_on=timezone.localdate(),
        status=status,
        result="granted" if status == "resolved" else "",
        resolution="Кезекке қойылды" if status == "resolved" else "",
        closed_on=closed_on,
    )


def test_a_person_with_appeals_only_follows_the_appeal_rule(cast, iin):
    leaver = register(cast, iin)
    appeal = _appeal(cast, leaver, status="in_progress")
    assert leaver.pk not in due_ids()  # an open appeal
    Appeal.objects.filter(pk=appeal.pk).update(
        status="resolved", closed_on=retention.years_before(timezone.localdate(), 3)
    )
    assert leaver.pk not in due_ids()  # exactly three years
    Appeal.objects.filter(pk=appeal.pk).update(
        closed_on=retention.years_before(timezone.localdate(), 3) - dt.timedelta(days=1)
    )
    assert leaver.pk in due_ids()


# -- what anonymising does -------------------------------------------------------------------------------


def test_anonymising_clears_every_identifying_field_and_deletes_the_scans(
    cast, served, django_capture_on_commit_callbacks
):
    document = CaseDocument.objects.get(case__person=served)
    stored = document.file.path
    with open(stored, "rb") as scan:
        assert scan.read() == PDF
    birth = served.birth_date
    old_iin = served.iin

    with django_capture_on_commit_callbacks(execute=True):
        retention.person_anonymise(actor=cast.admin, person=served)

    person = Person.objects.get(pk=served.pk)
    assert person.anonymised_at is not None
    assert person.surname == retention.ANONYMISED and person.given_name == person.pk.hex[:8]
    assert (person.patronymic, person.iin, person.iin_missing_reason) == ("", None, "unknown")
    assert (person.phone, person.phone_other, person.locality, person.street, person.notes) == ("",) * 5
    assert person.birth_date == birth.replace(day=1)
    assert (person.sex, person.region_id) == (served.sex, served.region_id)
    for text in IDENTIFYING:
        assert text not in f"{person.name_folded} {person.name_skeleton}"
    assert not PersonNameToken.objects.filter(person=person, token__startswith="kasym").exists()

    case = Case.objects.get(person=person)
    assert case.closure_note == "" and case.status == "closed"
    assert Visit.objects.get(case=case).note == ""
    document.refresh_from_db()
    assert (document.title, document.issued_by, document.file.name) == ("", "", "")
    assert document.kind == "pmpk_conclusion"
    import os

    assert not os.path.exists(stored)
    assert not any("note" in event.data and event.data["note"] for event in case.events.all())

    # Search by the old name, IIN or phone finds nothing any more.
    for query in ("Қасымова", "Kasymova", old_iin, "+77011234567"):
        assert not person_search(user=cast.coordinator_a, query=query).exists()

    event = AuditEvent.objects.get(action="anonymise", subject_person_id=person.pk)
    assert event.actor == cast.admin
    assert "Қасымова" not in event.object_repr and "Қасымова" not in str(event.changes)


def test_the_person_page_still_opens_and_shows_no_personal_data(cast, served):
    retention.person_anonymise(actor=cast.admin, person=served)
    response = cast.client(cast.coordinator_a).get(reverse("people:person_detail", args=[served.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert retention.ANONYMISED in page
    for text in IDENTIFYING:
        assert text not in page
    # Another organisation still does not see them.
    other = cast.client(cast.coordinator_b).get(reverse("people:person_detail", args=[served.pk]))
    assert other.status_code == 404
    assert 'data-testid="person-anonymised"' in page


def test_an_anonymised_record_is_never_changed_nor_proposed_as_a_duplicate(cast, served):
    from django.core.exceptions import ValidationError

    from tirek.people.duplicates import duplicate_candidates
    from tirek.people.services import person_register, person_update

    retention.person_anonymise(actor=cast.admin, person=served)
    person = Person.objects.get(pk=served.pk)
    with pytest.raises(ValidationError):
        person_update(actor=cast.coordinator_a, person=person, surname="Қасымова")
    assert Person.objects.get(pk=served.pk).surname == retention.ANONYMISED
    # A record that looks just like it (same neutral name and first-of-month birth date) is no duplicate.
    twin = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname=person.surname,
        given_name=person.given_name,
        sex=person.sex,
        birth_date=person.birth_date,
        iin_missing_reason="unknown",
    )
    pairs = [{c.first.pk, c.second.pk} for c in duplicate_candidates(user=cast.manager_a)]
    assert {served.pk, twin.pk} not in pairs


def test_reports_count_the_anonymised_person_as_before(cast, served):
    today = timezone.localdate()
    period = Filters(date_from=today - dt.timedelta(days=60), date_to=today)

    def figures():
        return {
            code: INDICATORS[code].compute(period, None)[0]["value"]
            for code in ("persons_served", "children_served", "visits_delivered")
        } | {"by_sex": INDICATORS["persons_served"].compute(period, "sex")}

    before = figures()
    assert before["persons_served"] == 1
    retention.person_anonymise(actor=cast.admin, person=served)
    assert figures() == before


def test_a_family_goes_with_its_last_served_member(cast, iin, served):
    family = family_create(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        first_member=served,
        name="Қасымовтар",
        address="Абай даңғылы 10, 5",
    )
    mother = register(cast, iin, surname="Қасымова", given_name="Айгүл", serial=21)
    family_member_add(actor=cast.coordinator_a, family=family, person=mother, role="mother")

    retention.person_anonymise(actor=cast.admin, person=served)

    family.refresh_from_db()
    mother.refresh_from_db()
    assert (family.name, family.address) == (retention.ANONYMISED, "")
    assert mother.anonymised_at is not None and mother.phone == "" and mother.iin is None
    assert family.members.count() == 2  # families served keep their count
    assert AuditEvent.objects.filter(action="anonymise", subject_person_id=mother.pk).exists()


def test_a_family_with_a_member_still_served_keeps_its_data(cast, iin, served):
    family = family_create(
        actor=cast.coordinator_a, organisation=cast.almaty, first_member=served, name="Қасымовтар"
    )
    brother = register(cast, iin, given_name="Ерлан", serial=31)
    family_member_add(actor=cast.coordinator_a, family=family, person=brother, role="sibling")
    open_case(cast, brother)

    retention.person_anonymise(actor=cast.admin, person=served)

    assert Family.objects.get(pk=family.pk).name == "Қасымовтар"
    assert Person.objects.get(pk=brother.pk).anonymised_at is None


def test_a_person_with_an_open_case_cannot_be_anonymised(cast, iin):
    child = register(cast, iin)
    open_case(cast, child)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        retention.person_anonymise(actor=cast.admin, person=child)
    assert Person.objects.get(pk=child.pk).surname == "Қасымова"


# -- the run ---------------------------------------------------------------------------------------------


def test_a_dry_run_changes_nothing_and_counts_by_organisation(cast, iin, served):
    other = register(cast, iin, given_name="Дана", serial=41, organisation=cast.shymkent)
    close(cast, open_case(cast, other, cast.shymkent), retention.years_before(timezone.localdate(), 15))
    close(cast, open_case(cast, other), retention.years_before(timezone.localdate(), 12))
    recent = register(cast, iin, given_name="Әсел", serial=51)
    close(cast, open_case(cast, recent))
    events = AuditEvent.objects.count()

    report = retention.retention_run(actor=cast.admin)

    assert report.dry_run and report.due == 2 and report.anonymised == 0
    assert {f.organisation_id: f.persons for f in report.organisations} == {
        cast.almaty.pk: 2,
        cast.shymkent.pk: 1,
    }
    assert not Person.objects.filter(anonymised_at__isnull=False).exists()
    assert Person.objects.get(pk=served.pk).surname == "Қасымова"
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("pk").action == "view"

    applied = retention.retention_run(actor=cast.admin, dry_run=False)
    assert applied.anonymised == 2
    assert set(Person.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)) == {
        served.pk,
        other.pk,
    }
    summary = AuditEvent.objects.filter(action="anonymise", object_type=retention.OBJECT_TYPE).get()
    assert summary.changes["anonymised"] == [None, 2]
    assert retention.retention_run(actor=cast.admin).due == 0


def test_the_report_queries_do_not_grow_with_the_persons_due(cast, iin, django_assert_max_num_queries):
    for serial in range(3):
        person = register(cast, iin, given_name=f"Бала{serial}", serial=100 + serial * 10)
        close(cast, open_case(cast, person), retention.years_before(timezone.localdate(), 11))
    with django_assert_max_num_queries(8):
        report = retention.retention_run(actor=cast.admin)
    assert report.due == 3


@pytest.mark.parametrize("role", ["manager_a", "coordinator_a", "analyst"])
def test_only_an_administrator_may_run_retention(cast, role):
    with pytest.raises(NotAllowed):
        retention.retention_run(actor=getattr(cast, role))
    assert cast.client(getattr(cast, role)).get(reverse("operations:retention")).status_code == 403
    api = cast.client(getattr(cast, role))
    assert api.get("/api/v1/retention/").status_code == 403
    assert (
        api.post("/api/v1/retention/run/", {"confirm": True}, content_type="application/json").status_code
        == 403
    )


def test_the_administrator_page_shows_the_dry_run_and_anonymises_after_confirmation(cast, served):
    client = cast.client(cast.admin)
    page = client.get(reverse("operations:retention"))
    assert page.status_code == 200
    assert 'data-due="1"' in page.content.decode()

    refused = client.post(reverse("operations:retention"), {})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert Person.objects.get(pk=served.pk).anonymised_at is None

    done = client.post(reverse("operations:retention"), {"confirm": "on"})
    assert done.status_code == 302
    assert Person.objects.get(pk=served.pk).anonymised_at is not None


def test_the_api_reports_and_runs(cast, served):
    client = cast.client(cast.admin)
    report = client.get("/api/v1/retention/")
    assert report.status_code == 200
    body = report.json()
    assert body["dry_run"] is True and body["due"] == 1
    assert body["organisations"] == [
        {"organisation": str(cast.almaty.pk), "name": str(cast.almaty), "persons": 1}
    ]
    assert body["rules"] == {"case": 10, "appeal": 3}

    refused = client.post("/api/v1/retention/run/", {"confirm": False}, content_type="application/json")
    assert refused.status_code == 400 and "confirm" in refused.json()["error"]["fields"]
    assert Person.objects.get(pk=served.pk).anonymised_at is None

    run = client.post("/api/v1/retention/run/", {"confirm": True}, content_type="application/json")
    assert run.status_code == 200 and run.json()["anonymised"] == 1
    assert Person.objects.get(pk=served.pk).anonymised_at is not None


def test_the_command_is_a_dry_run_unless_told_to_apply(cast, served):
    out = io.StringIO()
    call_command("retention", user=cast.admin.username, stdout=out)
    assert "1 person(s) would be anonymised" in out.getvalue()
    assert Person.objects.get(pk=served.pk).anonymised_at is None

    out = io.StringIO()
    call_command("retention", user=cast.admin.username, apply=True, stdout=out)
    assert "1 person(s) anonymised" in out.getvalue()
    assert Person.objects.get(pk=served.pk).anonymised_at is not None


def test_the_command_refuses_a_user_who_is_not_an_administrator(cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("retention", user=cast.manager_a.username, stdout=io.StringIO())
