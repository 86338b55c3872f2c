"""Exports written in the background: the job through the real database queue and `tirek worker`, its
progress, "My exports" and the API, downloads for the requester only, and old files removed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.exports.choices import ExportError, ExportStatus
from tirek.exports.models import ExportJob
from tirek.exports.services import export_files_prune, export_request


@pytest.fixture
def database_queue(settings, database_worker):
    settings.TIREK_EXPORT_PROGRESS_ROWS = 2
    return database_worker


def test_a_job_runs_through_the_database_queue_and_the_worker(cast, records, database_queue):
    client = cast.client(cast.manager_a)
    response = client.post(
        "/api/v1/exports/", {"what": "visits", "format": "csv", "params": {}}, content_type="application/json"
    )
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["rows_total"] == 6 and job["download_url"] is None
    page = client.get("/exports/")
    assert f'data-job="{job["id"]}"' in page.content.decode()
    assert 'hx-trigger="every 2s"' in page.content.decode()  # polled while it runs

    with CaptureQueriesContext(connection) as queries:
        database_queue()
    progress = [q["sql"] for q in queries.captured_queries if 'SET "rows_done"' in q["sql"]]
    assert len(progress) >= 3  # every 2 rows, then at the end

    status = client.get(f"/api/v1/exports/{job['id']}/").json()
    assert status["status"] == "done" and status["rows_done"] == 6 and status["percent"] == 100
    assert status["download_url"] == f"/api/v1/exports/{job['id']}/download/"
    download = client.get(status["download_url"])
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 6
    page = client.get("/exports/").content.decode()
    assert f"/exports/{job['id']}/download/" in page and 'hx-trigger="every 2s"' not in page
    export = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=job["id"])
    assert '"rows": 6' in export.note and export.actor == cast.manager_a


def test_a_long_list_from_the_page_becomes_a_job(cast, records, settings):
    settings.TIREK_EXPORT_SYNC_ROWS = 3
    client = cast.client(cast.manager_a)
    response = client.post("/exports/records/visits/?status=attended", {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"] == "/exports/"
    job = ExportJob.objects.get()
    assert job.requested_by == cast.manager_a and job.params == {"status": "attended"}
    assert job.status == ExportStatus.DONE and job.rows_done == 6  # tasks run at once in tests
    assert client.get(f"/exports/{job.pk}/download/").status_code == 200


def test_an_indicator_can_be_asked_for_as_a_job(cast, records):
    response = cast.client(cast.analyst).post(
        "/api/v1/exports/",
        {
            "what": "indicator",
            "code": "visits_delivered",
            "format": "pdf",
            "language": "ru",
            "params": {"by": "mode"},
        },
        content_type="application/json",
    )
    assert response.status_code == 202
    job = ExportJob.objects.get(pk=response.json()["id"])
    assert job.status == ExportStatus.DONE and job.language == "ru"
    assert job.file.open("rb").read(4) == b"%PDF"


def test_nobody_else_sees_or_downloads_a_job(cast, records):
    job = export_request(actor=cast.manager_a, what="cases", format="csv", params={})
    assert job.status == ExportStatus.DONE
    for other in (cast.manager_b, cast.coordinator_a, cast.admin):
        client = cast.client(other)
        assert client.get(f"/exports/{job.pk}/download/").status_code == 404
        assert client.get(f"/api/v1/exports/{job.pk}/").status_code == 404
        assert client.get(f"/api/v1/exports/{job.pk}/download/").status_code == 404
        assert client.get("/api/v1/exports/").json()["results"] == []
    assert cast.client(cast.manager_a).get(f"/api/v1/exports/{job.pk}/download/").status_code == 200


def test_asking_without_the_capability_is_403_and_bad_input_400(cast, records):
    client = cast.client(cast.specialist_a)
    body = {"what": "cases", "format": "csv"}
    assert client.post("/api/v1/exports/", body, content_type="application/json").status_code == 403
    manager = cast.client(cast.manager_a)
    bad = manager.post(
        "/api/v1/exports/", {"what": "cases", "format": "pdf"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "format" in bad.json()["error"]["fields"]
    bad = manager.post(
        "/api/v1/exports/",
        {"what": "visits", "format": "csv", "params": {"date_from": "soon"}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "date_from" in bad.json()["error"]["fields"]
    assert ExportJob.objects.count() == 0


def test_a_job_fails_with_a_reason_when_the_requester_lost_the_right(cast, records, database_queue):
    job = export_request(actor=cast.manager_a, what="cases", format="xlsx", params={})
    cast.manager_a.memberships.update(role="specialist")
    database_queue()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error == ExportError.NOT_ALLOWED
    assert not job.file


def test_asking_for_a_job_is_audited(cast, records, database_queue):
    job = export_request(actor=cast.manager_a, what="appeals", format="csv", params={"category": "housing"})
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(job.pk))
    assert created.actor == cast.manager_a


def test_old_files_are_removed(cast, records, settings):
    settings.TIREK_EXPORT_KEEP_DAYS = 7
    job = export_request(actor=cast.manager_a, what="cases", format="csv", params={})
    path = job.file.path
    assert export_files_prune() == 0
    assert export_files_prune(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not ExportJob.objects.exists()
    assert not os.path.exists(path)
