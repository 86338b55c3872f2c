"""Background work of the reports: the refresh of the dashboards' snapshots."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_aggregates(organisation_id: str | None = None) -> int:
    """Recompute the stale snapshots of one organisation (then its region and the country), or of every
    organisation when none is given; answers how many snapshots were written."""
    from tirek.directory.models import Organisation
    from tirek.reports.aggregates import aggregates_refresh

    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:  # removed since the refresh was asked for: nothing to count
            return 0
    return aggregates_refresh(organisation=organisation)
