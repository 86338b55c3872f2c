"""Every upload has a size limit and is recognised by its content, not its name or the browser's word: a case
document's scan (page and API) and a journal to import (page and API). A refused upload says why, in the
field or the import's report, and writes nothing: no row, no audit event, no file on disk."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.choices import DocumentKind
from tirek.cases.models import CaseDocument
from tirek.core.uploads import BoundedTemporaryFileUploadHandler
from tirek.people import importing
from tirek.people.models import Person

PDF = b"%PDF-1.7\n% a PMPK conclusion\n"
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode"
DOCUMENTS_API = "/api/v1/case-documents/"
IMPORT_API = "/api/v1/people/import/"
ENGLISH = {django_settings.LANGUAGE_COOKIE_NAME: "en"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case(make_case):
    return make_case()


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


class Unchanged:
    """Counts what an upload could write, to prove that a refused one wrote nothing."""

    def __init__(self, media: Path):
        self.media = media
        self.before = self.counts()

    def counts(self):
        return (
            CaseDocument.objects.count(),
            Person.objects.count(),
            AuditEvent.objects.count(),
            len(stored_files(self.media)),
        )

    def __bool__(self) -> bool:
        return self.counts() == self.before


def english(client):
    client.cookies.load(ENGLISH)
    return client


# ---------------------------------------------------------------------------------------------------------
# Case documents


def add_on_page(client, case, upload):
    data = {"kind": "pmpk_conclusion", "dated": timezone.localdate().isoformat(), "issued_by": "ПМПК №3"}
    return client.post(reverse("cases:case_document_new", args=[case.pk]), {**data, "file": upload})


def add_by_api(client, case, upload):
    data = {"case": str(case.pk), "kind": "pmpk_conclusion", "dated": timezone.localdate().isoformat()}
    return client.post(DOCUMENTS_API, {**data, "file": upload})


REFUSED_SCANS = {
    "an executable named .pdf and sent as a PDF": ("ПМПК.pdf", EXECUTABLE, "application/pdf"),
    "a text file named .pdf": ("conclusion.pdf", b"just some text, not a PDF", "application/pdf"),
    "an HTML page named .png": ("scan.png", b"<html><script>alert(1)</script></html>", "image/png"),
    "a zip named .jpg": ("scan.jpg", b"PK\x03\x04" + b"\x00" * 40, "image/jpeg"),
    "a PDF hidden after other bytes": ("scan.pdf", b"#!/bin/sh\n" + PDF, "application/pdf"),
}


@pytest.mark.parametrize("kind", list(REFUSED_SCANS))
def test_the_document_page_refuses_a_scan_that_is_not_a_pdf_png_or_jpeg_and_writes_nothing(
    cast, case, media, kind
):
    name, content, content_type = REFUSED_SCANS[kind]
    client = english(cast.client(cast.specialist_a))
    unchanged = Unchanged(media)
    response = add_on_page(client, case, SimpleUploadedFile(name, content, content_type))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Upload a PDF, PNG or JPEG scan."]
    assert "ПМПК №3" in response.content.decode()  # what was typed is kept
    assert unchanged


@pytest.mark.parametrize("kind", list(REFUSED_SCANS))
def test_the_document_api_refuses_a_scan_that_is_not_a_pdf_png_or_jpeg_and_writes_nothing(
    cast, case, media, kind
):
    name, content, content_type = REFUSED_SCANS[kind]
    client = english(cast.client(cast.specialist_a))
    unchanged = Unchanged(media)
    response = add_by_api(client, case, SimpleUploadedFile(name, content, content_type))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"file": ["Upload a PDF, PNG or JPEG scan."]}
    assert unchanged


def test_the_document_page_refuses_a_scan_over_the_limit_and_writes_nothing(cast, case, media, settings):
    settings.TIREK_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    client = english(cast.client(cast.specialist_a))
    unchanged = Unchanged(media)
    response = add_on_page(client, case, big)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB."]
    assert unchanged


def test_the_document_api_refuses_a_scan_over_the_limit_and_writes_nothing(cast, case, media, settings):
    settings.TIREK_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    client = english(cast.client(cast.specialist_a))
    unchanged = Unchanged(media)
    response = add_by_api(client, case, big)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"file": ["The file is larger than 1 MB."]}
    assert unchanged


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_as"),
    [
        # The browser's word and the name are ignored both ways: the content decides.
        ("ПМПК.png", PDF, "image/png", "application/pdf"),
        ("photo.bin", PNG, "application/octet-stream", "image/png"),
        ("scan.pdf", JPEG, "application/pdf", "image/jpeg"),
    ],
)
def test_a_scan_is_stored_as_what_its_content_is(cast, case, media, name, content, content_type, stored_as):
    upload = SimpleUploadedFile(name, content, content_type)
    response = add_by_api(cast.client(cast.specialist_a), case, upload)
    assert response.status_code == 201, response.content
    document = CaseDocument.objects.get()
    assert (document.content_type, document.size) == (stored_as, len(content))
    assert document.file.name.rsplit(".", 1)[-1] == {"application/pdf": "pdf", "image/png": "png"}.get(
        stored_as, "jpg"
    )
    assert len(stored_files(media)) == 1


def test_no_document_kind_is_a_copy_of_an_identity_document():
    # domain-kz §9: collecting copies of identity documents is banned.
    words = " ".join([*DocumentKind.values, *(str(label).lower() for label in DocumentKind.labels)])
    for banned in ("identity", "id_card", "id card", "passport", "удостоверени", "куәлік"):
        assert banned not in words


# ---------------------------------------------------------------------------------------------------------
# Uploads bounded while they arrive


def test_the_upload_handler_keeps_no_more_than_the_limit_but_reports_the_size_sent(settings):
    settings.TIREK_UPLOAD_MAX_BYTES = 4096
    handler = BoundedTemporaryFileUploadHandler()
    handler.new_file("file", "scan.pdf", "application/pdf", None)
    sent = 0
    for chunk in [PDF + b"0" * 3000, b"1" * 3000, b"2" * 3000]:
        handler.receive_data_chunk(chunk, sent)
        sent += len(chunk)
    upload = handler.file_complete(sent)
    assert upload.size == sent
    assert os.path.getsize(upload.temporary_file_path()) == 4097
    assert upload.read() == (PDF + b"0" * 3000 + b"1" * 3000)[:4097]


def test_a_scan_larger_than_any_upload_is_refused_by_its_size_through_a_real_request(
    cast, case, media, settings
):
    settings.TIREK_UPLOAD_MAX_BYTES = 1024 * 1024
    settings.TIREK_DOCUMENT_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # so the temporary-file handler takes the upload
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (3 * 1024 * 1024), "application/pdf")
    client = english(cast.client(cast.specialist_a))
    unchanged = Unchanged(media)
    response = add_by_api(client, case, big)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"file": ["The file is larger than 1 MB."]}
    assert unchanged


def test_a_request_with_more_files_than_any_form_takes_is_refused(cast, case, media):
    files = {f"file{number}": SimpleUploadedFile(f"s{number}.pdf", PDF) for number in range(6)}
    client = cast.client(cast.specialist_a)
    unchanged = Unchanged(media)
    data = {"case": str(case.pk), "kind": "pmpk_conclusion", "dated": timezone.localdate().isoformat()}
    response = client.post(DOCUMENTS_API, {**data, **files})
    assert response.status_code == 400
    assert unchanged


# ---------------------------------------------------------------------------------------------------------
# The journal import


def zip_bytes(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


JOURNAL_HEADER = ",".join(column.header("kk") for column in importing.COLUMNS[:6]).encode()
REFUSED_JOURNALS = {
    "a CSV holding NUL bytes": ("journal.csv", JOURNAL_HEADER + b"\r\n1,\x00\x00,x\r\n", "not_text"),
    "a workbook renamed .csv": ("journal.csv", zip_bytes({"[Content_Types].xml": b"<Types/>"}), "not_text"),
    "a PDF renamed .csv": ("journal.csv", PDF, "not_text"),
    "a picture renamed .csv": ("journal.csv", PNG, "not_text"),
    "an old .xls renamed .csv": ("journal.csv", OLD_EXCEL, "not_text"),
    "a CSV renamed .xlsx": ("journal.xlsx", JOURNAL_HEADER + b"\r\n", "xlsx"),
    "a zip that is not a workbook": ("journal.xlsx", zip_bytes({"notes.txt": b"hello"}), "xlsx"),
    "an executable renamed .xlsx": ("journal.xlsx", EXECUTABLE, "xlsx"),
    "a file with another extension": ("journal.exe", JOURNAL_HEADER + b"\r\n", "extension"),
}


@pytest.mark.parametrize("kind", list(REFUSED_JOURNALS))
def test_the_import_page_refuses_a_file_whose_content_is_not_a_journal_and_writes_nothing(cast, media, kind):
    name, content, code = REFUSED_JOURNALS[kind]
    client = english(cast.client(cast.coordinator_a))
    unchanged = Unchanged(media)
    response = client.post(reverse("people:import"), {"file": SimpleUploadedFile(name, content, "text/csv")})
    assert response.status_code == 200
    problems = response.context["result"].problems
    assert [problem["code"] for problem in problems] == [code]
    assert problems[0]["message"] in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert unchanged


@pytest.mark.parametrize("kind", list(REFUSED_JOURNALS))
def test_the_import_api_refuses_a_file_whose_content_is_not_a_journal_and_writes_nothing(cast, media, kind):
    name, content, code = REFUSED_JOURNALS[kind]
    client = english(cast.client(cast.coordinator_a))
    unchanged = Unchanged(media)
    response = client.post(IMPORT_API, {"file": SimpleUploadedFile(name, content, "text/csv")})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_import"
    assert [problem["code"] for problem in error["problems"]] == [code]
    assert unchanged


def test_the_import_limit_is_the_setting():
    assert importing.MAX_BYTES == django_settings.TIREK_IMPORT_MAX_BYTES
    assert django_settings.TIREK_IMPORT_MAX_BYTES <= django_settings.TIREK_UPLOAD_MAX_BYTES


@pytest.mark.parametrize("path", ["page", "api"])
def test_a_journal_over_the_import_limit_is_refused_whatever_its_content(cast, media, monkeypatch, path):
    monkeypatch.setattr(importing.reading, "MAX_BYTES", 1024 * 1024)
    monkeypatch.setattr(importing, "MAX_BYTES", 1024 * 1024)
    content = JOURNAL_HEADER + b"\r\n" + b" " * (1024 * 1024)
    client = english(cast.client(cast.coordinator_a))
    unchanged = Unchanged(media)
    upload = SimpleUploadedFile("journal.csv", content, "text/csv")
    if path == "page":
        problems = client.post(reverse("people:import"), {"file": upload}).context["result"].problems
    else:
        problems = client.post(IMPORT_API, {"file": upload}).json()["error"]["problems"]
    assert [(problem["code"], problem["message"]) for problem in problems] == [
        ("too_large", "The file is larger than 1 MB: split it into smaller files.")
    ]
    assert unchanged


# ---------------------------------------------------------------------------------------------------------
# The limits themselves


def run_check(tmp_path, **variables) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("TIREK_")}
    environ.update(
        TIREK_DEBUG="0", TIREK_SECRET_KEY="k" * 25 + "K" * 25, TIREK_DATA_DIR=str(tmp_path), **variables
    )
    return subprocess.run(
        [sys.executable, "-m", "tirek", "check"], env=environ, capture_output=True, text=True, timeout=120
    )


def test_a_kind_of_upload_may_not_be_allowed_more_than_any_upload(tmp_path):
    result = run_check(tmp_path, TIREK_UPLOAD_MAX_BYTES="2097152", TIREK_DOCUMENT_MAX_BYTES="4194304")
    assert result.returncode != 0
    assert "TIREK_DOCUMENT_MAX_BYTES must be at most 2097152" in result.stderr
    result = run_check(tmp_path, TIREK_UPLOAD_MAX_BYTES="2097152")
    assert result.returncode == 0, result.stderr
