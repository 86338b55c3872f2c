"""The background task that writes an export's file (run by `tirek worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def export_job_run(job_id: str) -> None:
    from tirek.exports.services import export_job_write

    export_job_write(job_id=job_id)
