"""A case's documents: scans checked by their content, served only through Tirek to those who see the case,
each addition, view and removal on record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.models import CaseDocument
from tirek.cases.services import case_open

PDF = b"%PDF-1.4\n% a PMPK conclusion\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(cast, toddler):
    return case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=toddler,
        programme=cast.programme_a,
        referral_source="polyclinic",
    )


def upload(name: str = "Омаров Әли ПМПК.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add(client, case, **extra):
    data = {"kind": "pmpk_conclusion", "dated": timezone.localdate().isoformat(), "issued_by": "ПМПК №3"}
    return client.post(reverse("cases:case_document_new", args=[case.pk]), {**data, **extra})


def test_a_specialist_adds_a_scan_that_only_the_case_organisation_can_open(cast, case):
    response = add(cast.client(cast.specialist_a), case, file=upload())
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert (document.kind, document.content_type, document.size) == (
        "pmpk_conclusion",
        "application/pdf",
        len(PDF),
    )
    assert "Омаров" not in document.file.name  # stored under a random name
    assert case.events.filter(kind="document_added").exists()
    assert AuditEvent.objects.filter(object_id=str(document.pk), action="create").exists()

    page = cast.client(cast.coordinator_a).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="document"' in page and "ПМПК №3" in page
    opened = cast.client(cast.coordinator_a).get(reverse("cases:case_document_file", args=[document.pk]))
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PDF
    assert opened["Content-Type"] == "application/pdf" and opened["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(object_id=str(document.pk), action="view").count() == 1

    for outsider in (cast.coordinator_b, cast.manager_b, cast.analyst, cast.outsider):
        client = cast.client(outsider)
        assert client.get(reverse("cases:case_document_file", args=[document.pk])).status_code in (404, 302)
        assert client.post(reverse("cases:case_document_remove", args=[document.pk])).status_code in (
            404,
            302,
        )
    assert CaseDocument.objects.filter(pk=document.pk).exists()


def test_a_file_that_is_not_a_pdf_or_image_is_refused_and_the_form_keeps_what_was_typed(cast, case):
    response = add(
        cast.client(cast.coordinator_a),
        case,
        title="Қорытынды",
        file=upload("conclusion.pdf", b"MZ\x90\x00 an executable renamed"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "file" in form.errors and form["title"].value() == "Қорытынды"
    assert not CaseDocument.objects.exists()


def test_a_scan_larger_than_the_limit_is_refused(cast, case, settings):
    settings.TIREK_DOCUMENT_MAX_BYTES = 1024
    response = add(cast.client(cast.coordinator_a), case, file=upload(content=PDF + b"0" * 2048))
    assert "file" in response.context["form"].errors
    assert not CaseDocument.objects.exists()


def test_a_document_without_a_scan_and_a_future_date(cast, case):
    client = cast.client(cast.coordinator_a)
    future = add(client, case, dated=(timezone.localdate() + dt.timedelta(days=3)).isoformat())
    assert "dated" in future.context["form"].errors
    assert add(client, case, kind="referral_letter").status_code == 302
    assert CaseDocument.objects.get().file.name == ""


def test_roles_without_the_right_get_403(cast, case, almaty_member):
    # The analyst reads aggregates only: to them the case does not exist.
    analyst = cast.client(almaty_member("analyst"))
    assert analyst.get(reverse("cases:case_document_new", args=[case.pk])).status_code == 404
    assert add(analyst, case).status_code == 404
    assert not CaseDocument.objects.exists()
    document = CaseDocument.objects.create(case=case, kind="other", dated=timezone.localdate())
    specialist = cast.client(cast.specialist_a)  # adds documents, but only coordinators and managers remove
    assert specialist.post(reverse("cases:case_document_remove", args=[document.pk])).status_code == 403
    assert CaseDocument.objects.filter(pk=document.pk).exists()


def test_removing_a_document_deletes_its_file_and_leaves_a_trace(
    cast, case, django_capture_on_commit_callbacks
):
    add(cast.client(cast.specialist_a), case, file=upload())
    document = CaseDocument.objects.get()
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client(cast.manager_a).post(reverse("cases:case_document_remove", args=[document.pk]))
    assert response.status_code == 302
    assert not CaseDocument.objects.exists() and not storage.exists(name)
    assert case.events.filter(kind="document_removed").exists()
    assert AuditEvent.objects.filter(object_id=str(document.pk), action="delete").exists()


def test_the_api_adds_lists_opens_and_removes_documents(cast, case):
    client = cast.client(cast.specialist_a)
    created = client.post(
        "/api/v1/case-documents/",
        {
            "case": str(case.pk),
            "kind": "medical_report",
            "dated": timezone.localdate().isoformat(),
            "file": upload(),
        },
    )
    assert created.status_code == 201, created.json()
    document_id = created.json()["id"]
    assert created.json()["has_file"] is True
    listed = client.get(f"/api/v1/case-documents/?case={case.pk}").json()
    assert [d["id"] for d in listed["results"]] == [document_id]
    assert b"".join(client.get(f"/api/v1/case-documents/{document_id}/file/").streaming_content) == PDF
    refused = client.post(
        "/api/v1/case-documents/",
        {"case": str(case.pk), "kind": "other", "dated": "2026-01-01", "file": upload("x.pdf", b"GIF89a")},
    )
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["file"]
    other = cast.client(cast.coordinator_b)
    assert other.get(f"/api/v1/case-documents/{document_id}/").status_code == 404
    assert other.get(f"/api/v1/case-documents/?case={case.pk}").status_code == 404
    assert client.delete(f"/api/v1/case-documents/{document_id}/").status_code == 403  # a specialist
    assert cast.client(cast.coordinator_a).delete(f"/api/v1/case-documents/{document_id}/").status_code == 204
