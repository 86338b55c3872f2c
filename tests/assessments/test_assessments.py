"""Recording, reading and correcting assessments: services, pages and API, with their access rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tirek.assessments.models import Assessment
from tirek.assessments.services import assessment_record, assessment_update
from tirek.audit.models import AuditEvent
from tirek.cases.models import Case
from tirek.cases.services import case_set_team
from tirek.core.errors import NotAllowed

TODAY = dt.date.today


def record_mchat(cast, case, mchat, answers, actor=None, **extra):
    return assessment_record(
        actor=actor or cast.coordinator_a,
        case=case,
        instrument=mchat,
        assessed_on=TODAY(),
        answers=answers,
        **extra,
    )


def test_recording_scores_the_answers_and_writes_the_timeline_and_the_audit(cast, case, mchat, mchat_answers):
    assessment = record_mchat(cast, case, mchat, mchat_answers(4))
    assert assessment.scores["total"] == 4
    assert assessment.interpretation == "mchat_medium"
    assert assessment.assessor == cast.coordinator_a
    event = case.events.get(kind="assessed")
    assert event.data["instrument"] == "mchat_rf"
    assert event.data["interpretation"] == "mchat_medium"
    audit = AuditEvent.objects.get(object_id=str(assessment.pk), action="create")
    assert audit.subject_person_id == case.person_id


def test_the_assessor_profession_comes_from_the_membership(cast, case, mchat, mchat_answers):
    case_set_team(
        actor=cast.coordinator_a, case=case, coordinator=cast.coordinator_a, team=[cast.specialist_a]
    )
    assessment = record_mchat(cast, case, mchat, mchat_answers(0), actor=cast.specialist_a)
    assert assessment.profession.code == "speech_therapist"


def test_the_follow_up_interview_is_added_later_and_changes_the_interpretation(
    cast, case, mchat, mchat_answers
):
    assessment = record_mchat(cast, case, mchat, mchat_answers(5))
    assessment_update(actor=cast.coordinator_a, assessment=assessment, follow_up_score=2)
    assessment.refresh_from_db()
    assert assessment.interpretation == "mchat_follow_up_positive"
    assert assessment.answers == mchat_answers(5)
    kinds = list(case.events.filter(kind="assessed").values_list("data", flat=True))
    assert [k.get("new") for k in kinds] == ["mchat_follow_up_positive", None]
    assert AuditEvent.objects.get(object_id=str(assessment.pk), action="update").changes[
        "follow_up_score"
    ] == [
        None,
        2,
    ]


def test_bad_answers_write_nothing(cast, case, mchat, mchat_answers):
    answers = mchat_answers(1)
    del answers["12"]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        record_mchat(cast, case, mchat, answers)
    assert refused.value.message_dict["answers.12"] == ["Item 12: answer this item."]
    assert not Assessment.objects.exists()
    assert not case.events.filter(kind="assessed").exists()


def test_dates_in_the_future_or_before_birth_are_refused(cast, case, mchat, mchat_answers):
    with pytest.raises(ValidationError) as future:
        assessment_record(
            actor=cast.coordinator_a,
            case=case,
            instrument=mchat,
            assessed_on=TODAY() + dt.timedelta(days=1),
            answers=mchat_answers(0),
        )
    assert "assessed_on" in future.value.message_dict
    with pytest.raises(ValidationError):
        assessment_record(
            actor=cast.coordinator_a,
            case=case,
            instrument=mchat,
            assessed_on=case.person.birth_date - dt.timedelta(days=1),
            answers=mchat_answers(0),
        )


def test_a_closed_case_takes_no_assessments(cast, case, mchat, mchat_answers):
    # Closed directly: how a case is closed is the cases app's business.
    Case.objects.filter(pk=case.pk).update(status="closed")
    case.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        record_mchat(cast, case, mchat, mchat_answers(0))
    assert "case" in refused.value.message_dict


def test_the_motor_milestones_use_the_corrected_age_of_a_preterm_child(cast, instruments, register_child):
    from tirek.cases.services import case_open

    person = register_child(age_days=365, gestation_weeks=30)
    case = case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        programme=cast.programme_a,
        referral_source="maternity",
        coordinator=cast.coordinator_a,
    )
    answers = {item.code: "no" for item in instruments["who_motor_milestones"].items.all()}
    assessment = assessment_record(
        actor=cast.coordinator_a,
        case=case,
        instrument=instruments["who_motor_milestones"],
        assessed_on=TODAY() - dt.timedelta(days=30),  # 335 days old: 8.7 months corrected
        answers=answers,
    )
    assert assessment.scores["corrected"] is True
    assert assessment.interpretation == "motor_on_track"
    today = assessment_update(actor=cast.coordinator_a, assessment=assessment, assessed_on=TODAY())
    assert today.scores["flags"] == ["sitting_without_support"]  # 9.7 months corrected


def test_who_may_record_and_read(cast, case, mchat, mchat_answers, intake_a):
    # A specialist of the organisation outside the case team may neither record nor read.
    with pytest.raises(NotAllowed):
        record_mchat(cast, case, mchat, mchat_answers(0), actor=cast.specialist_a)
    assessment = record_mchat(cast, case, mchat, mchat_answers(0))
    outside = cast.client(cast.specialist_a)
    assert outside.get(reverse("assessments:case_assessments", args=[case.pk])).status_code == 403
    assert outside.get(reverse("assessments:assessment_detail", args=[assessment.pk])).status_code == 403
    assert outside.get(f"/api/v1/assessments/{assessment.pk}/").status_code == 403
    assert outside.get("/api/v1/assessments/", {"case": case.pk}).status_code == 403
    assert outside.get("/api/v1/assessments/").json()["results"] == []
    # On the team, an intake operator reads but may not record.
    case_set_team(actor=cast.coordinator_a, case=case, coordinator=cast.coordinator_a, team=[intake_a])
    intake = cast.client(intake_a)
    assert intake.get(reverse("assessments:assessment_detail", args=[assessment.pk])).status_code == 200
    new_page = reverse("assessments:assessment_new", args=[case.pk, "mchat_rf"])
    assert intake.get(new_page).status_code == 403
    response = intake.post(
        "/api/v1/assessments/",
        {
            "case": str(case.pk),
            "instrument": "mchat_rf",
            "assessed_on": str(TODAY()),
            "answers": mchat_answers(0),
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    edit = intake.patch(
        f"/api/v1/assessments/{assessment.pk}/", {"notes": "x"}, content_type="application/json"
    )
    assert edit.status_code == 403
    # The manager reads everything of the organisation.
    manager = cast.client(cast.manager_a)
    assert manager.get(reverse("assessments:case_assessments", args=[case.pk])).status_code == 200
    assert [a["id"] for a in manager.get("/api/v1/assessments/").json()["results"]] == [str(assessment.pk)]


def test_another_organisations_assessments_are_not_found(cast, case, mchat, mchat_answers):
    assessment = record_mchat(cast, case, mchat, mchat_answers(0))
    other = cast.client(cast.manager_b)
    pages = [
        reverse("assessments:case_assessments", args=[case.pk]),
        reverse("assessments:assessment_new", args=[case.pk, "mchat_rf"]),
        reverse("assessments:assessment_detail", args=[assessment.pk]),
        reverse("assessments:assessment_edit", args=[assessment.pk]),
    ]
    for page in pages:
        assert other.get(page).status_code == 404, page
    assert other.get(f"/api/v1/assessments/{assessment.pk}/").status_code == 404
    assert other.get("/api/v1/assessments/", {"case": case.pk}).status_code == 404
    assert other.get("/api/v1/assessments/").json()["results"] == []
    patch = other.patch(
        f"/api/v1/assessments/{assessment.pk}/", {"notes": "x"}, content_type="application/json"
    )
    assert patch.status_code == 404
    created = other.post(
        "/api/v1/assessments/",
        {
            "case": str(case.pk),
            "instrument": "mchat_rf",
            "assessed_on": str(TODAY()),
            "answers": mchat_answers(0),
        },
        content_type="application/json",
    )
    assert created.status_code == 404
    assert created.json()["error"]["code"] == "not_found"


def test_recording_through_the_page(cast, case, mchat, mchat_answers):
    client = cast.client(cast.coordinator_a)
    listing = client.get(reverse("assessments:case_assessments", args=[case.pk]))
    assert 'data-testid="record-mchat_rf"' in listing.content.decode()
    url = reverse("assessments:assessment_new", args=[case.pk, "mchat_rf"])
    form = client.get(url).content.decode()
    assert 'name="answers.7"' in form and 'type="radio"' in form
    data = {"assessed_on": TODAY().isoformat(), **{f"answers.{k}": v for k, v in mchat_answers(9).items()}}
    del data["answers.20"]
    with translation.override("en"):
        shown = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert shown.status_code == 200
    assert shown.context["form"].errors["answers.20"]
    data["answers.20"] = "yes"
    done = client.post(url, data)
    assessment = Assessment.objects.get()
    assert done.status_code == 302 and done.url == reverse(
        "assessments:assessment_detail", args=[assessment.pk]
    )
    assert assessment.interpretation == "mchat_high"
    page = client.get(done.url)
    assert page.status_code == 200
    assert 'data-testid="interpretation"' in page.content.decode()
    assert AuditEvent.objects.filter(object_id=str(assessment.pk), action="view").exists()


def test_the_icf_profile_is_entered_as_rows_and_errors_land_on_the_row(cast, case):
    client = cast.client(cast.coordinator_a)
    url = reverse("assessments:assessment_new", args=[case.pk, "icf_cy_profile"])
    assert 'name="icf-4-code"' in client.get(url).content.decode()
    data = {
        "assessed_on": TODAY().isoformat(),
        "icf-0-code": "d310",
        "icf-0-title": "понимание обращённой речи",
        "icf-0-performance": "2",
        "icf-1-code": "e310",
        "icf-1-qualifier": "3",
        "icf-1-sign": "facilitator",
        "icf-2-code": "b167",
        "icf-2-qualifier": "9",
    }
    with translation.override("en"):
        shown = client.post(url, data)
    assert shown.status_code == 200
    form = shown.context["form"]
    assert "icf-0-code" in form.errors, form.errors
    message = form.errors["icf-0-code"][0]
    assert message.startswith("d310:") and "орындау" in message and "қабілет" in message  # in Kazakh
    data["icf-0-capacity"] = "1"
    done = client.post(url, data)
    assert done.status_code == 302
    assessment = Assessment.objects.get()
    assert [row["notation"] for row in assessment.scores["rows"]] == ["b167.9", "d310.21", "e310+3"]
    assert assessment.answers["d310"]["title"] == "понимание обращённой речи"
    page = client.get(done.url).content.decode()
    assert "d310.21" in page and "e310+3" in page
    edit = client.get(reverse("assessments:assessment_edit", args=[assessment.pk])).content.decode()
    assert 'value="d310"' in edit


def test_the_api_records_lists_and_completes_an_assessment(cast, case, mchat_answers):
    client = cast.client(cast.coordinator_a)
    bad = client.post(
        "/api/v1/assessments/",
        {
            "case": str(case.pk),
            "instrument": "mchat_rf",
            "assessed_on": str(TODAY()),
            "answers": {"1": "perhaps"},
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    fields = bad.json()["error"]["fields"]
    assert fields["answers.1"] == ["Item 1: answer yes or no."]
    assert "answers.2" in fields
    created = client.post(
        "/api/v1/assessments/",
        {
            "case": str(case.pk),
            "instrument": "mchat_rf",
            "assessed_on": str(TODAY()),
            "answers": mchat_answers(3),
            "profession": "speech_therapist",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["interpretation"], body["scores"]["total"], body["profession"]) == (
        "mchat_medium",
        3,
        "speech_therapist",
    )
    listed = client.get("/api/v1/assessments/", {"case": str(case.pk)}).json()["results"]
    assert [a["id"] for a in listed] == [body["id"]]
    followed = client.patch(
        f"/api/v1/assessments/{body['id']}/", {"follow_up_score": 1}, content_type="application/json"
    )
    assert followed.status_code == 200
    assert followed.json()["interpretation"] == "mchat_follow_up_negative"
    unknown = client.post(
        "/api/v1/assessments/",
        {"case": str(case.pk), "instrument": "nope", "assessed_on": str(TODAY()), "answers": {}},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "instrument" in unknown.json()["error"]["fields"]


def test_exam_results_record_performer_result_and_conclusion(cast, case, instruments):
    client = cast.client(cast.coordinator_a)
    response = client.post(
        "/api/v1/assessments/",
        {
            "case": str(case.pk),
            "instrument": "audiological_screening",
            "assessed_on": str(TODAY() - dt.timedelta(days=3)),
            "answers": {
                "method": "oae",
                "right_ear": "pass",
                "left_ear": "refer",
                "performer": "Сурдолог Иванова А.",
                "conclusion": "Левое ухо: повторить ОАЭ через месяц.",
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["interpretation"] == "exam_abnormal"
    page = client.get(reverse("assessments:assessment_detail", args=[response.json()["id"]])).content.decode()
    assert "Сурдолог Иванова А." in page


def test_the_case_assessment_list_runs_a_fixed_number_of_queries(
    cast, case, instruments, mchat_answers, django_assert_max_num_queries
):
    for failed in range(12):
        record_mchat(cast, case, instruments["mchat_rf"], mchat_answers(failed))
    client = cast.client(cast.coordinator_a)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("assessments:case_assessments", args=[case.pk]))
    assert page.content.decode().count("badge text-bg-") >= 12
    with django_assert_max_num_queries(10):
        listed = client.get("/api/v1/assessments/", {"case": str(case.pk)})
    assert len(listed.json()["results"]) == 12


def test_everyone_reads_the_instruments_and_only_administrators_add_them(cast):
    reader = cast.client(cast.specialist_b)
    page = reader.get(reverse("assessments:instrument_list"))
    assert page.status_code == 200 and "M-CHAT-R/F" in page.content.decode()
    detail = reader.get(reverse("assessments:instrument_detail", args=["mchat_rf"])).content.decode()
    assert detail.count("<tr>") >= 21
    listed = reader.get("/api/v1/instruments/").json()["results"]
    assert {"icf_cy_profile", "mchat_rf", "who_motor_milestones", "developmental_profile", "eeg"} <= {
        i["code"] for i in listed
    }
    with translation.override("en"):
        mchat = reader.get("/api/v1/instruments/mchat_rf/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert mchat["items"][6]["prompt"] == "Item 7"
    new = {
        "code": "asq3_scores",
        "name_kk": "ASQ-3 ұпайлары",
        "name_ru": "Баллы ASQ-3",
        "name_en": "ASQ-3 scores",
        "kind": "questionnaire",
        "scoring_rule": "sum",
        "scoring_parameters": {"bands": [{"min": 0, "max": 100, "code": "below"}]},
        "items": [
            {
                "code": "communication",
                "prompt_en": "Communication",
                "answer_type": "number",
                "min_value": 0,
                "max_value": 60,
            },
            {
                "code": "gross_motor",
                "prompt_en": "Gross motor",
                "answer_type": "number",
                "min_value": 0,
                "max_value": 60,
            },
        ],
    }
    refused = reader.post("/api/v1/instruments/", new, content_type="application/json")
    assert refused.status_code == 403
    admin = cast.client(cast.admin)
    created = admin.post("/api/v1/instruments/", new, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert [i["number"] for i in created.json()["items"]] == [1, 2]
    bad = dict(new, code="bad_one", items=[{"code": "x", "answer_type": "scale"}])
    rejected = admin.post("/api/v1/instruments/", bad, content_type="application/json")
    assert rejected.status_code == 400
    assert "items.0.max_value" in rejected.json()["error"]["fields"]


def test_a_new_instrument_is_recorded_without_code(cast, case):
    admin = cast.client(cast.admin)
    admin.post(
        "/api/v1/instruments/",
        {
            "code": "asq3_scores",
            "name_kk": "ASQ-3",
            "name_ru": "ASQ-3",
            "name_en": "ASQ-3",
            "kind": "questionnaire",
            "scoring_rule": "sum",
            "items": [{"code": "communication", "answer_type": "number", "min_value": 0, "max_value": 60}],
        },
        content_type="application/json",
    )
    client = cast.client(cast.coordinator_a)
    url = reverse("assessments:assessment_new", args=[case.pk, "asq3_scores"])
    done = client.post(url, {"assessed_on": TODAY().isoformat(), "answers.communication": "35"})
    assert done.status_code == 302
    assert Assessment.objects.get().scores["total"] == 35


def test_the_instrument_admin_opens_for_administrators(cast):
    admin = cast.client(cast.admin)
    assert admin.get("/admin/assessments/instrument/").status_code == 200
    instrument_pk = Assessment._meta.get_field("instrument").related_model.objects.get(code="eeg").pk
    assert admin.get(f"/admin/assessments/instrument/{instrument_pk}/change/").status_code == 200
    assert cast.client(cast.manager_a).get("/admin/assessments/instrument/").status_code in (302, 403)
